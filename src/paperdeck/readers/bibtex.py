"""BibTeX / biblatex files, split into blocks by bibtexparser 2 (fault tolerant: a broken entry
becomes a failed block with its line, and the entries after it are still read).

Field values are evaluated here rather than by bibtexparser's string middleware, because BibTeX
values can be `#` concatenations of quoted or braced parts, `@string` macros, numbers and the
predefined month macros (`jan` ... `dec`); after that, TeX is decoded to Unicode.
"""

from __future__ import annotations

import logging
import re
from datetime import date

import bibtexparser
from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from bibtexparser.model import Entry

from paperdeck.readers.latex import latex_to_text
from paperdeck.readers.record import (
    Links,
    ReadResult,
    ReadWarning,
    SourceRecord,
    collapse,
    find_arxiv_id,
    normalise_doi,
    safe_date,
    split_arxiv_id,
)

NAME = "bibtex"
# The splitter logs each aborted block; those become warnings here, never stderr noise
# in the terminal UI.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())
logging.getLogger("bibtexparser").propagate = False
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_ENTRY_START = re.compile(r"^[ \t]*@[ \t]*[A-Za-z]+[ \t]*[{(]", re.MULTILINE)
_WORD = re.compile(r"[^\s#{}\"]+")
_NOT_PAPERS = {"string", "preamble", "comment"}


def looks_like(text: str) -> bool:
    """An `@type{` (or `@type(`) block at the start of a line."""
    return any(
        m.group(0).strip()[1:].strip(" {(").lower() not in _NOT_PAPERS
        for m in _ENTRY_START.finditer(text)
    )


def read(text: str) -> ReadResult:
    """Every entry with a title or an identifier; failed blocks become warnings with lines."""
    try:
        library = bibtexparser.parse_string(text, parse_stack=[])
    except Exception as error:  # the splitter is meant to be total; stay total if it is not
        return ReadResult(
            NAME, (), (ReadWarning(1, f"this BibTeX file could not be read ({error})"),)
        )
    macros: dict[str, str] = {month: str(n) for n, month in enumerate(MONTHS, 1)}
    for string in library.strings:
        macros[string.key.lower()] = evaluate(string.value, macros)
    items: list[tuple[int, SourceRecord | ReadWarning]] = []
    for block in library.failed_blocks:
        line = (block.start_line or 0) + 1
        items.append((line, ReadWarning(line, _failed_message(block))))
    for entry in library.entries:
        line = (entry.start_line or 0) + 1
        if entry.entry_type.lower() in _NOT_PAPERS:
            continue
        try:
            record = _record(entry, line, macros)
        except Exception as error:  # pylatexenc and name splitting on hostile input
            items.append((line, ReadWarning(line, f"entry {entry.key!r} was skipped ({error})")))
            continue
        if record is None:
            items.append(
                (
                    line,
                    ReadWarning(line, f"entry {entry.key!r} has no title, DOI or eprint; skipped"),
                )
            )
        else:
            items.append((line, record))
    items.sort(key=lambda item: item[0])
    records = tuple(item for _, item in items if isinstance(item, SourceRecord))
    warnings = tuple(item for _, item in items if isinstance(item, ReadWarning))
    return ReadResult(NAME, records, warnings)


def _failed_message(block: object) -> str:
    raw = (getattr(block, "raw", "") or "").strip()
    head = raw.split("\n", 1)[0][:60]
    error = getattr(block, "error", None)
    reason = collapse(str(getattr(error, "abort_reason", "") or error or "")) or "syntax error"
    if "Duplicate" in type(block).__name__:
        return f"{head!r} repeats an entry key already used above and was skipped; rename the key"
    return (
        f"the entry starting {head!r} is not valid BibTeX ({reason}) and was skipped; "
        "close its braces or quotes, the entries after it were read"
    )


def evaluate(raw: str, macros: dict[str, str]) -> str:
    """A raw field value: `{...}`, `"..."`, numbers and macros joined by `#` (BibTeX rules)."""
    parts: list[str] = []
    index = 0
    raw = raw.strip()
    while index < len(raw):
        char = raw[index]
        if char.isspace() or char == "#":
            index += 1
        elif char == "{":
            end = _matching_brace(raw, index)
            parts.append(raw[index + 1 : end])
            index = end + 1
        elif char == '"':
            end = index + 1
            depth = 0
            while end < len(raw) and not (raw[end] == '"' and depth == 0):
                depth += {"{": 1, "}": -1}.get(raw[end], 0)
                end += 1
            parts.append(raw[index + 1 : end])
            index = end + 1
        else:
            match = _WORD.match(raw, index)
            word = match.group(0) if match else raw[index]
            parts.append(macros.get(word.lower(), word))
            index += len(word)
    return "".join(parts)


def _matching_brace(raw: str, start: int) -> int:
    depth = 0
    for index in range(start, len(raw)):
        if raw[index] == "{":
            depth += 1
        elif raw[index] == "}":
            depth -= 1
            if depth == 0:
                return index
    return len(raw)


def _record(entry: Entry, line: int, macros: dict[str, str]) -> SourceRecord | None:
    fields = {
        key.lower(): evaluate(str(field.value), macros) for key, field in entry.fields_dict.items()
    }

    def text(name: str) -> str:
        return collapse(latex_to_text(fields.get(name, "")))

    title = text("title")
    doi = normalise_doi(fields.get("doi", "").strip())
    arxiv_id, version = _arxiv(fields)
    if not title and not doi and not arxiv_id:
        return None
    published, precision = _date(fields)
    url = fields.get("url", "").strip()
    pdf = fields.get("pdf", "").strip() or None
    categories = tuple(c for c in re.split(r"[\s,]+", fields.get("primaryclass", "")) if c)
    journal = text("journal") or text("journaltitle") or text("booktitle")
    volume = text("volume")
    return SourceRecord(
        format=NAME,
        line=line,
        title=title,
        abstract=text("abstract"),
        authors=_authors(fields.get("author", "")),
        published=published,
        published_precision=precision,
        arxiv_id=arxiv_id,
        arxiv_version=version,
        doi=doi,
        categories=categories,
        primary_category=categories[0] if categories else None,
        journal_ref=collapse(f"{journal} {volume}") or None,
        links=Links(pdf=pdf, abstract_page=url or None),
        key=entry.key,
    )


def _arxiv(fields: dict[str, str]) -> tuple[str | None, int | None]:
    """`eprint` with `archivePrefix`/`eprinttype = arXiv`, `arxivId` (Mendeley), or an arXiv
    URL/DOI/journal `arXiv:...` mention, in that order."""
    prefix = (fields.get("archiveprefix") or fields.get("eprinttype") or "").strip().lower()
    eprint = fields.get("eprint", "").strip()
    if eprint and prefix in {"", "arxiv"}:
        found = split_arxiv_id(eprint)
        if found[0]:
            return found
    if fields.get("arxivid"):
        found = split_arxiv_id(fields["arxivid"])
        if found[0]:
            return found
    for name in ("doi", "url", "journal", "note", "howpublished"):
        found = find_arxiv_id(fields.get(name, ""))
        if found[0]:
            return found
    return None, None


def _date(fields: dict[str, str]) -> tuple[date | None, str | None]:
    """biblatex `date = {2023-06-08}` first, else BibTeX `year` + `month` (number or name)."""
    biblatex = re.match(r"^\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", fields.get("date", ""))
    if biblatex:
        found = safe_date(*biblatex.groups())
        if found[0]:
            return found
    year = re.search(r"\d{4}", fields.get("year", ""))
    if not year:
        return None, None
    month_text = fields.get("month", "").strip().lower()
    month: int | None = None
    if month_text.isdigit():
        month = int(month_text)
    elif month_text[:3] in MONTHS:
        month = MONTHS.index(month_text[:3]) + 1
    found = safe_date(year.group(0), month)
    if not found[0]:
        found = safe_date(year.group(0))
    return found if found[0] else (None, None)


def _authors(raw: str) -> tuple[str, ...]:
    """`Last, First and First Last and others` -> ("First Last", ...); `others` dropped."""
    names: list[str] = []
    for person in split_multiple_persons_names(raw):
        if person.strip().lower() == "others":
            continue
        try:
            parts = parse_single_name_into_parts(person, strict=False)
            ordered = [*parts.first, *parts.von, *parts.last]
            name = " ".join(ordered) + (", " + " ".join(parts.jr) if parts.jr else "")
        except Exception:  # a name bibtexparser cannot split is kept as written
            name = person
        name = collapse(latex_to_text(name))
        if name:
            names.append(name)
    return tuple(names)
