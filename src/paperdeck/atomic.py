"""Crash-safe file writes: a reader sees the old complete file or the new one, never a mix.

How: write a temp file in the same folder (same file system, so the rename is atomic), flush and
fsync it, `os.replace` it over the target, then fsync the folder so the rename itself survives a
power cut. Temp files are named `.<target-name>.<random>.tmp`: the leading `.` makes the corpus
reader skip them, and `remove_stray_temp_files` recognises (only) that pattern after a crash.
The target's permission bits are kept, so a file the user made group-readable stays so.
`exclusive_lock` is the flock that makes read-change-write of such a file one step between
processes (the undo journal, the first-seen record).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

TEMP_SUFFIX = ".tmp"
# tempfile's random part is 8 characters of [a-z0-9_]; anything else is not ours.
_TEMP_NAME = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp\Z")
_DEFAULT_MODE = 0o644


def is_temp_name(name: str) -> bool:
    """True for names `atomic_write_bytes` gives its temp files."""
    return bool(_TEMP_NAME.match(name))


def _fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable; some systems cannot open folders, which is fine."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _target_mode(path: Path) -> int:
    """The mode to give the new file: the old file's, or the default filtered by the umask."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return _DEFAULT_MODE & ~umask


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace `path` with `data` so that a crash at any moment leaves the old or new file."""
    target = Path(path)
    folder = target.parent
    mode = _target_mode(target)
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=folder)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            os.fchmod(handle.fileno(), mode)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    _fsync_dir(folder)


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """UTF-8, LF as given (no newline translation). Encoding errors raise before any write."""
    atomic_write_bytes(path, text.encode("utf-8"))


def remove_stray_temp_files(folder: str | os.PathLike[str], older_than: float = 0.0) -> list[Path]:
    """Delete temp files left by a crashed writer; returns what was removed.

    Only call with `older_than=0` while no writer can be active (the notes store holds its lock);
    otherwise pass an age in seconds so a write in progress elsewhere is not disturbed.
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        if not is_temp_name(entry.name):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(info.st_mode) or now - info.st_mtime < older_than:
                continue
            os.unlink(entry.path)
        except OSError:
            continue
        removed.append(Path(entry.path))
    return removed


@contextlib.contextmanager
def exclusive_lock(lock_file: Path) -> Iterator[None]:
    """Hold an exclusive flock on `lock_file` (made if missing), so read-change-write of a file
    beside it is one step between processes; a crashed process never leaves it held."""
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the flock
