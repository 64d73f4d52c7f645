"""BibTeX / biblatex files, split into blocks by bibtexparser 2 (fault tolerant: a broken entry
becomes a failed block with its line, and the entries after it are still read).

Field values are evaluated here rather than by bibtexparser's string middleware, because BibTeX
values can be `#` concatenations of quoted or braced parts, `@string` macros, numbers and the
predefined month macros (`jan` ... `dec`); after that, TeX is decoded to Unicode.
"""

from __future__ import annotations

import logging
import re

import bibtexparser
from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from bibtexparser.model import Entry

from paperdeck.readers.latex import latex_to_text
from paperdeck.readers.record import (
    Links,
    LooseDate,
    ReadResult,
    ReadWarning,
    SourceRecord,
    clipped,
    collapse,
    find_arxiv_id,
    loose_date,
    normalise_doi,
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
            record, problem = _record(entry, line, macros)
        except Exception as error:  # pylatexenc and name splitting on hostile input
            items.append((line, ReadWarning(line, f"entry {entry.key!r} was skipped ({error})")))
            continue
        if record is not None and problem:
            message = f"entry {entry.key!r}: {problem}; correct the date in the file"
            items.append((line, ReadWarning(line, message)))
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


def _record(
    entry: Entry, line: int, macros: dict[str, str]
) -> tuple[SourceRecord | None, str | None]:
    """The entry's record (None without a title or identifier), and its date's problem."""
    fields = {
        key.lower(): evaluate(str(field.value), macros) for key, field in entry.fields_dict.items()
    }

    def text(name: str) -> str:
        return collapse(latex_to_text(fields.get(name, "")))

    title = text("title")
    doi = normalise_doi(fields.get("doi", "").strip())
    arxiv_id, version = _arxiv(fields)
    if not title and not doi and not arxiv_id:
        return None, None
    dated = _date(fields)
    published, precision = dated.value, dated.precision
    url = fields.get("url", "").strip()
    pdf = fields.get("pdf", "").strip() or None
    categories = tuple(c for c in re.split(r"[\s,]+", fields.get("primaryclass", "")) if c)
    journal = text("journal") or text("journaltitle") or text("booktitle")
    volume = text("volume")
    record = SourceRecord(
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
    return record, dated.problem


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


_NOT_YET = {"forthcoming", "in press", "to appear", "submitted", "accepted", "n.d", "nd",
            "s.d", "no date", "undated"}  # fmt: skip


def _date(fields: dict[str, str]) -> LooseDate:
    """biblatex `date = {2023-06-08}` first, else BibTeX `year` + `month` (number or name);
    a part that is not real is dropped with a problem (`loose_date`)."""
    given = fields.get("date", "").strip()
    if biblatex := re.match(r"^\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", given):
        found = loose_date(*biblatex.groups(), seasons=True)  # EDTF seasons: 21-24
        return _said(found, f"date = {{{clipped(given)}}}")
    year_text = fields.get("year", "").strip()
    year = re.search(r"\d{4}", year_text)
    if not year:
        if year_text.strip("{} ").lower().strip(".") in _NOT_YET and not given:
            return LooseDate(None, None)  # said on purpose: no date, nothing to correct
        if given or year_text:  # `year = {2O21}`, `date = {199X}`
            shown = f"date = {{{clipped(given)}}}" if given else f"year = {{{clipped(year_text)}}}"
            return LooseDate(
                None, None, f"{shown} is not a date paperdeck reads (YYYY, YYYY-MM, YYYY-MM-DD)"
            )
        return LooseDate(None, None)
    raw_month = fields.get("month", "").strip()
    # `jul # "~4,"` (a day added to the month macro) evaluates to `7~4,`: the month comes first
    lead = re.match(r"\s*(\d{1,2}|[^\W\d_]+)", raw_month)
    month: str | int | None = (lead.group(1) if lead else raw_month) or None  # as written
    name = str(month).lower()[:3]
    if name in MONTHS:
        month = MONTHS.index(name) + 1
    found = loose_date(year.group(0), month)
    return _said(found, f"month = {{{clipped(raw_month)}}}")


def _said(found: LooseDate, where: str) -> LooseDate:
    """`found` with its problem (if any) saying which field it is about."""
    if not found.problem:
        return found
    return LooseDate(found.value, found.precision, f"{where}: {found.problem}")


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
