"""A fix for Whoosh 2.7.4 that makes opening an index cost nothing per byte of index.

Whoosh maps each segment file into memory, then wraps every sub-file it opens (terms,
postings, stored fields, columns...) in a `BufferFile`, whose constructor makes
`BytesIO(buffer)`: a full copy of that part of the map. Every reader, searcher refresh and
writer therefore copies most of the index; at 100,000 papers that is hundreds of megabytes and
seconds per open. `BufferFile` already reads through the map for its random-access methods
(`get`, `get_array`...), so the copy only serves sequential reads (headers, varints, pickles):
here those read through the map too (`ViewReader`), and nothing is copied.
"""

from __future__ import annotations

from typing import Any

from whoosh.filedb.structfile import BufferFile

from paperdeck.search import reader_reuse

_APPLIED = False


def _init(
    self: Any, buf: Any, name: str | None = None, onclose: Any = None
) -> None:  # pragma: no cover - trivial
    self._buf = buf
    self._name = name
    self._lazy_file = None
    self.onclose = onclose
    self.is_real = False
    self.is_closed = False


class ViewReader:
    """A read-only file over a memoryview: sequential reads without copying the whole view."""

    __slots__ = ("_pos", "_view", "closed")

    def __init__(self, view: Any) -> None:
        self._view = memoryview(view)
        self._pos = 0
        self.closed = False

    def read(self, size: int | None = -1) -> bytes:
        start = self._pos
        end = len(self._view) if size is None or size < 0 else min(start + size, len(self._view))
        self._pos = max(start, end)
        return self._view[start:end].tobytes()

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        view, start = self._view, self._pos
        limit = len(view) if size is None or size < 0 else min(len(view), start + size)
        end = start
        while end < limit:
            end += 1
            if view[end - 1] == 10:
                break
        self._pos = end
        return view[start:end].tobytes()

    def peek(self, size: int = 0) -> bytes:
        return self._view[self._pos : self._pos + max(size, 1)].tobytes()

    def seek(self, position: int, whence: int = 0) -> int:
        if whence == 1:
            position += self._pos
        elif whence == 2:
            position += len(self._view)
        self._pos = max(0, position)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        self.closed = True

    def flush(self) -> None:
        pass


def _file(self: Any) -> Any:
    if self._lazy_file is None:
        self._lazy_file = ViewReader(self._buf)
    return self._lazy_file


def _set_file(self: Any, value: Any) -> None:
    self._lazy_file = value


def _close(self: Any) -> None:
    if self.is_closed:
        raise Exception("This file is already closed")
    if self.onclose:
        self.onclose(self)
    if self._lazy_file is not None:
        self._lazy_file.close()
    self.is_closed = True


def apply() -> None:
    """Idempotent; called when `paperdeck.search.index` is imported."""
    global _APPLIED
    if _APPLIED:
        return
    BufferFile.__init__ = _init
    BufferFile.file = property(_file, _set_file)
    BufferFile.close = _close
    reader_reuse.apply()  # the other fix: refreshed readers keep the segments still there
    _APPLIED = True
