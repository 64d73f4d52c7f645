"""What every reader returns: one plain record per paper entry, plus warnings that say what to do.

Records are source-neutral on purpose: the corpus and identity layers merge them by arXiv ID,
DOI or title without knowing which file format they came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import Enum


class EntryKind(Enum):
    """How a listing email announced an entry (other formats leave it None)."""

    NEW = "new"
    CROSS_LIST = "cross-list"
    REPLACEMENT = "replacement"


@dataclass(frozen=True)
class Links:
    """Links a source gives for a paper; `other` keeps the rest in file order."""

    pdf: str | None = None
    abstract_page: str | None = None
    other: tuple[str, ...] = ()


@dataclass(frozen=True)
class SourceRecord:
    """One paper entry as a file states it; None/empty where the file says nothing.

    `published_precision` says how much of `published` the file gave ("day", "month", "year"):
    a year-only BibTeX entry gets January 1st in `published`, which must not be shown as a day.
    """

    format: str
    line: int
    title: str = ""
    abstract: str = ""
    authors: tuple[str, ...] = ()
    published: date | None = None
    published_precision: str | None = None
    updated: date | None = None
    arxiv_id: str | None = None
    arxiv_version: int | None = None
    doi: str | None = None
    categories: tuple[str, ...] = ()
    primary_category: str | None = None
    journal_ref: str | None = None
    links: Links = field(default_factory=Links)
    upvotes: int | None = None
    comments: int | None = None
    entry_kind: EntryKind | None = None
    key: str | None = None


@dataclass(frozen=True)
class ReadWarning:
    """Something a reader skipped or could not read exactly: where, and what to do about it."""

    line: int
    message: str


@dataclass(frozen=True)
class ReadResult:
    """Records in file order and warnings in file order; `format` is None when not recognised."""

    format: str | None
    records: tuple[SourceRecord, ...] = ()
    warnings: tuple[ReadWarning, ...] = ()


# New-style IDs (2007 on: YYMM.NNNN, YYMM.NNNNN from 2015) and old-style archive/YYMMNNN IDs.
ARXIV_ID = r"(?:\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7})"
_ARXIV_ID_VERSION = re.compile(rf"^({ARXIV_ID})(?:v(\d+))?$")
_ARXIV_IN_TEXT = re.compile(
    rf"(?:arxiv\.org/(?:abs|pdf)/|arXiv:\s*|10\.48550/arxiv\.)({ARXIV_ID})(?:v(\d+))?",
    re.IGNORECASE,
)
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_WHITESPACE = re.compile(r"\s+")


class LineCounter:
    """1-based line of increasing offsets in one text, counting each newline once (a file
    with thousands of entries must not be rescanned from the start for every entry)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._offset = 0
        self._line = 1

    def line_at(self, offset: int) -> int:
        if offset < self._offset:
            self._offset, self._line = 0, 1
        self._line += self._text.count("\n", self._offset, offset)
        self._offset = offset
        return self._line


def collapse(text: str) -> str:
    """Whitespace runs (line wraps from Atom, email and BibTeX) become single spaces."""
    return _WHITESPACE.sub(" ", text).strip()


def split_arxiv_id(text: str) -> tuple[str | None, int | None]:
    """`2101.00001v2` -> ("2101.00001", 2); anything that is not a bare arXiv ID -> (None, None)."""
    text = text.strip()
    if text.lower().startswith("arxiv:"):
        text = text[6:].strip()
    match = _ARXIV_ID_VERSION.match(text)
    if not match:
        return None, None
    version = int(match.group(2)) if match.group(2) and len(match.group(2)) < 6 else None
    return match.group(1), version


def find_arxiv_id(text: str) -> tuple[str | None, int | None]:
    """The first arXiv ID in a URL, an `arXiv:` mention or an arXiv DOI (10.48550/arXiv.*)."""
    match = _ARXIV_IN_TEXT.search(text)
    if not match:
        return None, None
    version = int(match.group(2)) if match.group(2) and len(match.group(2)) < 6 else None
    arxiv_id = match.group(1)
    if "/" not in arxiv_id:
        return arxiv_id, version
    archive, number = arxiv_id.split("/", 1)
    return f"{archive.lower() if '.' not in archive else archive}/{number}", version


def normalise_doi(text: str | None) -> str | None:
    """Lower-case DOI without resolver prefix, or None when it is not a DOI (must start `10.`)."""
    if not text:
        return None
    doi = _DOI_PREFIX.sub("", text.strip()).strip().lower()
    if not re.match(r"^10\.\d{4,9}/\S+$", doi):
        return None
    return doi


def safe_date(year: object, month: object = None, day: object = None) -> tuple[date | None, str]:
    """A date from loose parts (strings or ints), with how precise it is; (None, "") if invalid
    (a month or day of 0 too: it is not "not given")."""
    try:
        y = int(str(year).strip())
        m = int(str(month).strip()) if month not in (None, "") else None
        d = int(str(day).strip()) if day not in (None, "") and m is not None else None
        if not 1 <= y <= 9999:
            return None, ""
        found = date(y, 1 if m is None else m, 1 if d is None else d)
        return found, "day" if d is not None else "month" if m is not None else "year"
    except (TypeError, ValueError, OverflowError):
        return None, ""


SEASONS = (*range(13, 17), *range(21, 25))  # CSL/citeproc and EDTF months that are seasons
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")  # fmt: skip


@dataclass(frozen=True)
class LooseDate:
    """The most precise real date in a file's date parts, and what was dropped (for a warning)."""

    value: date | None
    precision: str | None  # "day", "month", "year"; None without a date
    problem: str | None = None  # e.g. "there is no month 13, so only the year 2021 was kept"


def clipped(text: str, limit: int = 30) -> str:
    """A file's value in a message: at most `limit` characters (a value can be megabytes)."""
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def _part(value: object) -> str:
    """A date part in a message."""
    return clipped(str(value).strip(), 20)


def loose_date(
    year: object, month: object = None, day: object = None, *, seasons: bool = False
) -> LooseDate:
    """A date from loose parts that keeps what is real: a day that does not exist keeps the
    month, a month that does not exist keeps the year (with `seasons`, a season, like CSL's
    13-16, keeps the year without a problem). Why: one wrong part must not cost the rest, and
    the user hears what was dropped instead of the date silently vanishing or moving."""
    found, precision = safe_date(year, month, day)
    if found:
        return LooseDate(found, precision)
    with_month, _ = safe_date(year, month)
    if with_month and day not in (None, ""):
        kept = f"{_MONTH_NAMES[with_month.month - 1]} {with_month.year}"
        return LooseDate(
            with_month, "month", f"there is no day {_part(day)} in {kept}, so only {kept} was kept"
        )
    year_only, _ = safe_date(year)
    if year_only is None:
        return LooseDate(None, None, f"{_part(year)} is not a year, so there is no date")
    if month in (None, "") or (seasons and str(month).strip() in {str(n) for n in SEASONS}):
        return LooseDate(year_only, "year")
    return LooseDate(
        year_only,
        "year",
        f"there is no month {_part(month)}, so only the year {year_only.year} was kept",
    )


def iso_date(text: str | None) -> date | None:
    """The date part of an ISO 8601 timestamp (`2003-07-07T13:46:39-04:00`), or None."""
    if not text:
        return None
    match = re.match(r"^\s*(\d{4})-(\d{2})-(\d{2})", text)
    if not match:
        return None
    return safe_date(*match.groups())[0]


def as_count(value: object) -> int | None:
    """A non-negative count from JSON (ints only; booleans and strings are not counts)."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return None
