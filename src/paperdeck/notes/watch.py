"""Noticing notes files changed outside this process (git pull, a hand edit, another paperdeck).

Polling the folder's entries once a second is portable, needs no extra package, and treats
git's delete + create of a file like any other change: every differing path is "re-read it".
"""

from __future__ import annotations

import os
from pathlib import Path

Signature = tuple[int, int, int]  # (mtime_ns, size, inode)


class NotesWatcher:
    """`poll()` returns the notes files created, changed or deleted since the previous poll."""

    def __init__(self, notes_folder: Path) -> None:
        self.folder = notes_folder
        self._seen = self._scan()

    def _scan(self) -> dict[str, Signature]:
        seen: dict[str, Signature] = {}
        try:
            with os.scandir(self.folder) as entries:
                for entry in entries:
                    if entry.name.endswith(".toml") and not entry.name.startswith("."):
                        try:
                            info = entry.stat()
                        except OSError:
                            continue
                        seen[entry.name] = (info.st_mtime_ns, info.st_size, info.st_ino)
        except OSError:
            pass  # no notes folder (yet): nothing to watch
        return seen

    def poll(self) -> list[Path]:
        current = self._scan()
        changed = [
            self.folder / name
            for name in sorted(set(current) | set(self._seen))
            if current.get(name) != self._seen.get(name)
        ]
        self._seen = current
        return changed
