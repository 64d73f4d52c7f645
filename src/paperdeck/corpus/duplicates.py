"""Merging the copies of one paper found in a corpus into one `Paper`.

Duplicate rule (also in the README): copies with the same identity key (normalised title, or
normalised abstract for untitled papers) are one paper. Its fields come from the *richest* copy:
the one with the most precise date (a year beats no year beats none), then an author count, then
the first in source order (path, then line). A field that copy lacks is taken from the next copy,
in the same order, that has it. Comment (and upvote) counts are the largest of any copy (counts
only grow); links are the union; sources list every copy, sorted by path and line.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from paperdeck.corpus.fields import derive_title
from paperdeck.corpus.identity import id_for_key, identity_key
from paperdeck.corpus.paper import Entry, Paper, PaperDate, Source


def _richness(entry: Entry) -> tuple[int, int]:
    date_rank = 0 if entry.date is None else (2 if entry.date.year_known else 1)
    return (date_rank, 1 if entry.author_count is not None else 0)


def merge_entries(entries: Iterable[Entry]) -> list[Paper]:
    """One paper per identity key, in order of first appearance; see the module docstring."""
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        groups.setdefault(identity_key(entry.title, entry.abstract), []).append(entry)
    return [_merge_group(key, group) for key, group in groups.items()]


def merge_rows(rows: Iterable[tuple[Any, ...]]) -> list[Paper]:
    """`merge_entries` for cached rows (path, *EntryRow): a paper found once needs no merging."""
    groups: dict[str, list[tuple[Any, ...]]] = {}
    for row in rows:
        groups.setdefault(row[1], []).append(row)
    papers = []
    for key, group in groups.items():
        if len(group) == 1:
            path, _key, title, abstract, line, authors, date, comments, upvotes, links = group[0]
            papers.append(
                Paper(
                    id=id_for_key(key),
                    title=title if title is not None else derive_title(abstract),
                    title_derived=title is None,
                    abstract=abstract,
                    sources=(Source(path, line),),
                    author_count=authors,
                    date=PaperDate(*date) if date else None,
                    comments=comments or 0,
                    upvotes=upvotes,
                    links=tuple(links),
                )
            )
        else:
            papers.append(_merge_group(key, [_entry(row) for row in group]))
    return papers


def _entry(row: tuple[Any, ...]) -> Entry:
    path, _key, title, abstract, line, authors, date, comments, upvotes, links = row
    return Entry(
        title,
        abstract,
        Source(path, line),
        authors,
        PaperDate(*date) if date else None,
        comments,
        tuple(links),
        upvotes,
    )


def _merge_group(key: str, group: list[Entry]) -> Paper:
    ordered = sorted(group, key=lambda e: (e.source.path, e.source.line))
    # Stable sort: copies of equal richness stay in source order.
    preference = sorted(ordered, key=_richness, reverse=True)
    richest = preference[0]

    links: list[str] = []
    for entry in preference:
        links.extend(link for link in entry.links if link not in links)
    title = richest.title
    return Paper(
        id=id_for_key(key),
        title=title if title is not None else derive_title(richest.abstract),
        title_derived=title is None,
        abstract=next((e.abstract for e in preference if e.abstract), richest.abstract),
        sources=tuple(e.source for e in ordered),
        # The richest copy that has it: a copy without these fields never hides one with them.
        author_count=next((e.author_count for e in preference if e.author_count is not None), None),
        date=next((e.date for e in preference if e.date is not None), None),
        comments=max((e.comments or 0) for e in ordered),
        upvotes=max((e.upvotes for e in ordered if e.upvotes is not None), default=None),
        links=tuple(links),
    )
