"""Undo the last change to a paper's notes (star, status, tags, note), whichever face made it.

Every change made through `Library` is recorded in a journal: the paper, and for each field it
changed the value before and after. `paperdeck undo` and the TUI's undo key take the newest
entry and put the fields back, but only when the paper still shows the recorded "after" values:
if anything changed it since (a sync, a hand edit, another paperdeck), undo refuses and says
what the paper holds now, so it can never overwrite a newer change.

The journal is the user's state, not their notes (notes go through git; this must not): it lives
in the derived folder (`paperdeck.derived`, `<corpus>/.paperdeck/undo/`), is shared by every
process on the corpus through a lock file, keeps the newest `MAX_ENTRIES`, and is written
atomically. A missing or damaged journal means "nothing to undo", never an error.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from paperdeck.annotation import STATUSES, Annotation
from paperdeck.atomic import atomic_write_text
from paperdeck.derived import derived_locations, writable
from paperdeck.notes import NotesReadOnly, SaveResult

JOURNAL_FILE = "journal.json"
LOCK_FILE = "journal.lock"
VERSION = 1
MAX_ENTRIES = 100
# The note editor saves after every pause in typing: saves of one note by one process this close
# together are one change to undo, not one per pause.
NOTE_COALESCE_SECONDS = 120.0
FIELDS = ("star", "status", "tags", "note")
_TITLE_WIDTH = 60


class UndoRefused(Exception):
    """The paper changed since the recorded change: undoing it would overwrite something."""


class JournalDamaged(Exception):
    """The journal file is not one this version wrote."""


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parse_when(value: Any) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("a time must be text")
    return datetime.fromisoformat(value)


def field_value(annotation: Annotation, name: str) -> Any:
    """One field as plain JSON values; a star or status carries its time (a redo is a change)."""
    if name == "star":
        return {"starred": annotation.starred, "at": _when(annotation.starred_at)}
    if name == "status":
        return {"status": annotation.status, "at": _when(annotation.status_at)}
    if name == "tags":
        return list(annotation.tags)
    if name == "note":
        return annotation.note
    raise ValueError(f"unknown field {name!r}")


def _check_value(name: str, value: Any) -> None:
    """Raise ValueError unless `value` is what `field_value` gives for `name`."""
    if name == "star":
        if not isinstance(value, dict) or not isinstance(value.get("starred"), bool):
            raise ValueError("bad star value")
        _parse_when(value.get("at"))
    elif name == "status":
        if not isinstance(value, dict) or value.get("status") not in STATUSES:
            raise ValueError("bad status value")
        _parse_when(value.get("at"))
    elif name == "tags":
        if not isinstance(value, list) or not all(isinstance(tag, str) for tag in value):
            raise ValueError("bad tags value")
    elif name == "note":
        if not isinstance(value, str):
            raise ValueError("bad note value")
    else:
        raise ValueError(f"unknown field {name!r}")


def with_field(annotation: Annotation, name: str, value: Any) -> Annotation:
    """`annotation` with one field set back to a recorded value."""
    if name == "star":
        return replace(annotation, starred=value["starred"], starred_at=_parse_when(value["at"]))
    if name == "status":
        return replace(annotation, status=value["status"], status_at=_parse_when(value["at"]))
    if name == "tags":
        return replace(annotation, tags=tuple(value))
    return replace(annotation, note=value)


def _short(title: str) -> str:
    return title if len(title) <= _TITLE_WIDTH else title[: _TITLE_WIDTH - 1] + "…"


def _tags_text(tags: list[str]) -> str:
    return " ".join(f"#{tag}" for tag in tags) or "no tags"


def _note_text(note: str) -> str:
    return f"{len(note)} characters" if note else "empty"


def _describe_undo(name: str, before: Any, after: Any) -> str:
    """What undoing a change did, said from where the paper is now (the "before" value is what
    it holds again), so it never reads as the change that was just taken back."""
    if name == "star":
        return "starred again" if before["starred"] else "not starred again"
    if name == "status":
        return f"{after['status']} → {before['status']} (now {before['status']})"
    if name == "tags":
        removed = [f"#{tag}" for tag in after if tag not in before]
        added = [f"#{tag}" for tag in before if tag not in after]
        parts = [f"removed {' '.join(removed)}"] if removed else []
        parts += [f"added back {' '.join(added)}"] if added else []
        return f"{', '.join(parts) or 'reordered'} (now {_tags_text(before)})"
    return f"back to {_note_text(before)} (was {_note_text(after)})"


def _describe_now(name: str, value: Any) -> str:
    if name == "star":
        return "starred" if value["starred"] else "not starred"
    if name == "status":
        return f"status {value['status']}"
    if name == "tags":
        return _tags_text(value)
    return f"note {_note_text(value)}"


@dataclass(frozen=True)
class UndoEntry:
    """One recorded change: the paper and, per field it changed, the value before and after."""

    paper_id: str
    title: str
    at: float
    before: Mapping[str, Any]
    after: Mapping[str, Any]
    source: str = ""  # which process (Library) made it: only its own note saves are joined

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(name for name in FIELDS if name in self.after)

    @classmethod
    def of(
        cls,
        paper_id: str,
        title: str,
        before: Annotation,
        after: Annotation,
        at: float,
        source: str = "",
    ) -> UndoEntry | None:
        """The entry for a change from `before` to `after`, or None when nothing changed."""
        old = {name: field_value(before, name) for name in FIELDS}
        new = {name: field_value(after, name) for name in FIELDS}
        changed = [name for name in FIELDS if old[name] != new[name]]
        if not changed:
            return None
        return cls(
            paper_id,
            title,
            at,
            {name: old[name] for name in changed},
            {name: new[name] for name in changed},
            source,
        )

    def check(self, current: Annotation) -> None:
        """Raise UndoRefused unless the paper still holds what this change left."""
        moved = [name for name in self.fields if field_value(current, name) != self.after[name]]
        if moved:
            now = "; ".join(_describe_now(name, field_value(current, name)) for name in moved)
            raise UndoRefused(
                f"Cannot undo the {self.what} change of {self.label}: it changed since "
                f"(by a sync, a hand edit or another paperdeck) and is now: {now}. Nothing was "
                "changed; that change is dropped from the undo history."
            )

    def revert(self, current: Annotation) -> Annotation:
        for name in self.fields:
            current = with_field(current, name, self.before[name])
        return current

    @property
    def what(self) -> str:
        return " and ".join(self.fields)

    @property
    def label(self) -> str:
        return f"{self.paper_id} {_short(self.title)}".rstrip()

    def summary(self) -> str:
        """`the tags change of <id> <title>: removed #survey (now #graphs)`: which change was
        undone and what the paper holds now."""
        parts = [
            f"{name}: {_describe_undo(name, self.before[name], self.after[name])}"
            if len(self.fields) > 1
            else _describe_undo(name, self.before[name], self.after[name])
            for name in self.fields
        ]
        return f"the {self.what} change of {self.label}: {'; '.join(parts)}"

    def to_json(self) -> dict[str, Any]:
        return {
            "paper_id": self.paper_id,
            "title": self.title,
            "at": self.at,
            "before": dict(self.before),
            "after": dict(self.after),
            "source": self.source,
        }

    @classmethod
    def from_json(cls, data: Any) -> UndoEntry:
        if not isinstance(data, dict):
            raise ValueError("an entry must be a table")
        paper_id, title, at = data.get("paper_id"), data.get("title"), data.get("at")
        before, after = data.get("before"), data.get("after")
        source = data.get("source", "")
        if not isinstance(paper_id, str) or not paper_id or not isinstance(title, str):
            raise ValueError("an entry needs a paper ID and a title")
        if not isinstance(at, int | float) or isinstance(at, bool):
            raise ValueError("an entry needs a time")
        if not isinstance(source, str):
            raise ValueError("an entry's source must be text")
        if not isinstance(before, dict) or not isinstance(after, dict) or not after:
            raise ValueError("an entry needs the values before and after")
        if set(before) != set(after):
            raise ValueError("before and after name different fields")
        for name in after:
            _check_value(name, before[name])
            _check_value(name, after[name])
        return cls(paper_id, title, float(at), before, after, source)


@dataclass(frozen=True)
class UndoOutcome:
    """What an undo did. `paper_id` is set whenever a paper was looked at (faces repaint it)."""

    message: str
    undone: bool = False
    paper_id: str | None = None
    result: SaveResult | None = None


Revert = Callable[[UndoEntry], SaveResult]


class UndoJournal:
    """The newest changes of one corpus, shared by every paperdeck process through a lock file."""

    def __init__(
        self,
        corpus_root: Path,
        *,
        limit: int = MAX_ENTRIES,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.locations = derived_locations(corpus_root, "undo")
        self.limit = limit
        self.clock = clock
        self.source = uuid.uuid4().hex  # this process's own changes, for joining note saves
        self._mutex = threading.Lock()
        self._folder: Path | None = None

    def folder(self) -> Path | None:
        """Where the journal is kept: the first of the derived locations that can be written
        (probed once; made again if someone deleted it, as derived folders may be)."""
        if self._folder is not None:
            with contextlib.suppress(OSError):
                self._folder.mkdir(parents=True, exist_ok=True)
                return self._folder
        self._folder = next((where for where in self.locations if writable(where)), None)
        return self._folder

    @contextlib.contextmanager
    def _locked(self, folder: Path) -> Iterator[None]:
        with self._mutex:
            fd = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                yield
            finally:
                os.close(fd)  # closing releases the flock

    def _read(self, folder: Path) -> list[UndoEntry]:
        """The entries, oldest first; [] without a journal; JournalDamaged when unreadable."""
        path = folder / JOURNAL_FILE
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except (OSError, UnicodeDecodeError) as error:
            raise JournalDamaged(f"{path} cannot be read ({error})") from None
        try:
            data = json.loads(text)
            if not isinstance(data, dict) or data.get("version") != VERSION:
                raise ValueError(f"not a version {VERSION} undo journal")
            entries = data.get("entries")
            if not isinstance(entries, list):
                raise ValueError("it has no list of entries")
            return [UndoEntry.from_json(entry) for entry in entries]
        except (ValueError, TypeError, KeyError) as error:
            raise JournalDamaged(f"{path} is damaged ({error})") from None

    def _write(self, folder: Path, entries: list[UndoEntry]) -> None:
        data = {"version": VERSION, "entries": [entry.to_json() for entry in entries]}
        atomic_write_text(folder / JOURNAL_FILE, json.dumps(data, ensure_ascii=False) + "\n")

    def entries(self) -> list[UndoEntry]:
        """The recorded changes, oldest first ([] when there is no readable journal)."""
        folder = self.folder()
        if folder is None:
            return []
        try:
            with self._locked(folder):
                return self._read(folder)
        except (OSError, JournalDamaged):
            return []

    def record(self, paper_id: str, title: str, before: Annotation, after: Annotation) -> None:
        """Remember a change that was just saved. Never fails the change: it is already saved,
        so a journal that cannot be written only means this change cannot be undone."""
        entry = UndoEntry.of(paper_id, title, before, after, self.clock(), self.source)
        if entry is None:
            return
        folder = self.folder()
        if folder is None:
            return
        with contextlib.suppress(OSError), self._locked(folder):
            try:
                entries = self._read(folder)
            except JournalDamaged:
                entries = []  # a damaged journal starts afresh with this change
            entries = self._add(entries, entry)
            self._write(folder, entries[-self.limit :] if self.limit > 0 else [])

    def _add(self, entries: list[UndoEntry], entry: UndoEntry) -> list[UndoEntry]:
        """Append, or extend the newest entry when this process is still editing the same note."""
        last = entries[-1] if entries else None
        if (
            last is not None
            and last.paper_id == entry.paper_id
            and last.source == entry.source != ""
            and last.fields == ("note",) == entry.fields
            and last.after["note"] == entry.before["note"]
            and 0 <= entry.at - last.at <= NOTE_COALESCE_SECONDS
        ):
            joined = replace(entry, before=last.before)
            rest = entries[:-1]
            return rest if joined.before == joined.after else [*rest, joined]
        return [*entries, entry]

    def undo(self, revert: Revert) -> UndoOutcome:
        """Undo the newest entry with `revert` (which raises UndoRefused if the paper moved on).

        A refused entry is dropped, so the next undo goes on to the change before it; an entry
        that could not be applied for now (a read-only notes file, a failed write) is kept.
        """
        folder = self.folder()
        if folder is None:
            return UndoOutcome("Nothing to undo (no undo history can be kept for this corpus).")
        try:
            with self._locked(folder):
                return self._undo_newest(folder, revert)
        except OSError as error:
            return UndoOutcome(f"Nothing undone: the undo history cannot be used ({error}).")

    def _undo_newest(self, folder: Path, revert: Revert) -> UndoOutcome:
        try:
            entries = self._read(folder)
        except JournalDamaged as error:
            return UndoOutcome(
                f"Nothing to undo: the undo history {error}; it starts afresh with the next change."
            )
        if not entries:
            return UndoOutcome("Nothing to undo.")
        entry = entries[-1]
        try:
            result = revert(entry)
        except UndoRefused as refused:
            self._write(folder, entries[:-1])
            return UndoOutcome(str(refused), paper_id=entry.paper_id)
        except NotesReadOnly as error:
            return UndoOutcome(
                f"Cannot undo the {entry.what} change of {entry.label} yet: its notes are "
                f"read-only: {error}",
                paper_id=entry.paper_id,
            )
        except OSError as error:
            return UndoOutcome(
                f"Cannot undo the {entry.what} change of {entry.label}: could not save ({error})",
                paper_id=entry.paper_id,
            )
        message = f"Undid {entry.summary()}"
        try:
            self._write(folder, entries[:-1])
        except OSError as error:  # undone all the same; the next undo finds it already undone
            message += f" (the undo history could not be updated: {error})"
        return UndoOutcome(message, True, entry.paper_id, result)
