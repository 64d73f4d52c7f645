"""The notes store: one TOML file per annotated paper in `<corpus>/notes/`, the source of truth.

Promises, because this is the user's data:

* Writes are atomic (`paperdeck.atomic`): a crash leaves the old file or the new one.
* Never clobber: each file's content hash is remembered when read or written. `update` takes an
  advisory lock (`notes/.lock`, fcntl.flock) so read-check-write is atomic between paperdeck
  processes, re-reads the file, and if it changed since (another paperdeck, a hand edit, a git
  pull) merges with `merge_annotations(base=last read, ours=our change, theirs=disk)`. A note
  clash keeps both sides in the note between conflict markers and is reported.
* A bad file (invalid TOML, conflict markers, wrong types, newer schema, empty, bad bytes, id not
  matching the file name, a symlink) makes that one paper read-only: it is reported with file,
  line and column, and never rewritten. Everything else keeps working.
* Files are created on the first change and never deleted: when a paper's notes become empty the
  file stays with the empty state (its title and unknown keys keep saying what it was), and notes
  whose paper left the corpus are listed as orphans, never removed.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import re
import stat
import threading
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from paperdeck.atomic import atomic_write_bytes, remove_stray_temp_files
from paperdeck.corpus.corpus import NOTES_DIR
from paperdeck.notes.annotation import Annotation
from paperdeck.notes.cache import NotesCache
from paperdeck.notes.merge3 import merge_annotations
from paperdeck.notes.toml_format import NotesFileError, dumps_annotation, load_bytes
from paperdeck.problems import Problem

LOCK_NAME = ".lock"
MAX_NOTES_BYTES = 16 * 1024 * 1024
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,199}\Z")


class NotesReadOnly(Exception):
    """This paper's notes file is bad; paperdeck will not write it until it is fixed."""


class NotesFolderIsAFile(FileExistsError):
    """`<corpus>/notes` is a file: no notes file can be written until it is moved away."""

    def __init__(self, folder: Path) -> None:
        super().__init__(errno.EEXIST, "a file where the notes folder belongs", str(folder))
        self.folder = folder

    def __str__(self) -> str:
        return (
            f"{str(self.folder)!r} is a file, not a folder: paperdeck keeps notes files in it; "
            "move it away"
        )


@dataclass(frozen=True)
class SaveResult:
    """What `update` did. `merged`: the file had changed on disk and was merged with it.
    `before`: the notes on disk just before this change (what undoing it goes back to)."""

    annotation: Annotation
    path: Path
    written: bool = False
    merged: bool = False
    conflict: bool = False
    message: str = ""
    before: Annotation | None = None


@dataclass(frozen=True)
class _Bad:
    """A file we refuse to touch, and the bytes we saw (so a fix on disk is noticed)."""

    error: NotesFileError
    digest: str | None


def _digest(data: bytes | None) -> str | None:
    return None if data is None else hashlib.sha256(data).hexdigest()


class NotesStore:
    """All notes of one corpus. Thread-safe; safe between processes through the lock file."""

    def __init__(self, corpus_root: Path) -> None:
        self.root = Path(corpus_root)
        self.folder = self.root / NOTES_DIR
        self._notes: dict[str, Annotation] = {}
        self._digests: dict[str, str] = {}  # hash of each file as last read or written
        self._bad: dict[str, _Bad] = {}
        self._mutex = threading.RLock()
        self._parse_cache: NotesCache | None = None  # only while `load` reads every file

    # --- paths and locking ----------------------------------------------------------------------

    def path_for(self, paper_id: str) -> Path:
        if not _ID.match(paper_id):
            raise ValueError(f"not a valid paper ID for a notes file name: {paper_id!r}")
        return self.folder / f"{paper_id}.toml"

    def _relative(self, paper_id: str) -> str:
        return f"{NOTES_DIR}/{paper_id}.toml"

    @contextlib.contextmanager
    def _locked(self, create: bool) -> Iterator[bool]:
        """Hold the cross-process lock; yields False when it cannot be had (read-only folder)."""
        with self._mutex:
            if create:
                if self.folder_is_a_file():
                    raise NotesFolderIsAFile(self.folder)
                self.folder.mkdir(exist_ok=True)
            try:
                fd = os.open(self.folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError:
                if create:
                    raise
                yield False
                return
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                yield True
            finally:
                os.close(fd)  # closing releases the flock

    # --- reading --------------------------------------------------------------------------------

    def _read(self, paper_id: str) -> tuple[bytes | None, Annotation | None, NotesFileError | None]:
        """The file's bytes and either its state or why it is bad. (None, None, None): no file."""
        path = self.path_for(paper_id)
        relative = self._relative(paper_id)
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            return None, None, None
        if stat.S_ISLNK(info.st_mode):
            return (
                b"",
                None,
                NotesFileError(
                    relative,
                    None,
                    None,
                    "is a symbolic link; paperdeck only writes regular files",
                    "replace the link with a copy of the file",
                ),
            )
        if not stat.S_ISREG(info.st_mode):
            return b"", None, NotesFileError(relative, None, None, "is not a regular file")
        if info.st_size > MAX_NOTES_BYTES:
            return b"", None, NotesFileError(relative, None, None, "is too large for a notes file")
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            with os.fdopen(fd, "rb") as handle:
                data = handle.read()
        except FileNotFoundError:
            return None, None, None
        except OSError as error:
            reason = os.strerror(error.errno) if error.errno else str(error)
            if error.errno == errno.ELOOP:
                reason = "is a symbolic link"
            return b"", None, NotesFileError(relative, None, None, f"cannot be read: {reason}")
        cache = self._parse_cache
        key = f"{paper_id}:{hashlib.sha256(data).hexdigest()}" if cache is not None else ""
        if cache is not None:
            known = cache.get(key)
            if known is not None:
                return data, known, None
        try:
            state = load_bytes(data, relative, expected_id=paper_id)
        except NotesFileError as error:
            return data, None, error
        if cache is not None:
            cache.put(key, state)
        return data, state, None

    def _remember(
        self,
        paper_id: str,
        data: bytes | None,
        state: Annotation | None,
        error: NotesFileError | None,
    ) -> None:
        if error is not None:
            self._bad[paper_id] = _Bad(error, _digest(data))
            return  # keep the last good state (if any) for display and as a merge base
        self._bad.pop(paper_id, None)
        if data is None or state is None:
            self._notes.pop(paper_id, None)
            self._digests.pop(paper_id, None)
        else:
            self._notes[paper_id] = state
            self._digests[paper_id] = hashlib.sha256(data).hexdigest()

    def _file_ids(self) -> list[str]:
        try:
            names = os.listdir(self.folder)
        except OSError:
            return []
        return sorted(
            name[: -len(".toml")]
            for name in names
            if name.endswith(".toml") and not name.startswith(".")
        )

    def load(self) -> None:
        """Read every notes file afresh; remove temp files left by crashed writes."""
        if self.folder.is_dir():
            with self._locked(create=False) as locked:
                if locked:  # no writer is between its temp file and its rename now
                    remove_stray_temp_files(self.folder)
        with self._mutex:
            self._notes.clear()
            self._digests.clear()
            self._bad.clear()
            self._parse_cache = NotesCache(self.root) if self.folder.is_dir() else None
            try:
                self._load_files()
            finally:
                if self._parse_cache is not None:
                    self._parse_cache.save()
                self._parse_cache = None

    def _load_files(self) -> None:
        """Every notes file, parsed (or taken from the parse cache by content)."""
        for name in self._file_ids():
            if not _ID.match(name):
                error = NotesFileError(
                    self._relative(name),
                    None,
                    None,
                    "file name is not a paper ID",
                    "rename it to <paper-id>.toml",
                )
                self._bad[name] = _Bad(error, None)
                continue
            self._remember(name, *self._read(name))

    def get(self, paper_id: str) -> Annotation:
        with self._mutex:
            return self._notes.get(paper_id) or Annotation(paper_id)

    def all(self) -> dict[str, Annotation]:
        with self._mutex:
            return dict(self._notes)

    def folder_is_a_file(self) -> bool:
        return self.folder.exists() and not self.folder.is_dir()

    def problems(self) -> list[Problem]:
        """One per bad file; the column, when known, is in the message."""
        with self._mutex:
            bad = sorted(self._bad.items())
        problems = []
        if self.folder_is_a_file():
            problems.append(
                Problem(
                    NOTES_DIR,
                    None,
                    "is a file, not a folder: paperdeck keeps notes files in it, so no star, "
                    "status, tag or note can be saved",
                    "move it away; paperdeck makes the folder when it next saves",
                )
            )
        for _, entry in bad:
            error = entry.error
            where = f"column {error.column}: " if error.column else ""
            problems.append(Problem(error.path, error.line, f"{where}{error.message}", error.hint))
        return problems

    def read_only_reason(self, paper_id: str) -> str | None:
        with self._mutex:
            entry = self._bad.get(paper_id)
        if entry is None:
            return None
        error = entry.error
        where = error.path
        if error.line is not None:
            where += f" line {error.line}" + (f", column {error.column}" if error.column else "")
        return f"{where}: {error.message} ({error.hint})"

    def reload_file(self, path_or_id: str | os.PathLike[str]) -> bool:
        """Re-read one file after an outside change; True when what it says changed."""
        text = os.fspath(path_or_id)
        paper_id = Path(text).stem if text.endswith(".toml") or os.sep in text else text
        if not _ID.match(paper_id):
            return False
        with self._mutex:
            before = (self._notes.get(paper_id), self.read_only_reason(paper_id))
            self._remember(paper_id, *self._read(paper_id))
            return (self._notes.get(paper_id), self.read_only_reason(paper_id)) != before

    def orphans(self, known_ids: Collection[str]) -> list[str]:
        """Notes whose paper is not in the corpus: kept and listed, never deleted."""
        known = set(known_ids)
        with self._mutex:
            ids = set(self._notes) | set(self._bad)
        # a badly named file is already a problem of its own; it has no ID to be an orphan of
        return sorted(i for i in ids if i not in known and _ID.match(i))

    # --- writing --------------------------------------------------------------------------------

    def replace_file(self, paper_id: str, data: bytes, expected: bytes | None) -> Annotation:
        """Write a whole notes file chosen by a person (resolving a conflicted file).

        `expected` is the file as it was shown to them: if it changed on disk since, nothing is
        written (ValueError), so a choice made on stale information never clobbers anything.
        `data` must be a valid notes file for this paper (NotesFileError otherwise).
        """
        path = self.path_for(paper_id)
        state = load_bytes(data, self._relative(paper_id), expected_id=paper_id)
        with self._locked(create=True):
            try:
                now: bytes | None = path.read_bytes()
            except FileNotFoundError:
                now = None
            if now != expected:
                raise ValueError(
                    f"{self._relative(paper_id)} changed on disk while you were deciding; "
                    "look at it again"
                )
            atomic_write_bytes(path, data)
            self._remember(paper_id, data, state, None)
        return state

    def update(
        self,
        paper_id: str,
        title: str,
        change: Callable[[Annotation], Annotation],
        check: Callable[[Annotation], None] | None = None,
        *,
        on_disk: bool = False,
    ) -> SaveResult:
        """Apply `change` to the paper's notes and write the file atomically, merging if needed.

        `check` sees the notes on disk under the lock first; raising refuses the change unwritten
        (undo uses it so that it never overwrites a change made since). `on_disk`: apply `change`
        to the file as it is now (read under the lock) and merge nothing, for a caller that
        merges by itself (the note editor merges its own base).
        """
        path = self.path_for(paper_id)
        with self._locked(create=True):
            data, disk, error = self._read(paper_id)
            if error is not None:
                self._remember(paper_id, data, disk, error)
                raise NotesReadOnly(self.read_only_reason(paper_id))
            before = disk or Annotation(paper_id)
            if check is not None:
                check(before)
            base = self._notes.get(paper_id)
            ours = change((disk if on_disk else base) or Annotation(paper_id))
            if ours.paper_id != paper_id:
                raise ValueError(f"a change must keep the paper ID {paper_id!r}")
            merged = conflict = False
            if not on_disk and _digest(data) != self._digests.get(paper_id):
                merged = True
                theirs = disk or Annotation(paper_id, title=(base.title if base else ""))
                ours, conflict = merge_annotations(base, ours, theirs, ("paperdeck", "on disk"))
            if title:
                ours = replace(ours, title=title)
            result_state = load_bytes(dumps_annotation(ours).encode("utf-8"), str(path), paper_id)
            new = dumps_annotation(result_state).encode("utf-8")
            written = False
            if data is None and result_state.is_empty:
                self._remember(paper_id, None, None, None)  # nothing said: no file needed yet
            elif new != data:
                atomic_write_bytes(path, new)
                written = True
                self._remember(paper_id, new, result_state, None)
            else:
                self._remember(paper_id, data, result_state, None)
        message = ""
        if conflict:
            message = (
                f"{self._relative(paper_id)} was changed elsewhere too and the notes clash:"
                " both versions are kept in the note between <<<<<<< and >>>>>>> lines"
            )
        elif merged:
            message = f"{self._relative(paper_id)} was changed elsewhere; merged both changes"
        return SaveResult(result_state, path, written, merged, conflict, message, before)
