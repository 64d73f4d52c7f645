"""Files in the formats of `paperdeck.readers` (arXiv, BibTeX, CSL JSON, Hugging Face) as corpus
entries: their records become entries and their warnings problems, with the file and line.

The readers recognise their formats by markers no plain-text page has (an Atom feed, `@entry{`,
`arXiv:ID` with `Title:`, JSON of a known shape, Hugging Face paper links), so a corpus of
plain-text pages reads exactly as it did before the readers were wired in.
"""

from __future__ import annotations

from paperdeck.corpus.fields import extract_links
from paperdeck.corpus.identity import collapse_whitespace
from paperdeck.corpus.paper import Entry, PaperDate, Source
from paperdeck.problems import Problem
from paperdeck.readers import SourceRecord, detect
from paperdeck.readers import read as read_records


def is_foreign(text: str, path: str) -> bool:
    """Whether a reader recognises `text` (then it is read by the readers, not as a page)."""
    return detect(text, path) is not None


def parse_foreign(text: str, path: str) -> tuple[str | None, list[Entry], list[Problem]]:
    """(format name, entries, problems) of a file in a readers format; (None, [], []) when no
    reader recognises it (the caller then reports it as not a format)."""
    result = read_records(text, path)
    if result.format is None:
        return None, [], []
    # A reader's warning already says what to do (its own words, for its own format).
    problems = [Problem(path, warning.line, warning.message) for warning in result.warnings]
    entries = []
    for record in result.records:
        entry = record_entry(record, path)
        if entry is None:
            problems.append(
                Problem(
                    path,
                    record.line,
                    f"a {result.format} entry with neither title nor abstract; skipped",
                    "give the entry a title",
                )
            )
        else:
            entries.append(entry)
    return result.format, entries, problems


def record_entry(record: SourceRecord, path: str) -> Entry | None:
    """One entry from one record; None when it has nothing to show (no title, no abstract)."""
    title = collapse_whitespace(record.title) or None
    abstract = collapse_whitespace(record.abstract)
    if title is None and not abstract:
        return None
    published = record.published
    # A month- or year-only date (BibTeX `year = 2020`) keeps what it says, and no invented day.
    precision = record.published_precision
    date = (
        PaperDate(
            published.year,
            published.month if precision in ("day", "month") else 0,
            published.day if precision == "day" else 0,
        )
        if published is not None and precision in ("day", "month", "year")
        else None
    )
    links: list[str] = []
    for link in (
        record.links.abstract_page,
        record.links.pdf,
        *record.links.other,
        *extract_links(abstract),
    ):
        if link and link not in links:
            links.append(link)
    authors = tuple(name for name in (collapse_whitespace(a) for a in record.authors) if name)
    return Entry(
        title,
        abstract,
        Source(path, max(record.line, 1)),
        author_count=len(authors) or None,
        date=date,
        comments=record.comments,
        links=tuple(links),
        upvotes=record.upvotes,
        authors=authors,
        arxiv_id=record.arxiv_id,
        doi=record.doi,
        categories=tuple(record.categories),
        foreign=True,
        journal_ref=collapse_whitespace(record.journal_ref or "") or None,
        listing=record.entry_kind.value if record.entry_kind is not None else None,
    )
