"""Opening a corpus's search index: where it can live, who holds it, and bringing it up to date.

Split from `paperdeck.search.index` (which serves searches). Every problem ends in a fallback
and a line in `messages`: a locked index is searched as it is (and compared later), no writable
folder or an index held by another process means a temporary index in memory.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import RamStorage
from whoosh.util.filelock import FileLock, try_for

from paperdeck.corpus.corpus import Corpus
from paperdeck.corpus.paper import Paper
from paperdeck.notes.annotation import Annotation
from paperdeck.search.schema import build_schema, document, fingerprint
from paperdeck.search.store import (
    LOCK_FILE,
    LazyDocs,
    Progress,
    RefreshStats,
    build,
    index_locations,
    open_existing,
    open_locked,
    writable,
)

MakeDoc = Callable[[str], dict[str, Any]]  # paper ID -> its Whoosh document


@dataclass
class Opened:
    """An opened Whoosh index and what is known about what it holds."""

    ix: Any  # whoosh.index.Index (whoosh has no type hints)
    location: Path | None  # None: the index is in memory
    messages: list[str]
    expected: dict[str, str]  # paper ID -> the fingerprint the index holds (or will)
    state: str | None = None  # `state_of(expected)`, when the record on disk says so
    stats: RefreshStats = field(default_factory=RefreshStats)
    stale: MakeDoc | None = None  # another process held it: compare everything at the next write


def open_index(
    corpus_root: Path,
    papers: Sequence[Paper] | Corpus,
    annotations: Mapping[str, Annotation],
    progress: Progress | None,
    lock_timeout: float,
) -> Opened:
    """The index for a corpus, up to date with `papers` and `annotations` unless another
    process holds it (then `stale`); see `SearchIndex.open`."""
    started = time.perf_counter()
    corpus = papers if isinstance(papers, Corpus) else Corpus(Path(corpus_root), list(papers))
    expected = {pid: fingerprint(corpus.digest(pid), annotations.get(pid)) for pid in corpus.ids}

    def make_doc(paper_id: str) -> dict[str, Any]:
        paper = corpus.get(paper_id)
        assert paper is not None
        return document(paper, annotations.get(paper_id), expected[paper_id])

    messages: list[str] = []
    for location in index_locations(Path(corpus_root)):
        if not writable(location, messages):
            continue
        lock = FileLock(str(location.parent / LOCK_FILE))
        if try_for(lock.acquire, timeout=lock_timeout, delay=0.05):
            try:
                ix, stats, state = open_locked(location, expected, make_doc, progress, messages)
            except OSError as error:
                messages.append(f"cannot write the search index in {location}: {error}")
                continue
            finally:
                lock.release()
            return Opened(ix, location, messages, dict(expected), state, _timed(stats, started))
        ix = open_existing(location)
        if ix is not None:
            messages.append(
                "another paperdeck process is updating the search index; "
                "searching it as it is for now (changes are indexed later)"
            )
            # brought up to date by the next update() or flush()
            return Opened(ix, location, messages, dict(expected), stale=make_doc)
        messages.append(
            "another paperdeck process holds the search index; using a temporary index in memory"
        )
        break
    else:
        messages.append("no writable folder for the search index; keeping it in memory")
    ix = RamStorage().create_index(build_schema())
    stats = build(ix, LazyDocs(list(expected), make_doc), progress)
    return Opened(ix, None, messages, dict(expected), stats=_timed(stats, started))


def _timed(stats: RefreshStats, started: float) -> RefreshStats:
    return RefreshStats(
        stats.added,
        stats.updated,
        stats.removed,
        stats.unchanged,
        stats.rebuilt,
        time.perf_counter() - started,
    )
