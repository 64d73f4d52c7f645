"""Drafts of notes being typed, so text survives a kill -9, a crash or a closed terminal.

The note editor saves the note after a pause; what was typed since lives only in memory. So on
every change the editor also writes a draft: one small JSON file per paper, in the user state
folder (`$PAPERDECK_STATE_DIR`, else platformdirs' user_state_dir), one folder per corpus. Never
in `notes/`, which is in git. The write is a temp file renamed over the old draft, without fsync:
a draft guards against a dead process, not a power cut, and must cost nothing per keystroke. The
draft is removed once the note is saved; one left behind is offered on the next start, merged
three-way (base = the note the typing began from) with the note as it is now.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from paperdeck.notes.merge3 import merge_text

STATE_DIR_ENV = "PAPERDECK_STATE_DIR"
_VERSION = 1
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,199}\Z")


def state_dir() -> Path:
    return Path(os.environ.get(STATE_DIR_ENV) or platformdirs.user_state_dir("paperdeck"))


@dataclass(frozen=True)
class Draft:
    """Text typed in the editor over `base` (the note as saved when the typing began)."""

    paper_id: str
    base: str
    text: str
    written_at: float


@dataclass(frozen=True)
class Recovery:
    """A draft merged with the note as it is now: what the editor should open with."""

    draft: Draft
    text: str  # the draft's changes applied to `current`
    current: str  # the saved note now: the editor's base
    conflict: bool  # the note changed since on the same lines: markers are in `text`
    changed_since: bool  # the saved note is no longer the draft's base


class DraftStore:
    """The drafts of one corpus."""

    def __init__(self, corpus_root: Path, folder: Path | None = None) -> None:
        root = Path(corpus_root).expanduser().resolve()
        key = hashlib.sha256(os.fsencode(root)).hexdigest()[:16]
        name = re.sub(r"[^A-Za-z0-9_-]", "_", root.name)[:40] or "corpus"
        self.corpus_root = root
        self.folder = (folder or state_dir()) / "drafts" / f"{name}-{key}"

    def path_for(self, paper_id: str) -> Path:
        if _SAFE_ID.match(paper_id):
            return self.folder / f"{paper_id}.json"
        return self.folder / f"id-{hashlib.sha256(paper_id.encode()).hexdigest()[:24]}.json"

    def write(self, paper_id: str, base: str, text: str) -> None:
        """Replace the paper's draft (atomic rename, no fsync). Raises OSError if it cannot."""
        self.folder.mkdir(parents=True, exist_ok=True)
        record = {
            "version": _VERSION,
            "paper_id": paper_id,
            "corpus": str(self.corpus_root),
            "base": base,
            "text": text,
            "written_at": time.time(),
        }
        target = self.path_for(paper_id)
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=self.folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(record, handle, ensure_ascii=False)
            os.replace(temp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise

    def remove(self, paper_id: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path_for(paper_id).unlink()

    def load(self, paper_id: str) -> Draft | None:
        return self._read(self.path_for(paper_id))

    def all(self) -> list[Draft]:
        """Every readable draft, oldest first. An unreadable one is skipped, never deleted."""
        try:
            paths = sorted(p for p in self.folder.glob("*.json") if not p.name.startswith("."))
        except OSError:
            return []
        drafts = [draft for draft in map(self._read, paths) if draft is not None]
        return sorted(drafts, key=lambda draft: draft.written_at)

    def _read(self, path: Path) -> Draft | None:
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(record, dict) or record.get("version") != _VERSION:
            return None
        paper_id, base, text = record.get("paper_id"), record.get("base"), record.get("text")
        when = record.get("written_at")
        if not (isinstance(paper_id, str) and isinstance(base, str) and isinstance(text, str)):
            return None
        if not isinstance(when, int | float):
            return None
        return Draft(paper_id, base, text, float(when))

    def recover(self, paper_id: str, current: str) -> Recovery | None:
        """The draft as the editor should reopen it, or None (no draft, or nothing new in it).

        A draft whose changes are all in the saved note already (saved, then killed before the
        draft was removed) is removed. A note changed since the draft began is merged with it,
        never overwritten: clashing lines are kept both, between conflict markers.
        """
        draft = self.load(paper_id)
        if draft is None:
            return None
        text, conflict = merge_text(draft.base, draft.text, current, ("draft", "saved note"))
        if text == current:
            self.remove(paper_id)
            return None
        return Recovery(draft, text, current, conflict, current != draft.base)
