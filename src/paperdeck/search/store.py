"""Where the search index lives and how it is built, checked and refreshed on disk.

Split from `paperdeck.search.index` (which serves searches) to keep each module small. Everything
here runs with the paperdeck lock held (`index.lock` beside the index folder, an flock, so a crashed
process never leaves it held), except the read-only `open_existing`.
"""

from __future__ import annotations

import json
import os
import shutil
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import index as windex

from paperdeck.atomic import atomic_write_text
from paperdeck.derived import CACHE_ENV, cache_root, derived_locations, writable
from paperdeck.search.build import FastMpWriter, FastSegmentWriter, cpu_count
from paperdeck.search.schema import SCHEMA_VERSION, build_schema

__all__ = ["CACHE_ENV", "cache_root", "index_locations", "writable"]

META_FILE = "paperdeck-index.json"
LOCK_FILE = "index.lock"
PARALLEL_BUILD_MIN = 5000  # below this, starting writer processes costs more than it saves
BUILD_PROCS = 2  # writer processes for a big build, one segment each (fewer if fewer CPUs)

Progress = Callable[[int, int], None]
Docs = Mapping[str, dict[str, Any]]
_MODULUS = 1 << 128


@dataclass(frozen=True)
class RefreshStats:
    """What the last open or refresh did to the index (for tests and status lines)."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    rebuilt: bool = False
    seconds: float = 0.0


def index_locations(corpus_root: Path) -> list[Path]:
    """Where the index may live, in order of preference."""
    return derived_locations(corpus_root, "index")


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


def state_of(expected: Mapping[str, str]) -> str:
    """One value for "every paper has exactly these fingerprints", cheap to keep up to date:
    a sum over papers, so changing one paper adjusts it by that paper's difference. Each term
    is weighted by the paper's ID, so notes moving between papers (a star or a tag taken off one
    and put on another) change the sum too."""
    return format(sum(map(_weight, expected.items())) % _MODULUS, "x")


def adjust_state(state: str, paper_id: str, old: str | None, new: str | None) -> str:
    value = int(state, 16)
    if old:
        value -= _weight((paper_id, old))
    if new:
        value += _weight((paper_id, new))
    return format(value % _MODULUS, "x")


def _weight(item: tuple[str, str]) -> int:
    paper_id, fingerprint = item
    return int(fingerprint, 16) * (zlib.crc32(paper_id.encode("utf-8", "surrogatepass")) | 1)


def read_meta(location: Path) -> dict[str, Any]:
    try:
        meta = json.loads((location / META_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return meta if isinstance(meta, dict) else {}


def write_meta(location: Path, ix: Any, state: str | None, count: int) -> None:
    """Record what the index holds, tied to its generation: any later commit by anyone makes
    the record stale, so a stale record can only cost a full check, never a wrong answer."""
    meta: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    if state is not None:
        meta.update(state=state, count=count, generation=ix.latest_generation())
    atomic_write_text(location / META_FILE, json.dumps(meta))


def _check(location: Path) -> tuple[Any | None, str | None]:
    """The index if it is sound and current, else None and why it must be rebuilt."""
    names = [n for n in os.listdir(location) if n != META_FILE]
    if not names:
        return None, "no search index yet"
    version = read_meta(location).get("schema_version")
    if version != SCHEMA_VERSION:
        if version is None:
            return None, "the search index has no version record; rebuilding it"
        return None, f"the search index format changed (version {version} -> {SCHEMA_VERSION})"
    try:
        ix = windex.open_dir(str(location))
        if sorted(ix.schema.names()) != sorted(build_schema().names()):
            raise ValueError("its fields differ from this version's")
        with ix.reader() as reader:
            for docnum in reader.all_doc_ids():
                reader.stored_fields(docnum)
                break
        return ix, None
    except Exception as error:
        return None, f"the search index is damaged ({type(error).__name__}: {error})"


class LazyDocs(Mapping[str, dict[str, Any]]):
    """Documents made one at a time while a writer consumes them (never 100,000 at once)."""

    def __init__(self, ids: list[str], make_doc: Callable[[str], dict[str, Any]]) -> None:
        self._ids = ids
        self._make = make_doc

    def __getitem__(self, paper_id: str) -> dict[str, Any]:
        return self._make(paper_id)

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


def open_locked(
    location: Path,
    expected: Mapping[str, str],
    make_doc: Callable[[str], dict[str, Any]],
    progress: Progress | None,
    messages: list[str],
) -> tuple[Any, RefreshStats, str]:
    """Open and refresh, or rebuild; the caller holds the paperdeck lock.

    `expected` maps every paper ID to the fingerprint the index must hold for it. When the
    index's record says it holds exactly that state (same sum, same generation), nothing is
    read per paper. Returns the index, what was done, and the state it now holds.
    """
    state = state_of(expected)
    ix, reason = _check(location)
    if ix is not None:
        meta = read_meta(location)
        if (
            meta.get("state") == state
            and meta.get("count") == len(expected)
            and meta.get("generation") == ix.latest_generation()
        ):
            return ix, RefreshStats(unchanged=len(expected)), state
        stats = refresh(ix, expected, make_doc, progress)
        write_meta(location, ix, state, len(expected))
        return ix, stats, state
    messages.append(f"{reason}: building it for {len(expected)} papers in {location}")
    shutil.rmtree(location, ignore_errors=True)
    location.mkdir(parents=True, exist_ok=True)
    ix = windex.create_in(str(location), build_schema())
    stats = build(ix, LazyDocs(list(expected), make_doc), progress)
    write_meta(location, ix, state, len(expected))
    return ix, stats, state


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


def refresh(
    ix: Any,
    expected: Mapping[str, str],
    make_doc: Callable[[str], dict[str, Any]],
    progress: Progress | None,
) -> RefreshStats:
    """Index only what changed since the index was written (compares every fingerprint)."""
    writer = ix.writer(timeout=5.0)
    try:
        known = fingerprints(writer.reader())
        removed = [pid for pid in known if pid not in expected]
        added = [pid for pid in expected if pid not in known]
        updated = [pid for pid, fp in expected.items() if pid in known and known[pid] != fp]
        for pid in removed:
            writer.delete_by_term("id", pid)
        total = len(added) + len(updated)
        for done, pid in enumerate([*added, *updated], start=1):
            doc = make_doc(pid)
            (writer.add_document if done <= len(added) else writer.update_document)(**doc)
            _report(progress, done, total)
    except BaseException:
        writer.cancel()
        raise
    if removed or added or updated or len(ix._segments()) > 8:
        writer.commit()  # merges small segments left by single-paper updates
    else:
        writer.cancel()
    unchanged = len(expected) - len(added) - len(updated)
    return RefreshStats(len(added), len(updated), len(removed), unchanged)
