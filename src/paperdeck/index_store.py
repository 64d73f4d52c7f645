"""Where the search index lives and how it is built, checked and refreshed on disk.

Split from `paperdeck.index` (which serves searches) to keep each module small. Everything here
runs with the paperdeck lock held (`index.lock` beside the index folder, an flock, so a crashed
process never leaves it held), except the read-only `open_existing`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs
from whoosh import index as windex

from paperdeck.index_build import FastMpWriter, FastSegmentWriter, cpu_count
from paperdeck.index_schema import SCHEMA_VERSION, build_schema

CACHE_ENV = "PAPERDECK_CACHE_DIR"
INDEX_SUBDIR = Path(".paperdeck") / "index"
META_FILE = "paperdeck-index.json"
LOCK_FILE = "index.lock"
PARALLEL_BUILD_MIN = 5000  # below this, starting writer processes costs more than it saves
BUILD_PROCS = 2  # writer processes for a big build, one segment each (fewer if fewer CPUs)

Progress = Callable[[int, int], None]
Docs = dict[str, dict[str, Any]]


@dataclass(frozen=True)
class RefreshStats:
    """What the last open or refresh did to the index (for tests and status lines)."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    rebuilt: bool = False
    seconds: float = 0.0


def cache_root() -> Path:
    return Path(os.environ.get(CACHE_ENV) or platformdirs.user_cache_dir("paperdeck"))


def index_locations(corpus_root: Path) -> list[Path]:
    """Where the index may live, in order of preference."""
    absolute = Path(os.path.abspath(corpus_root))
    short = hashlib.sha1(str(absolute).encode("utf-8")).hexdigest()[:12]
    return [absolute / INDEX_SUBDIR, cache_root() / short / "index"]


def writable(location: Path, messages: list[str]) -> bool:
    """Create the index folder and prove we can write beside it."""
    try:
        location.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=location.parent, prefix=".probe-"):
            pass
        return True
    except OSError as error:
        reason = error.strerror or str(error)
        messages.append(f"cannot keep the search index in {location.parent} ({reason})")
        return False


def open_existing(location: Path) -> Any | None:
    try:
        ix = windex.open_dir(str(location))
        return ix if ix.doc_count() > 0 else None
    except Exception:
        return None


def fingerprints(reader: Any) -> dict[str, str]:
    ids = reader.column_reader("id")
    prints = reader.column_reader("fingerprint")
    return {ids[docnum]: prints[docnum] for docnum in reader.all_doc_ids()}


def _check(location: Path) -> tuple[Any | None, str | None]:
    """The index if it is sound and current, else None and why it must be rebuilt."""
    names = [n for n in os.listdir(location) if n != META_FILE]
    if not names:
        return None, "no search index yet"
    try:
        meta = json.loads((location / META_FILE).read_text("utf-8"))
        version = meta.get("schema_version")
    except (OSError, ValueError, AttributeError):
        version = None
    if version != SCHEMA_VERSION:
        return None, f"the search index format changed (version {version} -> {SCHEMA_VERSION})"
    try:
        ix = windex.open_dir(str(location))
        if sorted(ix.schema.names()) != sorted(build_schema().names()):
            raise ValueError("its fields differ from this version's")
        with ix.reader() as reader:
            fingerprints(reader)
            for docnum in reader.all_doc_ids():
                reader.stored_fields(docnum)
                break
        return ix, None
    except Exception as error:
        return None, f"the search index is damaged ({type(error).__name__}: {error})"


def open_locked(
    location: Path, docs: Docs, progress: Progress | None, messages: list[str]
) -> tuple[Any, RefreshStats]:
    """Open and refresh, or rebuild; the caller holds the paperdeck lock."""
    ix, reason = _check(location)
    if ix is not None:
        return ix, refresh(ix, docs, progress)
    messages.append(f"{reason}: building it for {len(docs)} papers in {location}")
    shutil.rmtree(location, ignore_errors=True)
    location.mkdir(parents=True, exist_ok=True)
    ix = windex.create_in(str(location), build_schema())
    stats = build(ix, docs, progress)
    (location / META_FILE).write_text(json.dumps({"schema_version": SCHEMA_VERSION}), "utf-8")
    return ix, stats


def _report(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None and (done == total or done % max(1, total // 100) == 0):
        progress(done, total)


def build(ix: Any, docs: Docs, progress: Progress | None) -> RefreshStats:
    procs = min(BUILD_PROCS, cpu_count())
    big = len(docs) >= PARALLEL_BUILD_MIN and procs > 1
    writer = FastMpWriter(ix, procs=procs) if big else FastSegmentWriter(ix)
    for done, doc in enumerate(docs.values(), start=1):
        writer.add_document(**doc)
        _report(progress, done, len(docs))
    writer.commit()
    return RefreshStats(added=len(docs), rebuilt=True)


def refresh(ix: Any, docs: Docs, progress: Progress | None) -> RefreshStats:
    """Index only what changed since the index was written."""
    writer = ix.writer(timeout=5.0)
    try:
        known = fingerprints(writer.reader())
        removed = [pid for pid in known if pid not in docs]
        added = [doc for pid, doc in docs.items() if pid not in known]
        updated = [
            doc for pid, doc in docs.items() if pid in known and known[pid] != doc["fingerprint"]
        ]
        for pid in removed:
            writer.delete_by_term("id", pid)
        total = len(added) + len(updated)
        for done, doc in enumerate([*added, *updated], start=1):
            (writer.add_document if done <= len(added) else writer.update_document)(**doc)
            _report(progress, done, total)
    except BaseException:
        writer.cancel()
        raise
    if removed or added or updated or len(ix._segments()) > 8:
        writer.commit()  # merges small segments left by single-paper updates
    else:
        writer.cancel()
    unchanged = len(docs) - len(added) - len(updated)
    return RefreshStats(len(added), len(updated), len(removed), unchanged)
