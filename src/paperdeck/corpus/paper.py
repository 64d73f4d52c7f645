"""What a paper is: the fields paperdeck reads from the corpus, independent of any file format."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from typing import Any

MONTHS = {name: number for number, name in enumerate(calendar.month_abbr) if name}


@dataclass(frozen=True, order=True)
class PaperDate:
    """A publication date; scraped pages often give no year, and we never invent one.

    Nor a day or month: a BibTeX entry with `year = 2020` alone is `PaperDate(2020, 0, 0)`
    (0: not given), shown as `2020`; only dates with a year may leave out the month or day.
    """

    year: int | None
    month: int  # 1..12, or 0 when only the year is known
    day: int  # 1..31, or 0 when only the year (and month) are known

    @property
    def year_known(self) -> bool:
        return self.year is not None

    @property
    def precision(self) -> int:
        """How much is known: 3 a whole date, 2 year and month, 1 a year, 0 month and day."""
        if self.year is None:
            return 0
        return 3 if self.day else 2 if self.month else 1

    def iso(self) -> str:
        """ISO 8601: `2023-06-08`, `2023-06` or `2023` (reduced precision), or `--06-08` (the
        ISO form for a date without a year)."""
        if self.year is None:
            return f"--{self.month:02d}-{self.day:02d}"
        parts = [f"{self.year:04d}", f"{self.month:02d}", f"{self.day:02d}"]
        return "-".join(parts[: 1 + bool(self.month) + bool(self.day)])

    def display(self) -> str:
        """`Jun 8, 2023`, `Jun 2023`, `2023`, or `Jun 8` when the year is unknown."""
        if not self.month:
            return str(self.year)
        month = calendar.month_abbr[self.month]
        if not self.day:
            return f"{month} {self.year}"
        text = f"{month} {self.day}"
        return f"{text}, {self.year}" if self.year is not None else text

    def sort_key(self) -> tuple[int, int, int]:
        """Dates without a year sort before every dated paper (they are the least certain), and
        `2023` alone before every day of 2023."""
        return (self.year or 0, self.month, self.day)

    @classmethod
    def from_iso(cls, text: str) -> PaperDate:
        if text.startswith("--"):
            month, day = text[2:].split("-")
            return cls(None, int(month), int(day))
        year, month, day = [*text.split("-"), "0", "0"][:3]
        return cls(int(year), int(month), int(day))


@dataclass(frozen=True, order=True)
class Source:
    """Where one copy of a paper was read: a corpus-relative POSIX path and a 1-based line."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Entry:
    """One occurrence of a paper in one file, before duplicates are merged."""

    title: str | None
    abstract: str
    source: Source
    author_count: int | None = None
    date: PaperDate | None = None
    comments: int | None = None
    links: tuple[str, ...] = ()
    upvotes: int | None = None  # given by Hugging Face sources (paperdeck.readers)
    authors: tuple[str, ...] = ()  # names, when the source lists them (the readers' formats)
    arxiv_id: str | None = None  # without version: what matches copies across sources
    doi: str | None = None  # lower-case, without resolver prefix
    categories: tuple[str, ...] = ()
    foreign: bool = False  # read by `paperdeck.readers` (not a plain-text corpus format)
    journal_ref: str | None = None  # where it was published (arXiv `journal_ref`, BibTeX)
    listing: str | None = None  # how a listing email announced it: new, cross-list, replacement


@dataclass(frozen=True)
class Paper:
    """A paper of the corpus: one per distinct paper, however many files list it."""

    id: str
    title: str
    title_derived: bool
    abstract: str
    sources: tuple[Source, ...]
    author_count: int | None = None
    date: PaperDate | None = None
    comments: int = 0  # the count after a daily-papers date (`Jun 8, 2023 1`)
    links: tuple[str, ...] = field(default=())
    upvotes: int | None = None  # None unless a source really gives upvotes (Hugging Face)
    authors: tuple[str, ...] = ()  # names; plain-text pages give only `author_count`
    arxiv_id: str | None = None
    doi: str | None = None
    categories: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # the IDs its other copies' titles would give (README)
    journal_ref: str | None = None
    listing: str | None = None  # "new", "cross-list" or "replacement" (arXiv listing emails)

    def brief(self) -> tuple[str, tuple[int | None, int, int] | None, int, int | None]:
        """Title, (year, month, day), comments and upvotes: what sorting needs (`Corpus.brief`)."""
        date = self.date
        ymd = (date.year, date.month, date.day) if date else None
        return self.title, ymd, self.comments, self.upvotes

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON form (documented in the README; add keys, never rename them)."""
        return {
            "id": self.id,
            "title": self.title,
            "title_derived": self.title_derived,
            "abstract": self.abstract,
            "author_count": self.author_count,
            "date": self.date.iso() if self.date else None,
            "year_known": self.date.year_known if self.date else None,
            "upvotes": self.upvotes,  # null unless a source gives upvotes
            "links": list(self.links),
            "sources": [{"path": s.path, "line": s.line} for s in self.sources],
            "comments": self.comments,  # keys are only ever added (README)
            "authors": list(self.authors),
            "arxiv_id": self.arxiv_id,
            "doi": self.doi,
            "categories": list(self.categories),
            "aliases": list(self.aliases),
            "journal_ref": self.journal_ref,
            "listing": self.listing,
        }
