"""Readers for the files people already have: arXiv API Atom, arXiv listing emails, BibTeX,
CSL JSON (Zotero / Better BibTeX), Hugging Face daily-papers JSON and Markdown page captures.

Self-contained on purpose (stdlib, bibtexparser, pylatexenc; nothing else of paperdeck): the
corpus, identity and import/fetch layers consume `SourceRecord`s without knowing the formats.
`detect` and `read` recognise a format from the content (the file name is only a tie-breaker)
and never raise, whatever the input.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath

from paperdeck.readers import (
    arxiv_atom,
    arxiv_email,
    bibtex,
    csl_json,
    hf_json,
    hf_markdown,
    jsondoc,
)
from paperdeck.readers.record import (
    EntryKind,
    Links,
    ReadResult,
    ReadWarning,
    SourceRecord,
)

__all__ = [
    "FORMATS",
    "READERS",
    "EntryKind",
    "Links",
    "ReadResult",
    "ReadWarning",
    "SourceRecord",
    "detect",
    "read",
]

READERS: dict[str, Callable[[str], ReadResult]] = {
    arxiv_atom.NAME: arxiv_atom.read,
    arxiv_email.NAME: arxiv_email.read,
    bibtex.NAME: bibtex.read,
    csl_json.NAME: csl_json.read,
    hf_json.NAME: hf_json.read,
    hf_markdown.NAME: hf_markdown.read,
}
FORMATS = tuple(READERS)
_HINTS = {
    ".xml": arxiv_atom.NAME,
    ".atom": arxiv_atom.NAME,
    ".eml": arxiv_email.NAME,
    ".txt": arxiv_email.NAME,
    ".bib": bibtex.NAME,
    ".bibtex": bibtex.NAME,
    ".md": hf_markdown.NAME,
    ".markdown": hf_markdown.NAME,
}
_NOT_RECOGNISED = (
    "this file is not in a format paperdeck reads (arXiv API Atom, arXiv listing email, BibTeX, "
    "CSL JSON, Hugging Face daily-papers JSON or a Markdown capture of Hugging Face papers); "
    "export it in one of those"
)


def _candidates(text: str) -> tuple[list[str], ReadWarning | None]:
    """Every format the content matches, most specific first; a JSON syntax error is kept for
    when nothing else matches (a Markdown capture may start with `[` too)."""
    json_error = None
    if jsondoc.looks_like_json(text):
        document, _, json_error = jsondoc.parse(text, "JSON")
        if json_error is None:
            for name, test in (
                (hf_json.NAME, hf_json.looks_like),
                (csl_json.NAME, csl_json.looks_like),
            ):
                if test(document):
                    return [name], None
    found = [
        name
        for name, test in (
            (arxiv_atom.NAME, arxiv_atom.looks_like),
            (bibtex.NAME, bibtex.looks_like),
            (arxiv_email.NAME, arxiv_email.looks_like),
            (hf_markdown.NAME, hf_markdown.looks_like),
        )
        if test(text)
    ]
    return found, (json_error if not found else None)


def _choose(found: list[str], filename: str) -> str | None:
    if not found:
        return None
    hint = _HINTS.get(PurePath(filename).suffix.lower()) if filename else None
    return hint if hint in found else found[0]


def detect(text: str, filename: str = "") -> str | None:
    """The format name of `text`, or None; `filename`'s extension only breaks ties."""
    try:
        return _choose(_candidates(text)[0], filename)
    except Exception:  # detection must never be why a file fails to open
        return None


def read(text: str, filename: str = "") -> ReadResult:
    """All records and warnings of `text` in its detected format; never raises."""
    try:
        found, json_error = _candidates(text)
        name = _choose(found, filename)
    except Exception:
        name, json_error = None, None
    if json_error is not None:
        return ReadResult(None, (), (json_error,))
    if name is None:
        if not text.strip():
            return ReadResult(None, (), (ReadWarning(1, "this file is empty; nothing to read"),))
        return ReadResult(None, (), (ReadWarning(1, _NOT_RECOGNISED),))
    try:
        return READERS[name](text)
    except Exception as error:  # a reader bug must not become a traceback for the user
        message = f"paperdeck could not read this {name} file ({type(error).__name__}); "
        return ReadResult(name, (), (ReadWarning(1, message + "please report it"),))
