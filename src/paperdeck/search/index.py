"""Local full-text search over a corpus: a Whoosh index kept as derived data.

The index can always be thrown away and rebuilt from the corpus and the notes, so every problem
with it (missing, corrupt, written by another version, locked by another process, folder not
writable) ends in a rebuild or a fallback plus a line in `messages`, never in an exception.

Where it lives: `<corpus>/.paperdeck/index/`, or, when the corpus folder is not writable,
`<user cache dir>/paperdeck/<hash of the corpus path>/index` (`$PAPERDECK_CACHE_DIR` replaces the
user cache dir), or, as a last resort, in memory. Writers take `index.lock` beside the index
folder (an flock, so a crashed process never leaves it held) before Whoosh's own write lock.
This module searches; `opening` opens the index, `writing` writes changed papers into it and
`results` holds what a search gives back.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

from whoosh import query as wq
from whoosh.collectors import TimeLimitCollector
from whoosh.searching import TimeLimit

from paperdeck.corpus.corpus import Corpus
from paperdeck.corpus.paper import Paper
from paperdeck.notes.annotation import Annotation
from paperdeck.search.as_you_type import Quick, QuickSearcher, simple_words
from paperdeck.search.bm25 import Bm25
from paperdeck.search.compile import compile_tree, deadline, sort_facets
from paperdeck.search.highlight import Highlights, highlight_document
from paperdeck.search.opening import Opened, open_index
from paperdeck.search.paper_set import PaperSets
from paperdeck.search.query import SORT_KEYS, Node, parse
from paperdeck.search.results import (
    Hit,
    SearchResults,
    damaged_message,
    hit_score,
    joined,
    stopped_message,
    too_hard_message,
)
from paperdeck.search.schema import document
from paperdeck.search.store import (
    CACHE_ENV,
    LOCK_FILE,
    META_FILE,
    Progress,
    RefreshStats,
    index_locations,
)
from paperdeck.search.whoosh_patches import apply as _apply_whoosh_patches
from paperdeck.search.writing import IndexWrites

_apply_whoosh_patches()

__all__ = [
    "CACHE_ENV",
    "LOCK_FILE",
    "META_FILE",
    "Highlights",
    "Hit",
    "RefreshStats",
    "SearchIndex",
    "SearchResults",
    "index_locations",
]

REFRESH_INTERVAL = 0.5  # seconds between checks for commits made by other processes
COUNT_CAP = 10_000  # matches counted one by one, at most, for a query Whoosh ranks
SEARCH_BUDGET = 2.0  # seconds one search may take; then it stops with what it found


class SearchIndex:
    """A corpus's search index; safe to call from worker threads (calls are serialised)."""

    _quick_searcher: QuickSearcher | None = None  # made again when the searcher changes
    _bm25: Bm25 | None = None  # likewise
    paper_sets: PaperSets | None = None  # answers `added:` (set by the library: first-seen)

    lock_timeout = 10.0  # seconds open() waits for another process's build or refresh
    search_budget = SEARCH_BUDGET
    update_timeout = 1.0  # seconds update() waits; then the change is kept and retried later
    merge_delay = 1.0  # seconds without a change before the small segments are merged

    def __init__(self, ix: Any, location: Path | None, messages: list[str]) -> None:
        self._ix = ix
        self.location = location  # None: the index is in memory
        self.messages = messages
        self.last_refresh = RefreshStats()
        self._writes = IndexWrites(Opened(ix, location, messages, {}), self._note)
        self._write_lock = threading.Lock()
        self._read_lock = threading.RLock()
        self._searcher = ix.searcher()
        self._ids = self._searcher.reader().column_reader("id")
        self._checked = time.monotonic()
        self._dirty = False
        self._merge_timer: threading.Timer | None = None
        self._closed = False

    # --- opening -----------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        corpus_root: Path,
        papers: Sequence[Paper] | Corpus,
        annotations: Mapping[str, Annotation],
        progress: Progress | None = None,
    ) -> SearchIndex:
        """Open the index for a corpus, bringing it up to date with `papers` and `annotations`.

        Only papers whose fingerprint changed (or that are new or gone) are re-indexed, and when
        the index records that it already holds exactly this state nothing is checked per paper.
        Pass the `Corpus` itself so its cached digests are used (no document is built then).
        """
        opened = open_index(corpus_root, papers, annotations, progress, cls.lock_timeout)
        index = cls(opened.ix, opened.location, opened.messages)
        index._writes = IndexWrites(opened, index._note)
        index.last_refresh = opened.stats
        if index._writes.wants_merge():  # earlier runs' note changes, one segment each
            index.merge()
        return index

    # --- searching ---------------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        limit: int | None = 50,
        sort: str = "relevance",
        as_you_type: bool = False,
    ) -> SearchResults:
        """Papers matching `query`, best first (or in `sort` order); never raises.

        As you type, plain words are ranked cheaply (titles holding more of the words first, then
        newest first; see `paperdeck.search.as_you_type`) and `total` may be a lower bound.
        """
        parsed = parse(query, as_you_type=as_you_type)
        errors = list(parsed.errors)
        sort_key = (parsed.sort or sort or "relevance").lower()
        if sort_key.lstrip("-") not in SORT_KEYS:
            errors.append(f"unknown sort {sort!r}; use one of {', '.join(SORT_KEYS)}")
            sort_key = "relevance"
        error = "; ".join(errors) or None
        if parsed.tree is None and errors and parsed.text.strip():
            return SearchResults([], 0, query, error, sort=sort_key)  # nothing understood
        try:
            with self._read_lock, deadline(self.search_budget) as budget:
                searcher = self._fresh_searcher()
                quick = self._quick_search(parsed.tree, limit, sort_key, as_you_type)
                if quick is not None:
                    hits = [
                        Hit(self._ids[docnum], 0.0, rank)
                        for rank, docnum in enumerate(quick.docnums)
                    ]
                    return SearchResults(hits, quick.total, query, error, quick.exact, sort_key)
                scored = self._scored_search(parsed.tree, limit, sort_key)
                if scored is not None:
                    return SearchResults(scored[0], scored[1], query, error, True, sort_key)
                q = compile_tree(parsed.tree, searcher.schema, self.paper_sets)
                results, stopped = self._timed_search(searcher, q, limit, sort_key, parsed.tree)
                hits = [
                    Hit(self._ids[hit.docnum], hit_score(hit), rank)
                    for rank, hit in enumerate(results)
                ][:limit]
                if not (stopped or budget.reached):
                    try:
                        total, exact = self._count(results, parsed.tree, q)
                    except TimeLimit:
                        stopped = True
                if stopped or budget.reached:
                    total, exact = len(hits), False
                    error = joined(error, stopped_message(self.search_budget))
                return SearchResults(hits, total, query, error, exact, sort_key)
        except (RecursionError, MemoryError) as failure:
            # the query asked too much of Whoosh (the index is fine)
            return SearchResults(
                [], 0, query, joined(error, too_hard_message(failure)), sort=sort_key
            )
        except Exception as failure:  # a damaged index must not take the app down
            return SearchResults([], 0, query, damaged_message(failure, error), sort=sort_key)

    def _timed_search(
        self, searcher: Any, q: wq.Query, limit: int | None, sort_key: str, tree: Node | None
    ) -> tuple[Any, bool]:
        """Whoosh's results, stopped at the search budget; True when they were stopped."""
        collector = searcher.collector(
            limit=None if limit is None else max(limit, 1),
            sortedby=sort_facets(sort_key, tree is None),
        )
        # no SIGALRM: the app searches in a worker thread, where signals cannot be set
        timed = TimeLimitCollector(collector, self.search_budget, use_alarm=False)
        stopped = False
        try:
            searcher.search_with_collector(q, timed)
        except TimeLimit:
            stopped = True
        finally:
            if timed.timer is not None:
                timed.timer.cancel()
        return timed.results(), stopped

    def _quick(self) -> QuickSearcher:
        """The set-based searcher for the current Whoosh searcher."""
        if self._quick_searcher is None or self._quick_searcher.searcher is not self._searcher:
            self._quick_searcher = QuickSearcher(
                self._searcher, self._searcher.schema, previous=self._quick_searcher
            )
        return self._quick_searcher

    def _scored_search(
        self, tree: Node | None, limit: int | None, sort_key: str
    ) -> tuple[list[Hit], int] | None:
        """BM25F on whole arrays (`paperdeck.search.bm25`), or the matches newest first for
        `sort:date`; None when Whoosh must answer."""
        if tree is None or sort_key not in ("relevance", "date"):
            return None
        space = self._quick().terms().space
        if self._bm25 is None or self._bm25.searcher is not self._searcher:
            self._bm25 = Bm25(self._searcher, space.rank >= 0)
        self._bm25.paper_sets = self.paper_sets
        found = self._bm25.run(tree)
        if found is None:
            return None
        if sort_key == "date":  # the empty query's order, as Whoosh's date facets sort
            newest = space.order[found.mask[space.order]][:limit].tolist()
            hits = [Hit(self._ids[docnum], 0.0, rank) for rank, docnum in enumerate(newest)]
            return hits, int(found.mask.sum())
        docnums, scores = self._bm25.top(found, limit)
        hits = [
            Hit(self._ids[docnum], score, rank)
            for rank, (docnum, score) in enumerate(zip(docnums, scores, strict=True))
        ]
        return hits, int(found.mask.sum())

    def _quick_search(
        self, tree: Node | None, limit: int | None, sort_key: str, as_you_type: bool
    ) -> Quick | None:
        """The fast path's answer, or None when the query needs Whoosh."""
        if tree is None and sort_key in ("relevance", "date"):
            order = self._quick().by_date()
            return Quick(order if limit is None else order[:limit], len(order), exact=True)
        if not as_you_type or sort_key not in ("relevance", "date"):
            return None
        words = simple_words(tree)
        if words is None:
            return None
        return self._quick().search(words, limit, tiers=sort_key == "relevance")

    def _count(self, results: Any, tree: Node | None, q: wq.Query) -> tuple[int, bool]:
        """How many papers matched (exact, or at least COUNT_CAP when counting costs too much).

        Whoosh's top-N search skips low-scoring blocks, so `len(results)` would search again.
        """
        if results.has_exact_length():
            return len(results), True
        words = simple_words(tree)
        if words is not None:
            counted = self._quick().search(words, 0, tiers=False)
            if counted is not None:
                return counted.total, counted.exact
        seen = sum(1 for _ in islice(self._searcher.docs_for_query(q), COUNT_CAP))
        return seen, seen < COUNT_CAP

    def highlights(
        self, query: str, paper_id: str, *, as_you_type: bool = False, whole: bool = False
    ) -> Highlights:
        """Title and abstract of one paper with the words `query` matched marked.

        Abstracts come as fragments around the matches, or whole (`whole=True`) for a reader.
        """
        parsed = parse(query, as_you_type=as_you_type)
        with self._read_lock:
            searcher = self._fresh_searcher()
            stored = searcher.document(id=paper_id) or {}
            schema = searcher.schema  # `self._ix.schema` reads the index's table of contents
        return highlight_document(
            parsed.tree,
            schema,
            paper_id,
            stored.get("title", ""),
            stored.get("abstract", ""),
            whole=whole,
        )

    def similar(self, paper_id: str, limit: int = 10) -> list[Hit]:
        """Papers like this one: its most distinctive title and abstract words, weighted."""
        try:
            with self._read_lock:
                searcher = self._fresh_searcher()
                docnum = searcher.document_number(id=paper_id)
                if docnum is None:
                    return []
                terms: list[wq.Query] = []
                for fieldname, count in (("title", 8), ("abstract", 20)):
                    for word, weight in searcher.key_terms([docnum], fieldname, numterms=count):
                        terms.append(wq.Term(fieldname, word, boost=weight))
                if not terms:
                    return []
                results = searcher.search(wq.Or(terms), limit=limit, mask=wq.Term("id", paper_id))
                return [
                    Hit(self._ids[hit.docnum], hit_score(hit), rank)
                    for rank, hit in enumerate(results)
                ]
        except Exception as failure:
            self._note(damaged_message(failure, None))
            return []

    def _fresh_searcher(self) -> Any:
        """The shared searcher, refreshed after our writes and now and then for other processes'."""
        now = time.monotonic()
        if self._dirty or now - self._checked > REFRESH_INTERVAL:
            self._checked, self._dirty = now, False
            # Reading the table of contents (cheap, now and then) notices an index damaged or
            # replaced under us before the searcher reads its memory-mapped files.
            _ = self._ix.schema
            fresh = self._searcher.refresh()
            if fresh is not self._searcher:  # refresh() closed what the new one doesn't reuse
                self._searcher = fresh
                self._ids = fresh.reader().column_reader("id")
        return self._searcher

    # --- writing -----------------------------------------------------------------------------

    def update(self, paper: Paper, annotation: Annotation | None) -> None:
        """Re-index one paper (its tags, note, star...) so the next search sees it.

        If another process holds the index for longer than `update_timeout`, the change is
        kept, noted in `messages`, and written by the next update().
        """
        self.update_many([(paper, annotation)])

    def update_many(self, changed: Iterable[tuple[Paper, Annotation | None]]) -> None:
        """Re-index many papers in one write (a batch, its undo): one commit, not one each."""
        with self._write_lock:
            for paper, annotation in changed:
                self._writes.add(document(paper, annotation))
            self._flush()

    def flush(self) -> bool:
        """Write changes an earlier update() could not; True when none are left."""
        with self._write_lock:
            return self._flush()

    def _flush(self) -> bool:
        flushed = self._writes.flush(self.update_timeout)
        if flushed.refreshed is not None:
            self.last_refresh = flushed.refreshed
        if flushed.wrote:
            self._dirty = True
            if self._writes.wants_merge():
                self._merge_later()
        return flushed.done

    def merge(self) -> bool:
        """Merge the small segments single updates left; True when the index was written.

        `update` never merges (that would make some changes slow); this runs in the
        background once no change came for `merge_delay` seconds, and can be called directly.
        """
        with self._write_lock:
            if self._closed:
                return False
            self._flush()  # changes an update could not write yet come first (merge needs them)
            merged = self._writes.merge(0.0)  # never wait: a busy index is merged later
            if merged:
                self._dirty = True
            elif self._writes.wants_merge():  # busy, or it failed: after another quiet period
                self._merge_later()
            return merged

    def _merge_later(self) -> None:
        """(Re)start the quiet-period timer: every new change pushes the merge back."""
        if self._merge_timer is not None:
            self._merge_timer.cancel()
        timer = threading.Timer(self.merge_delay, self.merge)
        timer.daemon = True  # a process exiting need not wait; the next open merges instead
        timer.start()
        self._merge_timer = timer

    def _note(self, message: str) -> None:
        if message not in self.messages:
            self.messages.append(message)

    def close(self) -> None:
        if self._merge_timer is not None:
            self._merge_timer.cancel()
        with self._write_lock, self._read_lock:  # a merge already running finishes first
            if self._closed:
                return
            self._closed = True
            self._writes.close()
            self._searcher.close()
            self._ix.close()
