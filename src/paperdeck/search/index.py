"""Local full-text search over a corpus: a Whoosh index kept as derived data.

The index can always be thrown away and rebuilt from the corpus and the notes, so every problem
with it (missing, corrupt, written by another version, locked by another process, folder not
writable) ends in a rebuild or a fallback plus a line in `messages`, never in an exception.

Where it lives: `<corpus>/.paperdeck/index/`, or, when the corpus folder is not writable,
`<user cache dir>/paperdeck/<hash of the corpus path>/index` (`$PAPERDECK_CACHE_DIR` replaces the
user cache dir), or, as a last resort, in memory. Writers take `index.lock` beside the index
folder (an flock, so a crashed process never leaves it held) before Whoosh's own write lock.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from whoosh import query as wq
from whoosh.collectors import TimeLimitCollector
from whoosh.filedb.filestore import RamStorage
from whoosh.searching import TimeLimit
from whoosh.util.filelock import FileLock, try_for

from paperdeck.corpus.corpus import Corpus
from paperdeck.corpus.paper import Paper
from paperdeck.notes.annotation import Annotation
from paperdeck.search.as_you_type import Quick, QuickSearcher, simple_words
from paperdeck.search.compile import compile_tree, deadline, sort_facets
from paperdeck.search.highlight import Highlights, highlight_document
from paperdeck.search.query import SORT_KEYS, Node, parse
from paperdeck.search.schema import build_schema, document, fingerprint
from paperdeck.search.store import (
    CACHE_ENV,
    LOCK_FILE,
    META_FILE,
    LazyDocs,
    Progress,
    RefreshStats,
    adjust_state,
    build,
    index_locations,
    open_existing,
    open_locked,
    read_meta,
    refresh,
    state_of,
    writable,
    write_meta,
)
from paperdeck.search.whoosh_patches import apply as _apply_whoosh_patches

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

SEGMENTS_BEFORE_MERGE = 12
REFRESH_INTERVAL = 0.5  # seconds between checks for commits made by other processes
COUNT_CAP = 10_000  # matches counted one by one, at most, for a query Whoosh ranks
SEARCH_BUDGET = 2.0  # seconds one search may take; then it stops with what it found


@dataclass(frozen=True)
class Hit:
    paper_id: str
    score: float
    rank: int  # 0-based position in the results


@dataclass(frozen=True)
class SearchResults:
    hits: list[Hit]
    total: int  # every match, even beyond `limit` (at least this many when not `exact`)
    query: str
    error: str | None = None  # what was wrong with the query (hits are then best effort)
    exact: bool = True  # False: `total` is a lower bound (counting all would cost too much)
    sort: str = "relevance"  # the sort used: the query's `sort:` wins over the one asked for

    @property
    def total_text(self) -> str:
        """The total for people: "1,234", or "1,234+" when it is a lower bound."""
        return f"{self.total:,}" if self.exact else f"{self.total:,}+"


class SearchIndex:
    """A corpus's search index; safe to call from worker threads (calls are serialised)."""

    _quick_searcher: QuickSearcher | None = None  # made again when the searcher changes

    lock_timeout = 10.0  # seconds open() waits for another process's build or refresh
    search_budget = SEARCH_BUDGET
    update_timeout = 1.0  # seconds update() waits; then the change is kept and retried later

    def __init__(self, ix: Any, location: Path | None, messages: list[str]) -> None:
        self._ix = ix
        self.location = location  # None: the index is in memory
        self.messages = messages
        self.last_refresh = RefreshStats()
        self._pending: dict[str, dict[str, Any]] = {}
        self._stale: Callable[[str], dict[str, Any]] | None = None  # another process held it
        self._expected: dict[str, str] = {}  # paper ID -> fingerprint the index holds
        self._state: str | None = None  # state_of(_expected), while the record on disk agrees
        self._write_lock = threading.Lock()
        self._read_lock = threading.RLock()
        self._searcher = ix.searcher()
        self._ids = self._searcher.reader().column_reader("id")
        self._checked = time.monotonic()
        self._dirty = False

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
        started = time.perf_counter()
        corpus = papers if isinstance(papers, Corpus) else Corpus(Path(corpus_root), list(papers))
        expected = {
            pid: fingerprint(corpus.digest(pid), annotations.get(pid)) for pid in corpus.ids
        }

        def make_doc(paper_id: str) -> dict[str, Any]:
            paper = corpus.get(paper_id)
            assert paper is not None
            return document(paper, annotations.get(paper_id), expected[paper_id])

        messages: list[str] = []
        for location in index_locations(Path(corpus_root)):
            if not writable(location, messages):
                continue
            lock = FileLock(str(location.parent / LOCK_FILE))
            if try_for(lock.acquire, timeout=cls.lock_timeout, delay=0.05):
                try:
                    ix, stats, state = open_locked(location, expected, make_doc, progress, messages)
                except OSError as error:
                    messages.append(f"cannot write the search index in {location}: {error}")
                    continue
                finally:
                    lock.release()
                index = cls(ix, location, messages)
                index._expected, index._state = dict(expected), state
                index.last_refresh = _timed(stats, started)
                return index
            ix = open_existing(location)
            if ix is not None:
                messages.append(
                    "another paperdeck process is updating the search index; "
                    "searching it as it is for now (changes are indexed later)"
                )
                index = cls(ix, location, messages)
                index._expected = dict(expected)
                index._stale = make_doc  # brought up to date by the next update() or flush()
                return index
            messages.append(
                "another paperdeck process holds the search index; "
                "using a temporary index in memory"
            )
            break
        else:
            messages.append("no writable folder for the search index; keeping it in memory")
        ix = RamStorage().create_index(build_schema())
        stats = build(ix, LazyDocs(list(expected), make_doc), progress)
        index = cls(ix, None, messages)
        index._expected = dict(expected)
        index.last_refresh = _timed(stats, started)
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
                q = compile_tree(parsed.tree, searcher.schema)
                results, stopped = self._timed_search(searcher, q, limit, sort_key, parsed.tree)
                hits = [
                    Hit(self._ids[hit.docnum], _score(hit), rank)
                    for rank, hit in enumerate(results)
                ][:limit]
                if not (stopped or budget.reached):
                    try:
                        total, exact = self._count(results, parsed.tree, q)
                    except TimeLimit:
                        stopped = True
                if stopped or budget.reached:
                    total, exact = len(hits), False
                    error = _joined(error, _stopped(self.search_budget))
                return SearchResults(hits, total, query, error, exact, sort_key)
        except (RecursionError, MemoryError) as failure:
            # the query asked too much of Whoosh (the index is fine)
            return SearchResults([], 0, query, _joined(error, _too_hard(failure)), sort=sort_key)
        except Exception as failure:  # a damaged index must not take the app down
            return SearchResults([], 0, query, _damaged(failure, error), sort=sort_key)

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
                    Hit(self._ids[hit.docnum], _score(hit), rank)
                    for rank, hit in enumerate(results)
                ]
        except Exception as failure:
            self._note(_damaged(failure, None))
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
        with self._write_lock:
            self._pending[paper.id] = document(paper, annotation)
            self._flush()

    def flush(self) -> bool:
        """Write changes an earlier update() could not; True when none are left."""
        with self._write_lock:
            return self._flush()

    def _flush(self) -> bool:
        if not self._pending and self._stale is None:
            return True
        lock = None
        if self.location is not None:
            lock = FileLock(str(self.location.parent / LOCK_FILE))
            if not try_for(lock.acquire, timeout=self.update_timeout, delay=0.02):
                self._note(
                    f"the search index is locked by another paperdeck process; "
                    f"{len(self._pending)} change(s) will be indexed later"
                )
                return False
        try:
            if self._stale is not None:
                self._refresh_stale(self._stale)
                return True
            self._write_pending()
            return True
        except Exception as failure:
            self._note(f"could not update the search index ({failure}); will retry")
            return False
        finally:
            if lock is not None:
                lock.release()

    def _refresh_stale(self, make_doc: Callable[[str], dict[str, Any]]) -> None:
        """Another process held the index at open: compare everything now, pending included."""
        pending = dict(self._pending)
        expected = {**self._expected, **{pid: d["fingerprint"] for pid, d in pending.items()}}

        def make(paper_id: str) -> dict[str, Any]:
            return pending[paper_id] if paper_id in pending else make_doc(paper_id)

        self.last_refresh = refresh(self._ix, expected, make, None)
        self._expected, self._state = expected, state_of(expected)
        if self.location is not None:
            write_meta(self.location, self._ix, self._state, len(expected))
        self._stale = None
        self._pending.clear()
        self._dirty = True

    def _write_pending(self) -> None:
        """Write the pending papers, looking up only their own stored fingerprints (not all)."""
        generation = self._ix.latest_generation()
        recorded = read_meta(self.location) if self.location is not None else {}
        in_step = (
            self._state is not None
            and recorded.get("state") == self._state
            and recorded.get("generation") == generation
        )
        writer = self._ix.writer(timeout=self.update_timeout)
        try:
            reader = writer.reader()
            prints = reader.column_reader("fingerprint")
            changed = []
            for paper_id, doc in self._pending.items():
                stored = [
                    prints[docnum]
                    for docnum in _doc_numbers(reader, paper_id)
                    if not reader.is_deleted(docnum)
                ]
                if stored != [doc["fingerprint"]]:
                    changed.append(doc)
            for doc in changed:
                writer.update_document(**doc)
        except BaseException:
            writer.cancel()
            raise
        if changed:
            # one small segment per change; past a dozen, merge the small ones (cheap, and
            # every reader open costs a little per segment)
            writer.commit(merge=len(getattr(writer, "segments", ())) > SEGMENTS_BEFORE_MERGE)
        else:
            writer.cancel()
        for doc in self._pending.values():
            old = self._expected.get(doc["id"])
            self._expected[doc["id"]] = doc["fingerprint"]
            if self._state is not None:
                self._state = adjust_state(self._state, doc["id"], old, doc["fingerprint"])
        if changed and self.location is not None:
            # our record stays valid only if nobody else committed since it was written
            write_meta(
                self.location,
                self._ix,
                self._state if in_step else None,
                len(self._expected),
            )
            if not in_step:
                self._state = None
        self._pending.clear()
        self._dirty = True

    def _note(self, message: str) -> None:
        if message not in self.messages:
            self.messages.append(message)

    def close(self) -> None:
        with self._read_lock:
            self._searcher.close()
            self._ix.close()


# --- helpers ---------------------------------------------------------------------------------


def _doc_numbers(reader: Any, paper_id: str) -> list[int]:
    """The documents holding one paper ID (one, unless something went wrong), by term lookup."""
    if not reader.doc_count_all() or ("id", paper_id) not in reader:
        return []
    return list(reader.postings("id", paper_id).all_ids())


def _score(hit: Any) -> float:
    """Sorted searches report the sort key as the score; only relevance has a number."""
    return float(hit.score) if isinstance(hit.score, int | float) else 0.0


def _timed(stats: RefreshStats, started: float) -> RefreshStats:
    return RefreshStats(
        stats.added,
        stats.updated,
        stats.removed,
        stats.unchanged,
        stats.rebuilt,
        time.perf_counter() - started,
    )


def _joined(error: str | None, text: str) -> str:
    return f"{error}; {text}" if error else text


def _stopped(budget: float) -> str:
    return (
        f"the search took longer than {budget:g} s and was stopped: these are the matches found "
        "by then (use fewer ~ and * words, or more specific ones)"
    )


def _too_hard(failure: Exception) -> str:
    what = "too deeply nested" if isinstance(failure, RecursionError) else "too large"
    return f"this query could not be run ({what}); simplify it (the index is fine)"


def _damaged(failure: Exception, error: str | None) -> str:
    text = (
        f"search failed, the index may be damaged ({type(failure).__name__}: {failure}); "
        "reopen the corpus to rebuild it"
    )
    return f"{error}; {text}" if error else text
