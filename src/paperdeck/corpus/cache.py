"""A cache of the parsed corpus, so re-opening an unchanged corpus does not re-read its files.

Derived data like the index (`paperdeck.derived`: `<corpus>/.paperdeck/corpus/`, or the user
cache dir): delete it any time. Two layers:

* **Snapshot** (`papers.marshal` + `papers-<token>.bin`): the merged papers of the whole
  corpus, valid while every file has the size, modification and change times and inode it had
  (its `signature`). The `.marshal` file holds the IDs in order; each paper's fields and its
  abstract stay in the `.bin` file, memory-mapped and decoded only when that paper is looked
  at, so opening 100,000 papers costs one list of IDs, not 100 MB of strings and 100,000
  objects.
* **Entries** (`entries.marshal`): what each file said (its entries with their identity keys,
  and its problems), so when a few files change only those are parsed again before merging.

The cache key includes a hash of the parser's own source code, so a new paperdeck never trusts
a cache written by an older parser. Any unreadable or inconsistent cache is ignored (and then
rewritten); a file changed within the last seconds is not cached when it is read (its
modification time could hide a second write in the same tick). `PendingSave` keeps what such a
run could not cache and writes it at the end of the run (after the index build, on close) for
the files that have settled by then, so the next command need not parse them again.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import mmap
import os
import secrets
import threading
import time
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from paperdeck.atomic import atomic_write_bytes
from paperdeck.derived import derived_locations, source_version, writable

FORMAT = 5  # 4: authors, arXiv ID, DOI, categories, aliases (the readers' formats); 5: journal
# reference and listing kind
DIGEST_LEN = 16  # hex characters of `rows.content_digest`
SNAPSHOT = "papers.marshal"
ENTRIES = "entries.marshal"
RACY_SECONDS = 2.0
_CODE = ("paperdeck.corpus.corpus",)  # turns files into papers (and what it imports)

FileStat = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode
# A paper without its abstract: id, title, title_derived, ((path, line), ...), author_count,
# (year, month, day) or None, comments, upvotes, links, authors, arxiv_id, doi, categories,
# aliases, journal_ref, listing, content digest (always last; the snapshot keeps the digests apart).
PaperRow = tuple[Any, ...]
# One entry of one file: identity key, title, abstract, line, author_count, date, comments,
# upvotes, links, authors, arxiv_id, doi, categories, foreign, journal_ref, listing.
EntryRow = tuple[Any, ...]
ProblemRow = tuple[str, int | None, str, str]
FileEntries = tuple[FileStat, list[EntryRow], list[ProblemRow]]  # what one file said, and when
# A file too recently changed to cache when read: its path, its stat before it was read, the
# SHA-1 of the bytes parsed (None when the result came from its size or an error alone), and
# what it said.
FreshFile = tuple[Path, FileStat, str | None, list[EntryRow], list[ProblemRow]]


@lru_cache(maxsize=1)
def code_version() -> str:
    """Changes whenever the code that turns files into papers changes."""
    return source_version(_CODE, f"format {FORMAT}")


def file_stat(path: Path) -> FileStat | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def signature(stats: dict[str, FileStat | None]) -> str:
    """One string naming this exact state of every corpus file (and of the parser)."""
    digest = hashlib.sha1(code_version().encode())
    for relative in sorted(stats):
        digest.update(f"{relative}\0{stats[relative]}\n".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def is_racy(stat: FileStat | None, now_ns: int | None = None) -> bool:
    """Too recently changed to trust its times (or unreadable): never cached."""
    if stat is None:
        return True
    now_ns = time.time_ns() if now_ns is None else now_ns
    return now_ns - max(stat[1], stat[2]) < RACY_SECONDS * 1e9


def bytes_digest(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def file_digest(path: Path) -> str | None:
    try:
        return bytes_digest(path.read_bytes())
    except OSError:
        return None


def read_versioned(
    locations: list[Path], name: str, version: str
) -> tuple[Path, dict[str, Any]] | None:
    """The first `name` among the cache folders that is a marshalled dict of this `version`."""
    for folder in locations:
        try:
            value = marshal.loads((folder / name).read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            continue
        if isinstance(value, dict) and value.get("version") == version:
            return folder, value
    return None


def first_writable(locations: list[Path]) -> Path | None:
    return next((folder for folder in locations if writable(folder)), None)


class PaperStore:
    """Each paper's row and abstract in one memory-mapped file, decoded only when asked for.

    Opening it reads nothing per paper: 100,000 papers cost a list of IDs until one is shown.
    """

    def __init__(self, path: Path, offsets: bytes, digests: bytes) -> None:
        self._offsets = array("Q")
        self._offsets.frombytes(offsets)
        self._digests = digests
        self._file = open(path, "rb")  # noqa: SIM115 (kept open for the map's lifetime)
        size = os.fstat(self._file.fileno()).st_size
        if not self._offsets or size != self._offsets[-1] or len(self._offsets) % 2 != 1:
            self._file.close()
            raise ValueError("papers file does not match its snapshot")
        if len(digests) != DIGEST_LEN * len(self):
            self._file.close()
            raise ValueError("digests do not match the papers file")
        self._map = mmap.mmap(self._file.fileno(), 0, access=mmap.ACCESS_READ) if size else None

    def __len__(self) -> int:
        return (len(self._offsets) - 1) // 2

    def _slice(self, start: int, end: int) -> bytes:
        return b"" if self._map is None or start == end else self._map[start:end]

    def row(self, number: int) -> PaperRow:
        offsets = self._offsets
        row: PaperRow = marshal.loads(self._slice(offsets[2 * number], offsets[2 * number + 1]))
        return row

    def abstract(self, number: int) -> str:
        offsets = self._offsets
        blob = self._slice(offsets[2 * number + 1], offsets[2 * number + 2])
        return blob.decode("utf-8", "surrogatepass")

    def digest(self, number: int) -> str:
        return self._digests[DIGEST_LEN * number : DIGEST_LEN * (number + 1)].decode("ascii")

    def close(self) -> None:
        if self._map is not None:
            self._map.close()
        self._file.close()


class CorpusCache:
    """The cache folder of one corpus; every method is safe to call when there is none."""

    def __init__(self, corpus_root: Path) -> None:
        self.locations = derived_locations(corpus_root, "corpus")

    # --- reading ------------------------------------------------------------------------------

    def _read(self, name: str) -> tuple[Path, Any] | None:
        return read_versioned(self.locations, name, code_version())

    def snapshot(self, expected: str) -> tuple[list[str], PaperStore, list[ProblemRow]] | None:
        """The merged papers when the corpus is exactly as `expected` describes it."""
        found = self._read(SNAPSHOT)
        if found is None:
            return None
        folder, value = found
        if value.get("signature") != expected:
            return None
        try:
            ids = value["ids"]
            store = PaperStore(folder / value["papers"], value["offsets"], value["digests"])
            if len(store) != len(ids):
                store.close()
                return None
            return ids, store, value["problems"]
        except (KeyError, OSError, ValueError, TypeError):
            return None

    def entries(self) -> dict[str, FileEntries]:
        found = self._read(ENTRIES)
        if found is None:
            return {}
        files = found[1].get("files")
        return files if isinstance(files, dict) else {}

    # --- writing ------------------------------------------------------------------------------

    def save(
        self,
        snapshot_signature: str | None,
        rows: list[PaperRow],
        abstracts: list[str],
        problems: list[ProblemRow],
        files: dict[str, FileEntries],
    ) -> None:
        """Write both layers (atomically, each file); silently nothing when it cannot."""
        folder = first_writable(self.locations)
        if folder is None:
            return
        with contextlib.suppress(OSError, ValueError):
            version = code_version()
            atomic_write_bytes(
                folder / ENTRIES, marshal.dumps({"version": version, "files": files})
            )
            if snapshot_signature is None:
                (folder / SNAPSHOT).unlink(missing_ok=True)
                return
            parts: list[bytes] = []
            offsets = array("Q", [0])
            for row, text in zip(rows, abstracts, strict=True):
                for blob in (marshal.dumps(row[:-1]), text.encode("utf-8", "surrogatepass")):
                    parts.append(blob)
                    offsets.append(offsets[-1] + len(blob))
            name = f"papers-{secrets.token_hex(6)}.bin"
            atomic_write_bytes(folder / name, b"".join(parts))
            value = {
                "version": version,
                "signature": snapshot_signature,
                "ids": [row[0] for row in rows],
                "papers": name,
                "offsets": offsets.tobytes(),
                "digests": "".join(row[-1] for row in rows).encode("ascii"),
                "problems": problems,
            }
            atomic_write_bytes(folder / SNAPSHOT, marshal.dumps(value))
            for old in folder.glob("*.bin"):
                if old.name != name:
                    old.unlink(missing_ok=True)  # a process still mapping it keeps its copy


@dataclass
class PendingSave:
    """A cache write held back because some files had changed just before they were read.

    A file read within `RACY_SECONDS` of its last change is not trusted by its times alone: a
    second write in the same clock tick keeps them. Once the window has passed, its times are
    trustworthy again; if they are still the ones it had before it was read and its bytes are
    still the ones parsed, what was parsed is what it holds, and it can be cached after all.
    """

    cache: CorpusCache
    signature: str | None  # of the corpus as read: the snapshot's, once every file settled
    papers: Callable[[], tuple[list[PaperRow], list[str]]]  # rows and abstracts, made on demand
    problems: list[ProblemRow]
    files: dict[str, FileEntries]  # the files cached so far
    fresh: dict[str, FreshFile]  # the files not cached yet
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def settle(self) -> bool:
        """Cache the fresh files that have settled; True when none is left to wait for."""
        with self._lock:
            now = time.time_ns()
            settled = {
                relative: fresh
                for relative, fresh in self.fresh.items()
                if _has_settled(fresh, now)
            }
            if settled:
                for relative, (_path, stat, _digest, rows, problems) in settled.items():
                    self.files[relative] = (stat, rows, problems)
                    del self.fresh[relative]
                rows, abstracts = self.papers()
                snapshot = None if self.fresh else self.signature
                self.cache.save(snapshot, rows, abstracts, self.problems, self.files)
            return not self.fresh


def _has_settled(fresh: FreshFile, now_ns: int) -> bool:
    path, stat, digest, _rows, _problems = fresh
    if is_racy(stat, now_ns) or file_stat(path) != stat:
        return False
    return digest is None or file_digest(path) == digest
