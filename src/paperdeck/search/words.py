"""What a word is, for the index, the queries and the highlighter alike.

Why one module: the three must split text the same way and compare words in the same form,
or a word that is in a paper cannot be found or is not marked.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
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


# Invisible inside a word, so never a word break: a soft hyphen (pages and PDF text keep the
# hyphenation points: `inter\u00adnational`) and the zero-width (non-)joiners of Indic and
# Persian spelling. `fold` drops them, so a word matches whether or not it has them.
INVISIBLE = "\u00ad\u200c\u200d"
_DROP = str.maketrans(dict.fromkeys(INVISIBLE))
_CHAR = rf"[\w{_mark_ranges()}]"
_INSIDE = rf"[\w{_mark_ranges()}{INVISIBLE}]"
WORD_CHAR = re.compile(_CHAR)  # a letter, digit, `_` or combining mark
# Whoosh's default `\w+(\.?\w+)*`, marks included, written so that a text has one way to
# match: with the dot optional, a long word before a character that ends it (`aaaa…a,`) was
# tried in every split (a fullmatch took seconds at 26 letters, twice as long per letter).
TOKEN_PATTERN = rf"{_CHAR}{_INSIDE}*(\.{_INSIDE}+)*"
WORD = re.compile(rf"{_CHAR}{_INSIDE}*(?:\.{_INSIDE}+)*")  # TOKEN_PATTERN, no group: findall


# Letters Unicode does not decompose into a base letter and a mark, folded as a reader of
# Latin script expects (the ASCII spellings people type: `Lodz`, `Orsted`, `Aesir`).
_LETTERS = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "ŧ": "t", "ı": "i", "æ": "ae", "œ": "oe",
     "þ": "th", "ĸ": "k"}
)  # fmt: skip


def _accent(char: str) -> bool:
    """A combining mark that is an accent to fold away: the Latin/Greek/Cyrillic kind (above,
    below, attached, overlaid) and Hebrew and Arabic vowel points. Kept: marks that make
    another letter, like Japanese kana's voicing (バ is not ハ), Indic viramas and nuktas, and
    Thai, Lao or Tibetan vowel and tone marks."""
    kind = unicodedata.combining(char)
    return kind == 1 or 10 <= kind <= 35 or kind >= 200


def _unaccented(lowered: str) -> str:
    """Case-folded text without its accents, the letters of `_LETTERS` folded, not recomposed."""
    decomposed = unicodedata.normalize("NFKD", lowered.translate(_LETTERS))
    # folded again: a compatibility form can be a capital (`ℌ` is `H`) or one of the letters
    return "".join(char for char in decomposed if not _accent(char)).casefold().translate(_LETTERS)


@lru_cache(maxsize=50_000)
def fold(word: str) -> str:
    """A word case-folded and without accents (`Müller` -> `muller`, `Straße` -> `strasse`,
    `Łódź` -> `lodz`).

    Why: names and loan words are written both ways (a scraped page has `Schrödinger`, a user
    types `schrodinger`), so the index and every query compare words in this one form.
    """
    lowered = word.casefold()
    if lowered.isascii():
        return lowered
    lowered = lowered.translate(_DROP) or lowered
    kept = _unaccented(lowered)
    if not kept:
        return lowered  # a word of marks alone stays as it is
    return kept if kept.isascii() else unicodedata.normalize("NFC", kept)


def fold_tag(tag: str) -> str:
    """A tag as the index holds it: `fold`ed, a comma it folds to (from `，`, the comma
    Chinese and Japanese users type) kept a fullwidth one, since the index splits tags at
    commas."""
    return fold(tag).replace(",", "\uff0c")


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    """One character as `fold` leaves it (a mark alone: nothing), without recomposing."""
    if char in INVISIBLE:
        return ""
    if "\uac00" <= char <= "\ud7a3":  # a Hangul syllable: its letters never match apart
        return char
    return _unaccented(char.casefold())


def _folded_with_owners(text: str) -> tuple[str, list[int]]:
    pieces: list[str] = []
    owners: list[int] = []
    for position, char in enumerate(text):
        piece = _fold_char(char)
        pieces.append(piece)
        owners.extend([position] * len(piece))
    return "".join(pieces), owners


def _compared(text: str, words: list[str]) -> tuple[str, Sequence[int], list[str]]:
    """`text` folded character by character, the position in `text` each folded character
    comes from, and the words folded the same way."""
    if text.isascii() and all(word.isascii() for word in words):  # most titles: 35x faster
        return text.lower(), range(len(text)), [word.lower() for word in words]
    folded, owners = _folded_with_owners(text)
    return folded, owners, ["".join(_fold_char(char) for char in word) for word in words]


def holds_words(text: str, words: Iterable[str]) -> bool:
    """Whether each of `words` occurs in `text` (as a substring), compared as `match_spans`
    compares them (a word that folds to nothing never does)."""
    folded, _, needles = _compared(text, list(words))
    return all(needle and needle in folded for needle in needles)


def match_spans(text: str, words: Iterable[str]) -> list[tuple[int, int]]:
    """Where each of `words` occurs in `text` (anywhere, as a substring), compared folded as a
    search compares words: (start, end) offsets into `text` itself.

    Why: a list marks the typed words in each title; comparing lower-cased text missed
    `Schrödinger` for `schrodinger`, and `casefold` changes lengths (`ß` is `ss`), which
    shifted every mark after it.
    """
    folded, owners, needles = _compared(text, list(words))
    spans: list[tuple[int, int]] = []
    for needle in needles:
        if not needle:
            continue
        start = folded.find(needle)
        while start != -1:
            end = start + len(needle)
            stop = owners[end - 1] + 1
            while stop < len(text) and not _fold_char(text[stop]):  # its marks go with it
                stop += 1
            spans.append((owners[start], stop))
            start = folded.find(needle, end)
    return spans
