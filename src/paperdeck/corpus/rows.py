"""Entries, problems and papers as plain values (tuples), the form the corpus cache stores, and
the content digest of a paper computed from that form."""

from __future__ import annotations

import hashlib

from paperdeck.corpus.cache import EntryRow, PaperRow, ProblemRow
from paperdeck.corpus.identity import identity_key
from paperdeck.corpus.paper import Entry, Paper, PaperDate, Source
from paperdeck.problems import Problem


def entry_row(entry: Entry) -> EntryRow:
    date = entry.date
    return (
        identity_key(entry.title, entry.abstract),
        entry.title,
        entry.abstract,
        entry.source.line,
        entry.author_count,
        (date.year, date.month, date.day) if date else None,
        entry.comments,
        entry.upvotes,
        entry.links,
        entry.authors,
        entry.arxiv_id,
        entry.doi,
        entry.categories,
        entry.foreign,
        entry.journal_ref,
        entry.listing,
    )


def problem_row(problem: Problem) -> ProblemRow:
    return (problem.path, problem.line, problem.message, problem.hint)


def paper_row(paper: Paper, digest: str) -> PaperRow:
    date = paper.date
    return (
        paper.id,
        paper.title,
        paper.title_derived,
        tuple((source.path, source.line) for source in paper.sources),
        paper.author_count,
        (date.year, date.month, date.day) if date else None,
        paper.comments,
        paper.upvotes,
        paper.links,
        paper.authors,
        paper.arxiv_id,
        paper.doi,
        paper.categories,
        paper.aliases,
        paper.journal_ref,
        paper.listing,
        digest,
    )


def paper_from_row(row: PaperRow, abstract: str) -> Paper:
    paper_id, title, derived, sources, count, date, comments, upvotes, links = row[:9]
    authors, arxiv_id, doi, categories, aliases, journal_ref, listing = row[9:16]
    return Paper(
        id=paper_id,
        title=title,
        title_derived=derived,
        abstract=abstract,
        sources=tuple(Source(path, line) for path, line in sources),
        author_count=count,
        date=PaperDate(*date) if date else None,
        comments=comments,
        upvotes=upvotes,
        links=tuple(links),
        authors=tuple(authors),
        arxiv_id=arxiv_id,
        doi=doi,
        categories=tuple(categories),
        aliases=tuple(aliases),
        journal_ref=journal_ref,
        listing=listing,
    )


def content_digest(paper: Paper) -> str:
    """A stable hash of every field of a paper (its row and its abstract)."""
    text = repr((paper_row(paper, ""), paper.abstract))
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
