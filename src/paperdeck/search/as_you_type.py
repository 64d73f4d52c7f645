"""Fast paths for the searches typed most: plain words, as you type, and the empty query.

Whoosh scores every posting of every matched term in Python (a few microseconds each), so a
keystroke like `di` that matches half of 100,000 papers took most of a second. The queries the
search box sends while typing are simple (words, the last one unfinished), and for them this
module reads whole posting blocks into bitsets (`paperdeck.search.postings`), one bit per paper
in newest-first order (`paperdeck.search.bitsets`), kept per term and per prefix: a keystroke is
then a few ANDs and ORs of big ints, no scoring.

Ranking as you type: papers whose title holds more of the words come first (a title word that
starts with the unfinished word counts), then the newest first, the order of the empty query.
When the papers with every word in their title already fill `limit`, the other fields are not
read and the total is a lower bound (`SearchResults.exact` False). Everything else (phrases, fields,
NOT, filters, other sorts, finished queries ranked by BM25) goes to Whoosh as before.
"""

from __future__ import annotations

import bisect
import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from paperdeck.search.bitsets import RankSpace
from paperdeck.search.compile import analyse, body_prefix
from paperdeck.search.postings import TermBits
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
        self._terms: TermBits | None = None
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

    def terms(self) -> TermBits:
        """Posting lists as bitsets in the newest-first order (made on first use)."""
        if self._terms is None:
            order = self.by_date()
            space = RankSpace(order, self.reader.doc_count_all())
            self._terms = TermBits(self.reader, self.leaves, space)
        return self._terms

    # --- words as bitsets ------------------------------------------------------------------------

    def all_of(self, fieldname: str, words: list[str], prefixed: int | None) -> int:
        """Papers whose field holds every one of `words` (analysed as the field analyses
        them) and, unless `prefixed` is None, are among the `prefixed` ones."""
        terms = self.terms()
        found = prefixed
        for word in words:
            for term in analyse(self.schema, fieldname, word):
                docs = terms.term(fieldname, term)
                found = docs if found is None else found & docs
        return 0 if found is None else found

    def title_bits(self, word: Text) -> int | None:
        """Papers whose title matches the word; None: the word needs Whoosh (e.g. a phrase)."""
        if word.mode == "partial":
            finished, last = partial_words(word.text)
            if len(last) > COMPLETE_MAX:
                return None
            prefixed = self.terms().term("complete", last) if last else None
            return self.all_of("title", finished, prefixed)
        terms = analyse(self.schema, "title", word.text)
        if len(terms) != 1:
            return None
        return self.terms().term("title", terms[0])

    def other_bits(self, word: Text) -> int | None:
        """Papers whose abstract, tags or note match the word; None: needs Whoosh."""
        terms = self.terms()
        found = 0
        for fieldname in OTHER_FIELDS:
            if fieldname == "tags":
                tag = tag_text(word.text)
                if tag:
                    partial = word.mode == "partial"
                    found |= terms.prefix("tags", tag) if partial else terms.term("tags", tag)
            elif word.mode == "partial":
                finished, last = partial_words(word.text)
                if not body_prefix(last):  # too short to expand here yet: left out
                    last = ""
                if finished or last:
                    prefixed = terms.prefix(fieldname, last) if last else None
                    found |= self.all_of(fieldname, finished, prefixed)
            else:
                texts = analyse(self.schema, fieldname, word.text)
                if len(texts) > 1:
                    return None
                if texts:
                    found |= terms.term(fieldname, texts[0])
        return found

    def word_title(self, word: Text) -> int | None:
        """Papers whose title matches the word, kept per word; None: needs Whoosh."""
        return self.terms().memo(("title", word.mode, word.text), lambda: self.title_bits(word))

    def word_other(self, word: Text) -> int | None:
        """Papers whose other fields match the word, kept per word; None: needs Whoosh."""
        return self.terms().memo(("other", word.mode, word.text), lambda: self.other_bits(word))

    # --- the search ------------------------------------------------------------------------------

    def search(self, words: list[Text], limit: int | None, tiers: bool) -> Quick | None:
        """Papers matching every word, title matches first when `tiers` (else newest first).

        When the papers with every word in their title already fill `limit`, the other fields
        are not read (reading a short prefix's expansions there is the slow part) and the total
        is reported as a lower bound; otherwise it is exact.
        """
        space = self.terms().space
        titles: list[int] = []
        for word in words:
            title = self.word_title(word)
            if title is None:
                return None
            titles.append(title)
        if tiers and limit:
            best = space.every
            for title in titles:
                best &= title
            if best.bit_count() >= limit:
                return Quick(space.docnums(best, limit), best.bit_count(), exact=False)
        matches = space.every
        for word, title in zip(words, titles, strict=True):
            other = self.word_other(word)
            if other is None:
                return None
            matches &= title | other
        total = matches.bit_count()
        if not tiers or limit == 0:
            return Quick(space.docnums(matches, limit), total, exact=True)
        # at_least[c]: the matches with at least c of the words in their title
        at_least = [matches] + [0] * len(titles)
        for title in titles:
            for count in range(len(titles), 0, -1):
                at_least[count] |= at_least[count - 1] & title
        ranked: list[int] = []
        above = 0  # matches in a better tier than this one
        for count in range(len(titles), -1, -1):
            room = None if limit is None else limit - len(ranked)
            if room is not None and room <= 0:
                break
            tier = at_least[count] & ~above
            ranked.extend(space.docnums(tier, room))
            above = at_least[count]
        return Quick(ranked, total, exact=True)
