"""Parsed notes files, remembered by the SHA-256 of their bytes, so opening a corpus with
thousands of notes files reads them (cheap) but does not parse their TOML again (not cheap).

Keyed by content, never by file times: a cached result is only ever used for exactly the bytes
it was parsed from, so it cannot be stale. Derived data (`paperdeck.derived`), safe to delete;
stored with `marshal` (plain values only), and ignored whenever it cannot be read.
"""

from __future__ import annotations

import contextlib
import marshal
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from paperdeck.atomic import atomic_write_bytes
from paperdeck.corpus.cache import first_writable, read_versioned
from paperdeck.derived import derived_locations, source_version
from paperdeck.notes.annotation import Annotation

FILE = "notes.marshal"
_CODE = ("paperdeck.notes.toml_format", "paperdeck.notes.cache")  # parse a notes file, keep rows
Row = tuple[Any, ...]


@lru_cache(maxsize=1)
def code_version() -> str:
    """Changes whenever the code that parses a notes file or stores its rows changes."""
    return source_version(_CODE, "notes")


def to_row(annotation: Annotation) -> Row | None:
    """A plain-values form, or None for notes with keys this version does not know."""
    if annotation.extra:
        return None

    def when(value: datetime | None) -> str | None:
        return value.isoformat() if value is not None else None

    return (
        annotation.paper_id,
        annotation.title,
        annotation.starred,
        when(annotation.starred_at),
        annotation.status,
        when(annotation.status_at),
        tuple(annotation.tags),
        annotation.note,
    )


def from_row(row: Row) -> Annotation:
    paper_id, title, starred, starred_at, status, status_at, tags, note = row
    return Annotation(
        paper_id,
        title=title,
        starred=starred,
        starred_at=datetime.fromisoformat(starred_at) if starred_at else None,
        status=status,
        status_at=datetime.fromisoformat(status_at) if status_at else None,
        tags=tuple(tags),
        note=note,
    )


class NotesCache:
    """digest of a file's bytes -> its parsed notes."""

    def __init__(self, corpus_root: Path) -> None:
        self.locations = derived_locations(corpus_root, "corpus")
        self.rows: dict[str, Row] = {}
        self.used: dict[str, Row] = {}
        self._changed = False
        found = read_versioned(self.locations, FILE, code_version())
        rows = found[1].get("rows") if found is not None else None
        if isinstance(rows, dict):
            self.rows = rows

    def get(self, digest: str) -> Annotation | None:
        row = self.rows.get(digest)
        if row is None:
            return None
        try:
            annotation = from_row(row)
        except (TypeError, ValueError):
            return None
        self.used[digest] = row
        return annotation

    def put(self, digest: str, annotation: Annotation) -> None:
        row = to_row(annotation)
        if row is not None:
            self.used[digest] = row
            self._changed = True

    def save(self) -> None:
        """Keep exactly the files seen in this load (so the cache never grows without end)."""
        if not self._changed and len(self.used) == len(self.rows):
            return
        folder = first_writable(self.locations)
        if folder is not None:
            with contextlib.suppress(OSError, ValueError):
                data = marshal.dumps({"version": code_version(), "rows": self.used})
                atomic_write_bytes(folder / FILE, data)
