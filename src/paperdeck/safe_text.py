"""Text from papers and notes made safe to show on a terminal.

Titles, abstracts, tags, notes, links and file names come from scraped pages, imports and other
machines (through git): a terminal would obey an escape sequence hidden in them (OSC 52 writes the
clipboard, OSC 0/2 sets the window title, CSI clears the screen). Every face passes such text
through `terminal_safe` where it is shown; the stored data is never changed.

What is replaced, always by something visible so nothing is silently hidden:

- C0 controls (U+0000-U+001F) except tab and newline, carriage return included (it lets a line
  overwrite itself), become their Unicode Control Picture: ESC -> `␛`, BEL -> `␇`, CR -> `␍`.
- DEL (U+007F) becomes `␡`.
- C1 controls (U+0080-U+009F; U+009B is a one-character CSI, U+009D an OSC) become the four
  characters `\\x9b` (backslash, x, two hex digits).
- Bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), which reorder what is
  shown ("Trojan Source"), become `\\u202e` (backslash, u, four hex digits).

Clean text comes back unchanged (the same object).
"""

from __future__ import annotations

import re

_KEPT = {"\t", "\n"}
_BIDI = [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]

_REPLACEMENTS: dict[int, str] = {
    **{code: chr(0x2400 + code) for code in range(0x20) if chr(code) not in _KEPT},
    0x7F: "\u2421",
    **{code: f"\\x{code:02x}" for code in range(0x80, 0xA0)},
    **{code: f"\\u{code:04x}" for code in _BIDI},
}

UNSAFE = re.compile("[" + "".join(re.escape(chr(code)) for code in sorted(_REPLACEMENTS)) + "]")
"""Matches any one character `terminal_safe` replaces."""


def terminal_safe(text: str) -> str:
    """`text` with every character a terminal could obey (or that reorders text) made visible."""
    if UNSAFE.search(text) is None:
        return text
    return text.translate(_REPLACEMENTS)


_ONE_FOR_ONE: dict[int, str] = {
    code: (shown if len(shown) == 1 else "\ufffd") for code, shown in _REPLACEMENTS.items()
}


def terminal_safe_same_length(text: str) -> str:
    """Like `terminal_safe`, but one character for one (C1 and bidi become `�`), for editors
    whose cursor and highlights are placed by character offsets into the exact text."""
    if UNSAFE.search(text) is None:
        return text
    return text.translate(_ONE_FOR_ONE)


def has_unsafe(text: str) -> bool:
    """True when `text` holds a control character (tab and newline aside) or a bidi override."""
    return UNSAFE.search(text) is not None


def is_safe_link(link: str) -> bool:
    """A link fit to open or copy: no control character, no bidi override, no white space.

    A browser or a shell given such a link could be led somewhere other than what was shown.
    """
    return bool(link) and not has_unsafe(link) and not any(c.isspace() for c in link)


_JSON_ESCAPES: dict[int, str] = {
    code: f"\\u{code:04x}" for code in (0x7F, *range(0x80, 0xA0), *_BIDI)
}


def json_terminal_safe(json_text: str) -> str:
    """JSON text with DEL, C1 and bidi overrides written as `\\uXXXX` escapes.

    `json.dumps(..., ensure_ascii=False)` escapes C0 controls but writes these as they are; they
    can only occur inside strings, where the escape decodes to the exact same text.
    """
    if UNSAFE.search(json_text) is None:
        return json_text
    return json_text.translate(_JSON_ESCAPES)
