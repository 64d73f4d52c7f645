"""Filters on what the library knows beside the index: `added:` (when this machine first saw a
paper) is answered by the library as a set of paper IDs, and `PaperSet` turns that set into a
Whoosh query cheaply (no `id:` OR of thousands of terms). `source:` filters the index's own
`sources` field (the corpus-relative paths a paper was read from).

`added:` values (local days): `today`, `yesterday`, `7d` (the last seven days, today included),
`new` (since the previous session began), a day, month or year (`2026-12-01`, `2026-12`), a range
`2026-11-01..2026-12-01` (either end may be left out) or a comparison (`>2026-11-30`), like `date:`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from typing import Any

from whoosh import matching
from whoosh import query as wq
from whoosh.reading import TermNotFound

from paperdeck.search.ranges import parse_date_range
from paperdeck.search.syntax import Filter

ADDED_WORDS = ("today", "yesterday", "new")
ADDED_EXAMPLE = "today, yesterday, 7d, new, 2026-12-01, 2026-11..2026-12 or >2026-11-30"
_DAYS = re.compile(r"^(\d{1,5})d$")
_LOOKUPS_BELOW = 4_000  # smaller sets look each ID up; bigger ones scan the ID column once

# The library's answer to an `added:` filter: the IDs of the papers it matches.
PaperSets = Callable[[Filter], Collection[str]]


def parse_added(value: str) -> Filter | None:
    """The `added:` filter for `value`, or None when it is not understood. Words and `Nd`
    stay words (the library knows today and the sessions); dates become yyyymmdd bounds."""
    lowered = value.lower()
    if lowered in ADDED_WORDS or _DAYS.match(lowered):
        return Filter("added", lowered)
    bounds = parse_date_range(lowered)
    if bounds is None or lowered == "unknown":
        return None
    return Filter("added", bounds[0], bounds[1])


def source_query(pattern: str) -> wq.Query:
    """Papers read from a file: its corpus-relative path or its name; `*` and `?` glob."""
    if "*" in pattern or "?" in pattern:
        return wq.Or([wq.Wildcard("sources", pattern), wq.Wildcard("sources", f"*/{pattern}")])
    return wq.Or([wq.Term("sources", pattern), wq.Wildcard("sources", f"*/{pattern}")])


class PaperSet(wq.Query):
    """Matches the papers whose IDs are in a set (every document scores the same)."""

    def __init__(self, paper_ids: Collection[str], boost: float = 1.0) -> None:
        self.paper_ids = frozenset(paper_ids)
        self.boost = boost

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PaperSet) and self.paper_ids == other.paper_ids

    def __hash__(self) -> int:
        return hash(self.paper_ids)

    def __repr__(self) -> str:
        return f"PaperSet({len(self.paper_ids)} papers)"

    def __unicode__(self) -> str:
        return repr(self)

    __str__ = __unicode__

    def estimate_size(self, ixreader: Any) -> int:
        return len(self.paper_ids)

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        docnums = sorted(docnums_of(searcher.reader(), self.paper_ids))
        if not docnums:
            return matching.NullMatcher()
        return matching.ListMatcher(docnums, all_weights=self.boost)


def docnums_of(reader: Any, paper_ids: frozenset[str]) -> list[int]:
    """The live documents of these papers."""
    if len(paper_ids) < _LOOKUPS_BELOW:
        found: list[int] = []
        for paper_id in paper_ids:
            try:
                postings = reader.postings("id", paper_id)
            except TermNotFound:
                continue
            found.extend(n for n in postings.all_ids() if not reader.is_deleted(n))
        return found
    ids = reader.column_reader("id")
    return [n for n in reader.all_doc_ids() if ids[n] in paper_ids]
