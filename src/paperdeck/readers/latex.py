"""TeX accents and braces in metadata (`J\\"org`, `{\\'E}mile`, `{\\ss}`) to Unicode.

arXiv listing emails and BibTeX files keep author names and titles in TeX; readers show and
search them as plain text. Math (`$x^2$`) is kept as written: it is not accents.
"""

from __future__ import annotations

from pylatexenc.latex2text import LatexNodes2Text

_DECODER = LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=False)


def latex_to_text(text: str) -> str:
    """Unicode text for TeX markup; the input unchanged when it has none or cannot be decoded."""
    if "\\" not in text and "{" not in text and "~" not in text:
        return text
    try:
        decoded: str = _DECODER.latex_to_text(text)  # pylatexenc has no type hints
        return decoded
    except Exception:  # pylatexenc has no documented error set; bad TeX stays as written
        return text
