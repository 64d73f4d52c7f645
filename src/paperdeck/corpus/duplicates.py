"""Merging the copies of one paper found in a corpus into one `Paper`.

Duplicate rule (also in the README): copies are one paper when they share an arXiv ID (version
stripped) or a DOI, or else the same identity key (normalised title, or normalised abstract for
untitled papers); copies with different arXiv IDs are never merged, whatever their titles. Its
fields come from the *richest* copy: the one with the most precise date (a year beats no year
beats none), then an author count, then the first in source order (path, then line). A field
that copy lacks is taken from the next copy, in the same order, that has it. Comment (and
upvote) counts are the largest of any copy (counts only grow); links and categories are the
union; sources list every copy, sorted by path and line.

The ID rule (README "Paper IDs"), chosen so an ID, once given, stays: a paper's ID is the ID of
the identity key of its *ID copy*, the first copy from a plain-text corpus format (the formats
paperdeck read before the readers existed), else the first in source order. Adding a file in a
readers format therefore never moves the ID of a paper read from a plain-text page. The IDs its
other copies' keys would give are its `aliases` (found by `Corpus.get`/`resolve`). When two
different papers (different arXiv IDs) would get the same ID, the one with a plain-text copy,
else the oldest arXiv ID, keeps it; the others' keys get their arXiv ID appended.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from paperdeck.corpus.fields import derive_title
from paperdeck.corpus.identity import id_for_key
from paperdeck.corpus.paper import Entry, Paper, PaperDate, Source
from paperdeck.corpus.rows import entry_row

Row = tuple[Any, ...]  # (path, *EntryRow): see `paperdeck.corpus.cache.EntryRow`
_KEY, _TITLE, _ABSTRACT, _LINE, _COUNT, _DATE, _COMMENTS, _UPVOTES, _LINKS = range(1, 10)
_AUTHORS, _ARXIV, _DOI, _CATEGORIES, _FOREIGN, _JOURNAL, _LISTING = range(10, 17)


def _richness(entry: Entry) -> tuple[int, int]:
    date_rank = 0 if entry.date is None else 1 + entry.date.precision  # the fullest date
    return (date_rank, 1 if entry.author_count is not None else 0)


def merge_entries(entries: Iterable[Entry]) -> list[Paper]:
    """One paper per distinct paper, in order of first appearance; see the module docstring."""
    return merge_rows([(entry.source.path, *entry_row(entry)) for entry in entries])


def arxiv_age(arxiv_id: str) -> tuple[int, int, str]:
    """Sorts arXiv IDs oldest first: new style YYMM.NNNNN (2007 on), old style archive/YYMMNNN."""
    number = arxiv_id.rsplit("/", 1)[-1]
    digits = number.replace(".", "")
    try:
        year = int(digits[:2])
        month = int(digits[2:4])
    except ValueError:
        return (9999, 99, arxiv_id)
    return (1900 + year if year >= 91 else 2000 + year, month, number)


class _Groups:
    """Union-find over rows that never joins two different arXiv IDs."""

    def __init__(self, count: int) -> None:
        self.parent = list(range(count))
        self.arxiv: dict[int, str] = {}

    def find(self, item: int) -> int:
        parent = self.parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, first: int, second: int) -> None:
        a, b = self.find(first), self.find(second)
        if a == b:
            return
        xa, xb = self.arxiv.get(a), self.arxiv.get(b)
        if xa is not None and xb is not None and xa != xb:
            return  # two different papers that share a title or a DOI
        low, high = (a, b) if a < b else (b, a)
        self.parent[high] = low
        known = xa if xa is not None else xb
        if known is not None:
            self.arxiv[low] = known
            self.arxiv.pop(high, None)


def _group(rows: list[Row]) -> list[list[int]]:
    """The rows of each paper, in order of first appearance."""
    by_key: dict[str, list[int]] = {}
    identified = []
    for number, row in enumerate(rows):
        by_key.setdefault(row[_KEY], []).append(number)
        if row[_ARXIV] or row[_DOI]:
            identified.append(number)
    if not identified:  # plain-text pages only: the title (or abstract) alone decides
        return list(by_key.values())
    groups = _Groups(len(rows))
    by_arxiv: dict[str, int] = {}
    for number in identified:
        arxiv_id = rows[number][_ARXIV]
        if arxiv_id:
            first = by_arxiv.setdefault(arxiv_id, number)
            groups.arxiv.setdefault(groups.find(first), arxiv_id)
            groups.union(first, number)
    by_doi: dict[str, int] = {}
    for number in identified:
        doi = rows[number][_DOI]
        if doi:
            groups.union(by_doi.setdefault(doi, number), number)
    # Titles last: a copy without an arXiv ID joins, of the papers with its title, the one with
    # the oldest arXiv ID, so the choice does not depend on the order files are read in.
    for members in by_key.values():
        if len(members) == 1:
            continue
        roots = {groups.find(m) for m in members}
        with_id = sorted((arxiv_age(groups.arxiv[r]), r) for r in roots if r in groups.arxiv)
        target = with_id[0][1] if with_id else min(roots)
        for member in members:
            groups.union(target, member)
    clusters: dict[int, list[int]] = {}
    for number in range(len(rows)):
        clusters.setdefault(groups.find(number), []).append(number)
    return sorted(clusters.values(), key=lambda members: members[0])


def merge_rows(rows: Iterable[Row]) -> list[Paper]:
    """`merge_entries` for cached rows (path, *EntryRow): a paper found once needs no merging."""
    rows = list(rows)
    clusters = _group(rows)
    papers: list[Paper] = []
    id_keys: list[str] = []
    for members in clusters:
        group = [rows[m] for m in members]
        id_row = min(group, key=lambda r: (bool(r[_FOREIGN]), r[0], r[_LINE]))
        key = id_row[_KEY]
        id_keys.append(key)
        if len(group) == 1:
            papers.append(_single(key, group[0]))
        else:
            others = {row[_KEY] for row in group} - {key}
            papers.append(_merge_group(key, [_entry(row) for row in group], others))
    return _settle_ids(papers, id_keys, clusters, rows)


def _settle_ids(
    papers: list[Paper], keys: list[str], clusters: list[list[int]], rows: list[Row]
) -> list[Paper]:
    """Different papers that would share an ID (same title, different arXiv IDs): see the rule."""
    by_id: dict[str, list[int]] = {}
    for number, paper in enumerate(papers):
        by_id.setdefault(paper.id, []).append(number)
    for numbers in by_id.values():
        if len(numbers) == 1:
            continue

        def rank(number: int) -> tuple[bool, tuple[int, int, str]]:
            native = any(not rows[m][_FOREIGN] for m in clusters[number])
            arxiv_id = papers[number].arxiv_id
            return (not native, arxiv_age(arxiv_id) if arxiv_id else (0, 0, ""))

        for number in sorted(numbers, key=rank)[1:]:
            paper = papers[number]
            if paper.arxiv_id is None:
                continue  # cannot happen: copies without an arXiv ID join by title
            moved = id_for_key(f"{keys[number]} arxiv {paper.arxiv_id}")
            aliases = tuple(sorted(set(paper.aliases) - {moved}))
            papers[number] = replace(paper, id=moved, aliases=aliases)
    return papers


def _single(key: str, row: Row) -> Paper:
    path, _key, title, abstract, line, count, date, comments, upvotes, links = row[:10]
    authors, arxiv_id, doi, categories = row[10:14]
    journal_ref, listing = row[_JOURNAL], row[_LISTING]
    return Paper(
        id=id_for_key(key),
        title=title if title is not None else derive_title(abstract),
        title_derived=title is None,
        abstract=abstract,
        sources=(Source(path, line),),
        author_count=count,
        date=PaperDate(*date) if date else None,
        comments=comments or 0,
        upvotes=upvotes,
        links=tuple(links),
        authors=tuple(authors),
        arxiv_id=arxiv_id,
        doi=doi,
        categories=tuple(categories),
        journal_ref=journal_ref,
        listing=listing,
    )


def _entry(row: Row) -> Entry:
    path, _key, title, abstract, line, count, date, comments, upvotes, links = row[:10]
    authors, arxiv_id, doi, categories, foreign, journal_ref, listing = row[10:17]
    return Entry(
        title,
        abstract,
        Source(path, line),
        count,
        PaperDate(*date) if date else None,
        comments,
        tuple(links),
        upvotes,
        tuple(authors),
        arxiv_id,
        doi,
        tuple(categories),
        foreign,
        journal_ref,
        listing,
    )


def _merge_group(key: str, group: list[Entry], other_keys: set[str]) -> Paper:
    ordered = sorted(group, key=lambda e: (e.source.path, e.source.line))
    # Stable sort: copies of equal richness stay in source order.
    preference = sorted(ordered, key=_richness, reverse=True)
    richest = preference[0]

    def first(attribute: str) -> Any:
        return next(
            (getattr(e, attribute) for e in preference if getattr(e, attribute) is not None),
            None,
        )

    links: list[str] = []
    categories: list[str] = []
    for entry in preference:
        links.extend(link for link in entry.links if link not in links)
        categories.extend(c for c in entry.categories if c not in categories)
    title = richest.title
    authors = next((e.authors for e in preference if e.authors), ())
    paper_id = id_for_key(key)
    aliases = sorted({id_for_key(other) for other in other_keys} - {paper_id})
    return Paper(
        id=paper_id,
        title=title if title is not None else derive_title(richest.abstract),
        title_derived=title is None,
        abstract=next((e.abstract for e in preference if e.abstract), richest.abstract),
        sources=tuple(e.source for e in ordered),
        author_count=len(authors) if authors else first("author_count"),
        date=first("date"),
        comments=max((e.comments or 0) for e in ordered),
        upvotes=max((e.upvotes for e in ordered if e.upvotes is not None), default=None),
        links=tuple(links),
        authors=authors,
        arxiv_id=first("arxiv_id"),
        doi=first("doi"),
        categories=tuple(categories),
        aliases=tuple(aliases),
        journal_ref=first("journal_ref"),
        listing=first("listing"),
    )
