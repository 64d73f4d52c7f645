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
import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from paperdeck.atomic import atomic_write_text, exclusive_lock
from paperdeck.derived import derived_locations, writable
from paperdeck.notes.annotation import Annotation
from paperdeck.notes.store import NotesReadOnly, SaveResult
from paperdeck.notes.undo_batch import newest_step, trim_steps, undo_batch
from paperdeck.notes.undo_entry import (
    JournalDamaged,
    UndoEntry,
    UndoRefused,
)

JOURNAL_FILE = "journal.json"
LOCK_FILE = "journal.lock"
VERSION = 1
MAX_ENTRIES = 100
# The note editor saves after every pause in typing: saves of one note by one process this close
# together are one change to undo, not one per pause.
NOTE_COALESCE_SECONDS = 120.0


@dataclass(frozen=True)
class UndoOutcome:
    """What an undo did. `paper_id` is set whenever a paper was looked at (faces repaint it)."""

    message: str
    undone: bool = False
    paper_id: str | None = None
    result: SaveResult | None = None
    paper_ids: tuple[str, ...] = ()  # every paper a batch undo looked at (faces repaint them)


Revert = Callable[[UndoEntry], SaveResult]
Save = Callable[[], SaveResult]
# What a batch save catches per paper (the paper is reported failed, the others go on).
BATCH_FAILURES = (NotesReadOnly, OSError, ValueError, KeyError)


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
        with self._mutex, exclusive_lock(folder / LOCK_FILE):
            yield

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
        folder = self.folder()
        if folder is None:
            return
        with contextlib.suppress(OSError), self._locked(folder):
            self._record(folder, paper_id, title, before, after)

    def save_and_record(
        self, paper_id: str, title: str, save: Callable[[], SaveResult]
    ) -> SaveResult:
        """Run `save` (one change to a paper's notes) and record it, holding the journal all the
        while: two processes saving one notes file then record their changes in the order they
        wrote them, so each entry's "before" is the "after" of the one before it. Recorded
        after the lock was let go, a save could land in the journal after a later save by
        another process, and undoing it would be refused and break the chain behind it."""
        folder = self.folder()
        if folder is None:
            return save()
        with contextlib.ExitStack() as held:
            try:
                held.enter_context(self._locked(folder))
            except OSError:  # no lock to be had: save all the same, and record as best we can
                result = save()
                if result.before is not None:
                    self.record(paper_id, title, result.before, result.annotation)
                return result
            result = save()
            if result.before is not None:
                with contextlib.suppress(OSError):
                    self._record(folder, paper_id, title, result.before, result.annotation)
            return result

    def _record(
        self, folder: Path, paper_id: str, title: str, before: Annotation, after: Annotation
    ) -> None:
        """Add a change to the journal; the caller holds the lock."""
        entry = UndoEntry.of(paper_id, title, before, after, self.clock(), self.source)
        if entry is None:
            return
        try:
            entries = self._read(folder)
        except JournalDamaged:
            entries = []  # a damaged journal starts afresh with this change
        self._write(folder, trim_steps(self._add(entries, entry), self.limit))

    def save_many_and_record(
        self, saves: Sequence[tuple[str, str, Save]]
    ) -> list[SaveResult | Exception]:
        """Run each (paper ID, title, save) and record them all as one undo step (a batch),
        holding the journal throughout and writing it once (a thousand papers are one write).

        A save that fails (read-only notes, a failed write) is returned as its exception and the
        others go on; what was saved is recorded even if a later save raises something else.
        """
        batch = uuid.uuid4().hex
        outcomes: list[SaveResult | Exception] = []
        folder = self.folder()
        held = contextlib.ExitStack()
        if folder is not None:
            try:
                held.enter_context(self._locked(folder))
            except OSError:
                folder = None  # save all the same; this batch cannot be undone
        made: list[UndoEntry] = []
        with held:
            try:
                for paper_id, title, save in saves:
                    try:
                        result = save()
                    except BATCH_FAILURES as error:
                        outcomes.append(error)
                        continue
                    outcomes.append(result)
                    if result.before is not None:
                        entry = UndoEntry.of(
                            paper_id,
                            title,
                            result.before,
                            result.annotation,
                            self.clock(),
                            self.source,
                            batch,
                        )
                        if entry is not None:
                            made.append(entry)
            finally:
                if folder is not None and made:
                    self._append(folder, made)
        return outcomes

    def _append(self, folder: Path, made: list[UndoEntry]) -> None:
        """Add a batch's entries; the caller holds the lock. A journal that cannot be written
        only means the batch cannot be undone (it is saved already)."""
        try:
            entries = self._read(folder)
        except JournalDamaged:
            entries = []
        with contextlib.suppress(OSError):
            self._write(folder, trim_steps([*entries, *made], self.limit))

    def _add(self, entries: list[UndoEntry], entry: UndoEntry) -> list[UndoEntry]:
        """Append, or extend the newest entry when this process is still editing the same note:
        only the newest entry of the journal, by this process, of this paper, changing only the
        note, whose "after" is exactly this save's "before" (nothing came in between), and
        within NOTE_COALESCE_SECONDS. Anything else is an entry of its own, so every entry goes
        from the state the one before it left."""
        last = entries[-1] if entries else None
        if (
            last is not None
            and not last.batch
            and not entry.batch
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
        step = newest_step(entries)
        if step[0].batch:
            return self._undo_batch(folder, entries, step, revert)
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

    def _undo_batch(
        self, folder: Path, entries: list[UndoEntry], step: list[UndoEntry], revert: Revert
    ) -> UndoOutcome:
        """Undo a whole batch: the papers changed since are left (and dropped from the history),
        those that cannot be written yet stay in it for the next undo."""
        done = undo_batch(step, revert)
        message = done.message()
        try:
            self._write(folder, [*entries[: len(entries) - len(step)], *done.kept])
        except OSError as error:
            message += f" (the undo history could not be updated: {error})"
        looked_at = tuple(entry.paper_id for entry in step)
        first = done.undone[0] if done.undone else looked_at[0]
        return UndoOutcome(
            message,
            bool(done.undone),
            first,
            done.results.get(first),
            looked_at,
        )
