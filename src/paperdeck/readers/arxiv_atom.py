"""arXiv API responses (`export.arxiv.org/api/query`) saved to a file: an Atom 1.0 feed.

Follows the arXiv API User's Manual: one `<entry>` per paper with `<id>` (the abstract URL with
version), `<published>` (v1), `<updated>` (this version), `<title>` and `<summary>` wrapped over
lines, `<author><name>`, `<link rel="alternate">` (abstract page), `<link title="pdf">`,
`<link title="doi">`, `<category term>` and the `arxiv:` elements primary_category, comment,
journal_ref and doi. A broken entry is skipped with a warning; the other entries are still read.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from paperdeck.readers.record import (
    LineCounter,
    Links,
    ReadResult,
    ReadWarning,
    SourceRecord,
    collapse,
    find_arxiv_id,
    iso_date,
    normalise_doi,
)

NAME = "arxiv-atom"
ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
_FEED_START = re.compile(r"<(?:[\w.-]+:)?feed\b[^>]*>", re.DOTALL)
_ENTRY_START = re.compile(r"<(?:[\w.-]+:)?entry[\s>]")
_ENTRY_END = re.compile(r"</(?:[\w.-]+:)?entry\s*>")


def looks_like(text: str) -> bool:
    """An XML document whose root is an Atom feed (the namespace is what makes it Atom)."""
    head = text[:4000]
    return "http://www.w3.org/2005/Atom" in head and bool(_FEED_START.search(head))


def read(text: str) -> ReadResult:
    """Every entry of the feed; never raises."""
    if re.search(r"<!(?:DOCTYPE|ENTITY)", text):
        # arXiv never sends a DTD; refusing one keeps entity expansion bombs out.
        return ReadResult(NAME, (), (ReadWarning(1, _DTD_MESSAGE),))
    try:
        root = ET.fromstring(text)
    except ET.ParseError as error:
        return _read_entry_by_entry(text, error)
    except (ValueError, RecursionError):
        return ReadResult(NAME, (), (ReadWarning(1, _UNREADABLE),))
    starts = _entry_lines(text)
    records: list[SourceRecord] = []
    warnings: list[ReadWarning] = []
    for index, entry in enumerate(root.iter(f"{ATOM}entry")):
        line = starts[index] if index < len(starts) else 1
        _add(entry, line, records, warnings)
    return ReadResult(NAME, tuple(records), tuple(warnings))


_DTD_MESSAGE = (
    "this Atom file declares a DTD or entities, which arXiv's API never sends; "
    "save the API response again unchanged"
)
_UNREADABLE = "this Atom file could not be read as XML; save the arXiv API response again"


def _read_entry_by_entry(text: str, error: ET.ParseError) -> ReadResult:
    """The whole feed is not well-formed: read each `<entry>` on its own so one bad entry
    (a truncated download, a hand edit) does not lose the others."""
    feed = _FEED_START.search(text)
    opening = feed.group(0) if feed else f'<feed xmlns="{ATOM[1:-1]}">'
    if opening.endswith("/>"):
        opening = opening[:-2] + ">"
    closing = "</" + opening[1:].split(None, 1)[0].rstrip(">") + ">"
    records: list[SourceRecord] = []
    warnings: list[ReadWarning] = []
    found = False
    counter = LineCounter(text)
    for start, end in _entry_spans(text):
        found = True
        line = counter.line_at(start)
        try:
            if end is None:
                raise ET.ParseError("entry not closed before the next one or the end")
            wrapper = ET.fromstring(opening + text[start:end] + closing)
        except (ET.ParseError, ValueError, RecursionError) as entry_error:
            where = _error_line(entry_error, line)
            warnings.append(
                ReadWarning(
                    where,
                    f"this Atom entry is not well-formed XML ({_reason(entry_error)}) and was "
                    "skipped; fix it or download the entry again",
                )
            )
            continue
        for entry in wrapper.iter(f"{ATOM}entry"):
            _add(entry, line, records, warnings)
    position = getattr(error, "position", (1, 0))
    if not found or not records:
        warnings.append(
            ReadWarning(
                position[0],
                f"this Atom file is not well-formed XML ({_reason(error)}); "
                "save the arXiv API response again",
            )
        )
    return ReadResult(NAME, tuple(records), tuple(sorted(warnings, key=lambda w: w.line)))


def _entry_spans(text: str) -> list[tuple[int, int | None]]:
    """(start, end) of each `<entry>`, end None when the next entry (or the end of the file)
    comes before its closing tag. Spans never overlap, so a file of unclosed entries is still
    read in one pass."""
    starts = [m.start() for m in _ENTRY_START.finditer(text)]
    spans: list[tuple[int, int | None]] = []
    for number, start in enumerate(starts):
        limit = starts[number + 1] if number + 1 < len(starts) else len(text)
        close = _ENTRY_END.search(text, start, limit)
        spans.append((start, close.end() if close else None))
    return spans


def _reason(error: Exception) -> str:
    return str(error).split(":", 1)[0] or "syntax error"


def _error_line(error: Exception, entry_line: int) -> int:
    position: tuple[int, int] | None = getattr(error, "position", None)  # ElementTree's ParseError
    if position:
        return entry_line + max(position[0] - 1, 0)
    return entry_line


def _entry_lines(text: str) -> list[int]:
    """Line numbers of `<entry` start tags: ElementTree keeps no positions, so find them."""
    counter = LineCounter(text)
    return [counter.line_at(m.start()) for m in _ENTRY_START.finditer(text)]


def _text(element: ET.Element, tag: str) -> str:
    child = element.find(tag)
    return collapse("".join(child.itertext())) if child is not None else ""


def _add(
    entry: ET.Element, line: int, records: list[SourceRecord], warnings: list[ReadWarning]
) -> None:
    entry_id = _text(entry, f"{ATOM}id")
    title = _text(entry, f"{ATOM}title")
    summary = _text(entry, f"{ATOM}summary")
    if "/api/errors" in entry_id or (title == "Error" and not find_arxiv_id(entry_id)[0]):
        # The API answers a bad query with HTTP 200 and a single entry titled "Error".
        warnings.append(
            ReadWarning(
                line, f"arXiv answered with an error: {summary or 'no details'}; fix the query"
            )
        )
        return
    arxiv_id, version = find_arxiv_id(entry_id)
    pdf = abstract_page = None
    other: list[str] = []
    for link in entry.iter(f"{ATOM}link"):
        href = (link.get("href") or "").strip()
        if not href:
            continue
        if link.get("title") == "pdf" or link.get("type") == "application/pdf":
            pdf = pdf or href
        elif link.get("rel", "alternate") == "alternate":
            abstract_page = abstract_page or href
        elif href not in other:
            other.append(href)
    if not arxiv_id and abstract_page:
        arxiv_id, version = find_arxiv_id(abstract_page)
    categories: list[str] = []
    for category in entry.iter(f"{ATOM}category"):
        term = (category.get("term") or "").strip()
        if term and term not in categories:
            categories.append(term)
    primary = entry.find(f"{ARXIV}primary_category")
    primary_term = (primary.get("term") or "").strip() if primary is not None else ""
    authors = tuple(
        name for author in entry.iter(f"{ATOM}author") if (name := _text(author, f"{ATOM}name"))
    )
    if not title and not summary and not arxiv_id:
        warnings.append(ReadWarning(line, "this Atom entry has no title, abstract or ID; skipped"))
        return
    published = iso_date(_text(entry, f"{ATOM}published"))
    records.append(
        SourceRecord(
            format=NAME,
            line=line,
            title=title,
            abstract=summary,
            authors=authors,
            published=published,
            published_precision="day" if published else None,
            updated=iso_date(_text(entry, f"{ATOM}updated")),
            arxiv_id=arxiv_id,
            arxiv_version=version,
            doi=normalise_doi(_text(entry, f"{ARXIV}doi")),
            categories=tuple(categories),
            primary_category=primary_term or (categories[0] if categories else None),
            journal_ref=_text(entry, f"{ARXIV}journal_ref") or None,
            links=Links(pdf=pdf, abstract_page=abstract_page, other=tuple(other)),
        )
    )
