"""A fix for Whoosh 2.7.4: refreshing a reader reopens only the segments that are new.

`FileIndex._reader(..., reuse=old)` is meant to keep the old reader's segment readers for the
segments still in the index, but it files them under the index generation and looks them up
under the segment ID, so it never finds one: every `Searcher.refresh()` after a note change
reopened every segment (at 100,000 papers, tens of milliseconds per change). Here the lookup
is by segment ID, and a kept reader takes the new table of contents' segment object, which is
where Whoosh keeps a segment's deleted documents (readers ask it on every call), so a document
deleted since is seen as deleted.
"""

from __future__ import annotations

from typing import Any

from whoosh.index import FileIndex
from whoosh.reading import EmptyReader, MultiReader, SegmentReader

_APPLIED = False


def _adopt(reader: SegmentReader, segment: Any, generation: int) -> SegmentReader:
    """A kept segment reader, now reading `segment`'s deletions."""
    reader._segment = segment
    reader._perdoc._segment = segment
    reader._gen = generation
    return reader


def open_reader(
    storage: Any, schema: Any, segments: list[Any], generation: int, reuse: Any = None
) -> Any:
    """What `FileIndex._reader` does, keeping `reuse`'s readers of segments still present.

    `reuse`'s other segment readers are closed: it must not be used afterwards.
    """
    reusable: dict[str, SegmentReader] = {}
    if reuse is not None:
        for leaf, _offset in reuse.leaf_readers():
            if isinstance(leaf, SegmentReader) and not leaf.is_closed:
                reusable[leaf.segment().segment_id()] = leaf
    try:
        if not segments:
            return EmptyReader(schema)

        def segment_reader(segment: Any) -> SegmentReader:
            kept = reusable.pop(segment.segment_id(), None)
            if kept is not None:
                return _adopt(kept, segment, generation)
            return SegmentReader(storage, schema, segment, generation=generation)

        if len(segments) == 1:
            return segment_reader(segments[0])
        return MultiReader([segment_reader(s) for s in segments], generation=generation)
    finally:
        for leaf in reusable.values():
            leaf.close()


def _reader(
    cls: Any, storage: Any, schema: Any, segments: Any, generation: Any, reuse: Any = None
) -> Any:  # pragma: no cover - delegates
    return open_reader(storage, schema, segments, generation, reuse)


def apply() -> None:
    """Idempotent; applied with `paperdeck.search.whoosh_patches`."""
    global _APPLIED
    if not _APPLIED:
        FileIndex._reader = classmethod(_reader)
        _APPLIED = True
