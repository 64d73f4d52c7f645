"""Writing changed papers into a search index while it is searched: the write side of
`SearchIndex`, split from `paperdeck.search.index` (which serves searches).

A change waits in `pending` until it is written; when another process holds the index longer
than the timeout, it stays there (and a line says so) for the next write.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from whoosh.util.filelock import FileLock, try_for

from paperdeck.search.build import FastSegmentWriter
from paperdeck.search.opening import MakeDoc, Opened
from paperdeck.search.reader_reuse import open_reader
from paperdeck.search.store import (
    LOCK_FILE,
    RefreshStats,
    adjust_state,
    read_meta,
    refresh,
    state_of,
    write_meta,
)

SEGMENTS_BEFORE_MERGE = 8  # past this many segments, `merge` is worth it
SMALL_SEGMENT = 500  # documents: segments up to this size are merged (a fraction of a second)


@dataclass(frozen=True)
class Flushed:
    """What one `IndexWrites.flush` did."""

    done: bool  # nothing is left to write
    wrote: bool = False  # the index was written: searchers must look again
    refreshed: RefreshStats | None = None  # everything was compared (the index had been held)


class IndexWrites:
    """The changes not yet written to one index, and the fingerprints it holds.

    Not thread-safe on its own: `SearchIndex` calls it under its write lock.
    """

    def __init__(self, opened: Opened, note: Callable[[str], None]) -> None:
        self._ix = opened.ix
        self.location = opened.location
        self._note = note  # tells the person (once) why a change waits
        self.pending: dict[str, dict[str, Any]] = {}  # paper ID -> its Whoosh document
        self._stale = opened.stale  # another process held the index at open
        self._expected = dict(opened.expected)  # paper ID -> fingerprint the index holds
        self._state = opened.state  # state_of(_expected), while the record on disk agrees
        self.segments = len(opened.ix._segments()) if hasattr(opened.ix, "_segments") else 0
        self._reader: Any = None  # the last write's reader (see `_write_pending`)

    def add(self, doc: dict[str, Any]) -> None:
        self.pending[doc["id"]] = doc

    def flush(self, timeout: float) -> Flushed:
        """Write what is pending (and, the first time after a held open, compare everything)."""
        if not self.pending and self._stale is None:
            return Flushed(done=True)
        lock = None
        if self.location is not None:
            lock = FileLock(str(self.location.parent / LOCK_FILE))
            if not try_for(lock.acquire, timeout=timeout, delay=0.02):
                self._note(
                    f"the search index is locked by another paperdeck process; "
                    f"{len(self.pending)} change(s) will be indexed later"
                )
                return Flushed(done=False)
        try:
            if self._stale is not None:
                return Flushed(True, True, self._refresh_stale(self._stale))
            self._write_pending(timeout)
            return Flushed(True, True)
        except Exception as failure:
            self._note(f"could not update the search index ({failure}); will retry")
            return Flushed(done=False)
        finally:
            if lock is not None:
                lock.release()

    def _refresh_stale(self, make_doc: MakeDoc) -> RefreshStats:
        """Another process held the index at open: compare everything now, pending included."""
        pending = dict(self.pending)
        expected = {**self._expected, **{pid: d["fingerprint"] for pid, d in pending.items()}}

        def make(paper_id: str) -> dict[str, Any]:
            return pending[paper_id] if paper_id in pending else make_doc(paper_id)

        stats = refresh(self._ix, expected, make, None)
        self._expected, self._state = expected, state_of(expected)
        if self.location is not None:
            write_meta(self.location, self._ix, self._state, len(expected))
        self._stale = None
        self.pending.clear()
        return stats

    def _write_pending(self, timeout: float) -> None:
        """Write the pending papers, looking up only their own stored fingerprints (not all)."""
        in_step = self._in_step()
        # The fast writer: Whoosh's own pools every posting through a pickled sort file
        writer = FastSegmentWriter(self._ix, timeout=timeout)
        # the last write's reader, keeping its segment readers (opening one costs milliseconds)
        reader = open_reader(
            writer.storage, writer.schema, writer.segments, writer.generation, self._reader
        )
        self._reader = reader
        try:
            prints = reader.column_reader("fingerprint")
            changed = []
            for paper_id, doc in self.pending.items():
                live = [d for d in _doc_numbers(reader, paper_id) if not reader.is_deleted(d)]
                if [prints[docnum] for docnum in live] != [doc["fingerprint"]]:
                    changed.append((doc, live))
            for doc, live in changed:  # what update_document does, without a second reader
                for docnum in live:
                    writer.delete_document(docnum)
                writer.add_document(**doc)
            self.segments = len(writer.segments) + bool(changed)
        except BaseException:
            writer.cancel()
            raise
        if changed:
            # one small segment per change, never merged here (a merge is a spike): `merge`
            # does it later, when no change is coming in
            writer.commit(merge=False)
        else:
            writer.cancel()
        self._after_commit(in_step, wrote=bool(changed))
        self.pending.clear()

    def _after_commit(self, in_step: bool, *, wrote: bool) -> None:
        """Our fingerprints now include the pending papers; record them beside the index."""
        for doc in self.pending.values():
            old = self._expected.get(doc["id"])
            self._expected[doc["id"]] = doc["fingerprint"]
            if self._state is not None:
                self._state = adjust_state(self._state, doc["id"], old, doc["fingerprint"])
        if wrote and self.location is not None:
            # our record stays valid only if nobody else committed since it was written
            write_meta(
                self.location,
                self._ix,
                self._state if in_step else None,
                len(self._expected),
            )
            if not in_step:
                self._state = None

    def _in_step(self) -> bool:
        """Whether the record beside the index is ours and nobody committed since."""
        recorded = read_meta(self.location) if self.location is not None else {}
        return (
            self._state is not None
            and recorded.get("state") == self._state
            and recorded.get("generation") == self._ix.latest_generation()
        )

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    def wants_merge(self) -> bool:
        return self.segments > SEGMENTS_BEFORE_MERGE

    def merge(self, timeout: float) -> bool:
        """Merge the small segments single changes left into one; True when it was written.

        Skipped (False) while another process holds the index, or with nothing to merge. Every
        reader open and every search costs a little per segment, so a long session needs it.
        """
        if self.pending or self._stale is not None:
            return False  # the next flush writes first
        lock = None
        if self.location is not None:
            lock = FileLock(str(self.location.parent / LOCK_FILE))
            if not try_for(lock.acquire, timeout=timeout, delay=0.02):
                return False
        try:
            in_step = self._in_step()
            writer = self._ix.writer(timeout=timeout)
            small = [s for s in writer.segments if s.doc_count_all() <= SMALL_SEGMENT]
            if len(small) < 2:
                writer.cancel()
                self.segments = len(writer.segments)
                return False
            writer.commit(mergetype=_merge_small)
            self.segments = len(writer.segments) - len(small) + 1
            self._after_commit(in_step, wrote=True)
            return True
        except Exception as failure:
            self._note(f"could not merge the search index's segments ({failure}); will retry")
            return False
        finally:
            if lock is not None:
                lock.release()


def _merge_small(writer: Any, segments: list[Any]) -> list[Any]:
    """A Whoosh merge policy: the segments of at most SMALL_SEGMENT documents become one."""
    from whoosh.reading import SegmentReader

    kept = []
    for segment in segments:
        if segment.doc_count_all() > SMALL_SEGMENT:
            kept.append(segment)
            continue
        reader = SegmentReader(writer.storage, writer.schema, segment)
        try:
            writer.add_reader(reader)
        finally:
            reader.close()
    return kept


def _doc_numbers(reader: Any, paper_id: str) -> list[int]:
    """The documents holding one paper ID (one, unless something went wrong), by term lookup."""
    if not reader.doc_count_all() or ("id", paper_id) not in reader:
        return []
    return list(reader.postings("id", paper_id).all_ids())
