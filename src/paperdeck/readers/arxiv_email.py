"""arXiv daily listing emails ("new submissions" digests from the e-mail alerting service).

Layout, as arXiv's own listing code splits it: entries separated by rules (`------` plain,
`%-%-%-` before cross-lists, `%%--%%--` before replacements, `%%%---%%%---` at the end); each
entry starts with `\\` and `arXiv:ID` (`(*cross-listing*)` after it for cross-lists), then
`Date: ...` or `replaced with revised version ...`, header fields (`Title:`, `Authors:`,
`Categories:`, `Comments:`, `Journal-ref:`, `DOI:`; continuation lines are indented), the
abstract between `\\` lines, and `\\ ( https://arxiv.org/abs/ID ,  12kb)`.
"""

from __future__ import annotations

import re
from datetime import date
from email.utils import parsedate_to_datetime

from paperdeck.readers.latex import latex_to_text
from paperdeck.readers.record import (
    ARXIV_ID,
    EntryKind,
    Links,
    ReadResult,
    ReadWarning,
    SourceRecord,
    collapse,
    normalise_doi,
    split_arxiv_id,
)

NAME = "arxiv-email"
# `arXiv:ID [(*cross-listing*)]`, and the older `Paper[ (*cross-listing*)]: ID` form.
_ARXIV_LINE = re.compile(
    rf"^(?:arXiv:(?P<id>{ARXIV_ID}(?:v\d+)?)(?P<cross>\s*\(\*cross-listing\*\))?"
    rf"|Paper(?P<pcross>\s*\(\*cross-listing\*\))?:\s?(?P<pid>{ARXIV_ID}(?:v\d+)?))\s*$"
)
_RULE = re.compile(r"^(?:-{10,}|%-%-%-%-|%%--%%--|%%%---%%%---)")
_CROSS_RULE = re.compile(r"^%-%-%-%-")
_REPLACE_RULE = re.compile(r"^%%--%%--")
_FIELD = re.compile(r"^([A-Za-z][A-Za-z-]*):\s?(.*)$")
_LINK_LINE = re.compile(r"^\\\\\s*\(\s*(\S+)\s*,")
_REPLACED = re.compile(
    r"^(?:replaced with revised version|(?:figures|part) added)\s*(.*?)\s*(?:\(\d+kb[^)]*\))?\s*$",
    re.I,
)
_DATE_REVISED = re.compile(r"^Date \(revised v(\d{1,4})\):\s*(.*)$")
_REVISED_VERSION = re.compile(r"\(revised v(\d+)\)|\(v(\d+)\)\s*$")


def looks_like(text: str) -> bool:
    """At least one `arXiv:ID` line with a `Title:` line after it, as every listing has."""
    match = re.search(rf"^(?:arXiv:|Paper(?: \(\*cross-listing\*\))?: ?){ARXIV_ID}", text, re.M)
    return match is not None and re.search(r"^Title: ", text[match.start() :], re.M) is not None


def read(text: str) -> ReadResult:
    """Every entry of the digest, in order, each marked new / cross-list / replacement."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    records: list[SourceRecord] = []
    warnings: list[ReadWarning] = []
    section = EntryKind.NEW
    index = 0
    while index < len(lines):
        line = lines[index]
        if _CROSS_RULE.match(line):
            section = EntryKind.CROSS_LIST
        elif _REPLACE_RULE.match(line):
            section = EntryKind.REPLACEMENT
        match = _ARXIV_LINE.match(line.strip())
        if not match:
            index += 1
            continue
        end = index + 1
        while (
            end < len(lines)
            and not _RULE.match(lines[end])
            and not _ARXIV_LINE.match(lines[end].strip())
        ):
            end += 1
        record = _entry(lines, index, end, match, section, warnings)
        if record is not None:
            records.append(record)
        index = end
    return ReadResult(NAME, tuple(records), tuple(warnings))


def _entry(
    lines: list[str],
    start: int,
    end: int,
    match: re.Match[str],
    section: EntryKind,
    warnings: list[ReadWarning],
) -> SourceRecord | None:
    line_no = start + 1
    shown_id = match.group("id") or match.group("pid")
    arxiv_id, version = split_arxiv_id(shown_id)
    fields: dict[str, str] = {}
    last: str | None = None
    position = start + 1
    replaced_on: date | None = None
    # Header: Date / replaced line and the fields, up to the `\\` that opens the abstract.
    while position < end and lines[position].strip() != "\\\\":
        raw = lines[position]
        replaced = None if raw[:1].isspace() else _REPLACED.match(raw)
        field = _FIELD.match(raw)
        revised = _DATE_REVISED.match(raw.strip())
        if revised:  # `Date (revised v2): ...`, as arXiv's abstract records print it
            version = max(version or 0, int(revised.group(1)))
            replaced_on = _email_date(revised.group(2).split("(")[0]) or replaced_on
        elif replaced:
            replaced_on = _email_date(replaced.group(1))
            fields.setdefault("replaced", replaced.group(1))
        elif raw[:1].isspace() and last and raw.strip():
            fields[last] += " " + raw.strip()
        elif field:
            last = field.group(1).lower()
            fields[last] = fields.get(last, "") + field.group(2)
        elif raw.strip().startswith("\\\\ ("):
            break
        position += 1
    abstract_lines: list[str] = []
    abs_link = None
    if position < end and lines[position].strip() == "\\\\":
        position += 1
        while position < end:
            stripped = lines[position].strip()
            link = _LINK_LINE.match(stripped)
            if link:
                abs_link = link.group(1)
                break
            abstract_lines.append(stripped)
            position += 1
    for later in range(position, end):
        link = _LINK_LINE.match(lines[later].strip())
        if link:
            abs_link = link.group(1)
            break
    title = collapse(fields.get("title", ""))
    if not title:
        warnings.append(
            ReadWarning(
                line_no,
                f"arXiv:{shown_id} has no Title: line and was skipped; "
                "save the whole listing email again",
            )
        )
        return None
    kind = section
    if match.group("cross") or match.group("pcross"):
        kind = EntryKind.CROSS_LIST
    if "replaced" in fields:
        kind = EntryKind.REPLACEMENT
    date_field = fields.get("date", "")
    revised = _REVISED_VERSION.search(date_field)
    if version is None and revised:
        version = int(revised.group(1) or revised.group(2))
    published = _email_date(date_field.split("(")[0]) if date_field else None
    categories = tuple(collapse(fields.get("categories", "")).split())
    return SourceRecord(
        format=NAME,
        line=line_no,
        title=collapse(latex_to_text(title)),
        abstract=collapse(" ".join(abstract_lines)),
        authors=split_authors(fields.get("authors", "")),
        published=published if kind is not EntryKind.REPLACEMENT else None,
        published_precision="day" if published and kind is not EntryKind.REPLACEMENT else None,
        updated=replaced_on,
        arxiv_id=arxiv_id,
        arxiv_version=version,
        doi=normalise_doi(collapse(fields.get("doi", "")).split(" ")[0]),
        categories=categories,
        primary_category=categories[0] if categories else None,
        journal_ref=collapse(fields.get("journal-ref", "")) or None,
        links=Links(abstract_page=abs_link),
        entry_kind=kind,
    )


def _email_date(text: str) -> date | None:
    """`Thu, 31 Dec 2020 18:59:59 GMT` (RFC 2822, as the listings print it) -> its date."""
    try:
        return parsedate_to_datetime(text.strip()).date()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def split_authors(text: str) -> tuple[str, ...]:
    """`A. Smith (MIT), B. Jones and C. White` -> names; affiliations in parentheses dropped.

    Commas inside parentheses belong to affiliations, so the split counts parenthesis depth.
    """
    text = collapse(latex_to_text(text))
    names: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif depth == 0:
            if char == ",":
                names.append("".join(current))
                current = []
            else:
                current.append(char)
    names.append("".join(current))
    result: list[str] = []
    for part in names:
        for name in re.split(r"\s+and\s+|^and\s+", part.strip()):
            name = collapse(name)
            if name and name.lower() not in {"and", "et al", "et al."}:
                result.append(name)
    return tuple(result)
