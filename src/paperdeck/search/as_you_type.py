"""Fast paths for the searches typed most: plain words, as you type, and the empty query.

Whoosh scores every posting of every matched term in Python (a few microseconds each), so a
keystroke like `di` that matches half of 100,000 papers took most of a second. The queries the
search box sends while typing are simple (words, the last one unfinished), and for them this
module works on whole posting blocks as sets of document numbers instead: a few hundred
nanoseconds a posting, no scoring.

Ranking as you type: papers whose title holds more of the words come first (a title word that
starts with the unfinished word counts), then the newest first, the order of the empty query.
When a single word already matches `limit` titles, the abstracts are not read at all and the total
is reported as a lower bound (`SearchResults.exact` False). Everything else (phrases, fields,
NOT, filters, other sorts, finished queries ranked by BM25) goes to Whoosh as before.
"""

from __future__ import annotations

import bisect
import contextlib
import heapq
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from typing import Any

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher

from paperdeck.search.compile import PARTIAL_MIN_BODY, PREFIX_SCAN, PREFIX_TERMS, analyse
from paperdeck.search.query import And, Node, Text, partial_words, tag_text
from paperdeck.search.schema import COMPLETE_MAX

OTHER_FIELDS = ("abstract", "tags", "note")  # the default fields besides the title
CARRY_MAX = 200  # more new papers than this: sort everything again


@dataclass(frozen=True)
class Quick:
    """Document numbers (global) in ranked order, and how many matched (`exact` or at least)."""

    docnums: list[int]
    total: int
    exact: bool


def simple_words(tree: Node | None) -> list[Text] | None:
    """The words of a query made only of plain words in the default fields, else None."""
    items = tree.items if isinstance(tree, And) else (tree,)
    words: list[Text] = []
    for item in items:
        if not isinstance(item, Text) or item.field is not None:
            return None
        if item.mode not in ("word", "partial"):
            return None
        words.append(item)
    return words or None


class QuickSearcher:
    """Set-based search over one Whoosh searcher (made again whenever the searcher changes)."""

    def __init__(self, searcher: Any, schema: Any, previous: QuickSearcher | None = None) -> None:
        self.searcher = searcher
        self.schema = schema
        self.reader = searcher.reader()
        self.leaves = [(sub.reader(), offset) for sub, offset in searcher.leaf_searchers()]
        self._by_date: list[int] | None = None
        self._rank: list[int] | None = None
        self._keys: list[tuple[Any, int, int]] | None = None
        self._deleted_seen: set[int] = set()  # deleted documents `_by_date` already leaves out
        with contextlib.suppress(AttributeError):  # e.g. an empty index has no segments
            self._keys = [  # read now: the old searcher's readers close when it is replaced
                (reader.segment().segment_id(), offset, reader.doc_count_all())
                for reader, offset in self.leaves
            ]
        # carried over lazily, on the first search that needs the order (not when only counting)
        self._previous: QuickSearcher | None = None
        if previous is not None:  # the latest one that has an order (plain data, no readers)
            self._previous = previous if previous._by_date else previous._previous

    def _deleted(self, leaves: list[tuple[Any, int]] | None = None) -> set[int]:
        """Global numbers of the deleted documents in `leaves` (default: every segment)."""
        deleted: set[int] = set()
        for reader, offset in self.leaves if leaves is None else leaves:
            segment = reader.segment()
            if segment.has_deletions():
                deleted.update(offset + docnum for docnum in segment.deleted_docs())
        return deleted

    def _carried(self, previous: QuickSearcher) -> list[int] | None:
        """The previous searcher's newest-first order, brought up to date, when most papers
        are in segments both searchers share (a note change adds one small segment; merging
        small segments replaces a few and moves the others' numbers by a constant) and the
        other segments hold few papers; None otherwise (then the order is sorted again)."""
        old, new = previous._keys, self._keys
        if old is None or new is None or previous._by_date is None:
            return None
        new_offsets = {key[0]: key[1] for key in new}
        deltas: list[int | None] = []
        for segment_id, offset, count in old:
            kept = (segment_id, new_offsets.get(segment_id, -1), count) in new
            deltas.append(new_offsets[segment_id] - offset if kept else None)
        if all(delta is None for delta in deltas):
            return None
        kept_ids = {old[i][0] for i, delta in enumerate(deltas) if delta is not None}
        kept_leaves: list[tuple[Any, int]] = []  # (a whoosh segment reader, its offset)
        fresh_leaves: list[tuple[Any, int]] = []
        for leaf, (segment_id, _offset, _count) in zip(self.leaves, new, strict=True):
            (kept_leaves if segment_id in kept_ids else fresh_leaves).append(leaf)
        added = [
            offset + docnum
            for reader, offset in fresh_leaves
            for docnum in range(reader.doc_count_all())
            if not reader.is_deleted(docnum)
        ]
        if len(added) > CARRY_MAX:
            return None

        unmoved = all(delta == 0 for delta in deltas)
        table: list[int | None] = []
        if not unmoved:  # old document number -> its shift (None: its segment is gone)
            for (_segment_id, _offset, count), delta in zip(old, deltas, strict=True):
                table.extend([delta] * count)

        def moved(docnums: Iterable[int]) -> list[int]:
            if unmoved:
                return list(docnums)
            return [d + shift for d in docnums if (shift := table[d]) is not None]

        order = moved(previous._by_date)
        seen = set(moved(previous._deleted_seen))
        for docnum in self._deleted(kept_leaves) - seen:  # a few: each removal is a C scan
            with contextlib.suppress(ValueError):
                order.remove(docnum)
        self._deleted_seen = self._deleted()
        dates = self.reader.column_reader("date")
        titles = self.reader.column_reader("title_sort")

        def key(docnum: int) -> tuple[int, str, int]:
            return (-dates[docnum], titles[docnum], docnum)

        for docnum in sorted(added, key=key):
            bisect.insort(order, docnum, key=key)
        return order

    # --- the newest-first order (also the empty query's) ---------------------------------------

    def by_date(self) -> list[int]:
        """Every live document, newest first, then by title A to Z (as `sort_facets` sorts)."""
        if self._by_date is None and self._previous is not None:
            self._by_date = self._carried(self._previous)
            self._previous = None  # never keep a chain of old searchers alive
        if self._by_date is None:
            dates = list(self.reader.column_reader("date"))
            titles = list(self.reader.column_reader("title_sort"))
            live = list(self.reader.all_doc_ids())
            live.sort(key=lambda d: (-dates[d], titles[d], d))
            self._by_date = live
            with contextlib.suppress(AttributeError):
                self._deleted_seen = self._deleted()
        return self._by_date

    def rank(self) -> list[int]:
        """Position of each document number in `by_date()` (deleted ones: after all)."""
        if self._rank is None:
            order = self.by_date()
            rank = [len(order)] * self.reader.doc_count_all()
            for position, docnum in enumerate(order):
                rank[docnum] = position
            self._rank = rank
        return self._rank

    def newest(
        self, docs: set[int], limit: int | None, exclude: set[int] | None = None
    ) -> list[int]:
        """Up to `limit` of `docs` (minus `exclude`), newest first."""
        if limit == 0:
            return []  # only counting: never pay for the order
        if exclude:
            docs = docs - exclude
        if limit is None or len(docs) * len(docs) < limit * len(self.by_date()) // 4:
            ordered = sorted(docs, key=self.rank().__getitem__)
            return ordered if limit is None else ordered[:limit]
        return list(islice((d for d in self.by_date() if d in docs), limit))

    # --- postings as sets ------------------------------------------------------------------------

    def postings(self, fieldname: str, texts: list[str]) -> set[int]:
        """Global document numbers holding any of the terms (deleted documents left out)."""
        found: set[int] = set()
        for reader, offset in self.leaves:
            for text in texts:
                if (fieldname, text) not in reader:
                    continue
                ids = _leaf_ids(reader.postings(fieldname, text))
                found.update(ids if not offset else (offset + i for i in ids))
        return found

    def prefix_terms(self, fieldname: str, prefix: str) -> list[str]:
        """The `PREFIX_TERMS` most frequent terms starting with `prefix` (like BoundedPrefix)."""
        scanned = islice(self.reader.iter_prefix(fieldname, prefix), PREFIX_SCAN)
        best = heapq.nlargest(
            PREFIX_TERMS, ((info.doc_frequency(), text) for text, info in scanned)
        )
        return [text.decode("utf-8") if isinstance(text, bytes) else text for _, text in best]

    def all_of(self, fieldname: str, words: list[str], prefixed: set[int] | None) -> set[int]:
        """Papers whose field holds every one of `words` (analysed as the field analyses
        them) and, unless `prefixed` is None, are among the `prefixed` ones."""
        found = prefixed
        for word in words:
            for term in analyse(self.schema, fieldname, word):
                docs = self.postings(fieldname, [term])
                found = docs if found is None else found & docs
        return set() if found is None else found

    def title_docs(self, word: Text) -> set[int] | None:
        """Papers whose title matches the word; None: the word needs Whoosh (e.g. a phrase)."""
        if word.mode == "partial":
            finished, last = partial_words(word.text)
            if len(last) > COMPLETE_MAX:
                return None
            prefixed = self.postings("complete", [last]) if last else None
            return self.all_of("title", finished, prefixed)
        terms = analyse(self.schema, "title", word.text)
        if len(terms) != 1:
            return None
        return self.postings("title", terms)

    def other_docs(self, word: Text) -> set[int] | None:
        """Papers whose abstract, tags or note match the word; None: needs Whoosh."""
        found: set[int] = set()
        for fieldname in OTHER_FIELDS:
            if fieldname == "tags":
                tag = tag_text(word.text)
                if not tag:
                    continue
                texts = self.prefix_terms("tags", tag) if word.mode == "partial" else [tag]
            elif word.mode == "partial":
                finished, last = partial_words(word.text)
                if len(last) < PARTIAL_MIN_BODY:  # too short to expand here yet: left out
                    last = ""
                if not finished and not last:
                    continue
                prefixed = (
                    self.postings(fieldname, self.prefix_terms(fieldname, last)) if last else None
                )
                found |= self.all_of(fieldname, finished, prefixed)
                continue
            else:
                texts = analyse(self.schema, fieldname, word.text)
                if len(texts) > 1:
                    return None
            found |= self.postings(fieldname, texts)
        return found

    # --- the search ------------------------------------------------------------------------------

    def search(self, words: list[Text], limit: int | None, tiers: bool) -> Quick | None:
        """Papers matching every word, title matches first when `tiers` (else newest first)."""
        if len(words) == 1 and tiers and limit is not None:
            title = self.title_docs(words[0])
            if title is None:
                return None
            if len(title) >= limit:  # enough titles: the abstracts could only come later
                return Quick(self.newest(title, limit), len(title), exact=False)
        titles: list[set[int]] = []
        matches: set[int] | None = None
        for word in words:
            title = self.title_docs(word)
            other = self.other_docs(word) if title is not None else None
            if title is None or other is None:
                return None
            titles.append(title)
            both = title | other
            matches = both if matches is None else matches & both
        assert matches is not None
        if not tiers:
            return Quick(self.newest(matches, limit), len(matches), exact=True)
        by_count: dict[int, set[int]] = {}
        for docnum in matches:
            count = sum(docnum in title for title in titles)
            by_count.setdefault(count, set()).add(docnum)
        ranked: list[int] = []
        for count in sorted(by_count, reverse=True):
            room = None if limit is None else limit - len(ranked)
            if room is not None and room <= 0:
                break
            ranked.extend(self.newest(by_count[count], room))
        return Quick(ranked, len(matches), exact=True)


def _leaf_ids(matcher: Any) -> Any:
    """All document numbers of one segment's posting list, read a block at a time."""
    deleted: frozenset[int] | None = None
    if isinstance(matcher, FilterMatcher) and matcher._exclude:
        deleted, matcher = matcher._ids, matcher.child
        matcher.reset()
    if isinstance(matcher, W3LeafMatcher):
        ids: list[int] = []
        while matcher.is_active():
            if matcher._ids is None:
                matcher._read_ids()
            ids.extend(matcher._ids[matcher._i :])
            matcher._next_block()
    else:
        ids = list(matcher.all_ids())
    return [i for i in ids if i not in deleted] if deleted else ids
