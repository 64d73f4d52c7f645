"""What a word is, for the index, the queries and the highlighter alike.

Why one module: the three must split text the same way and compare words in the same form,
or a word that is in a paper cannot be found or is not marked.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


def _mark_ranges() -> str:
    """A regex class body of Unicode's combining marks: `\\w` leaves them out, so without them a
    decomposed `Mu\u0308ller` (as macOS and some pages write it) is two words and Hindi's vowel
    signs cut every word apart. Only the Basic Multilingual Plane's (every living script's):
    with a mark above U+FFFF in the class, `re` checks hundreds of ranges per character and
    splitting text into words took three times as long."""
    codes = [code for code in range(0x300, 0x10000) if unicodedata.category(chr(code))[0] == "M"]
    ranges: list[tuple[int, int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return "".join(
        re.escape(chr(low)) if low == high else f"{re.escape(chr(low))}-{re.escape(chr(high))}"
        for low, high in ranges
    )


_CHAR = rf"[\w{_mark_ranges()}]"
WORD_CHAR = re.compile(_CHAR)  # a letter, digit, `_` or combining mark
TOKEN_PATTERN = rf"{_CHAR}+(\.?{_CHAR}+)*"  # Whoosh's default, marks included
WORD = re.compile(rf"{_CHAR}+(?:\.?{_CHAR}+)*")  # TOKEN_PATTERN without its group, for findall


@lru_cache(maxsize=50_000)
def fold(word: str) -> str:
    """A word lower-cased and without accents (`Müller` -> `muller`, `Erdős` -> `erdos`).

    Why: names and loan words are written both ways (a scraped page has `Schrödinger`, a user
    types `schrodinger`), so the index and every query compare words in this one form.
    """
    lowered = word.lower()
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered)
    # lower-cased again: a compatibility form can be a capital (`ℌ` is `H`)
    folded = "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
    return folded or lowered  # a word of marks alone stays as it is
