"""Batch changes in the undo journal: many papers changed by one action (skip the rest of a view,
tag fifty papers) are one undo step. Each paper's entry still checks that paper on its own, so a
paper changed since is left as it is (and said so) while the others are taken back.

Kept apart from `paperdeck.notes.undo` (the journal) because it is the one place that knows how
the entries of one batch sit in the journal: together, at the end of it, written under one lock.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from paperdeck.notes.store import NotesReadOnly, SaveResult
from paperdeck.notes.undo_entry import UndoEntry, UndoRefused

_LISTED = 5  # paper IDs named in a message before "and N more"


def trim_steps(entries: list[UndoEntry], limit: int) -> list[UndoEntry]:
    """The newest `limit` undo steps of `entries` (a batch's entries count as one step), so a
    big batch never pushes itself, or half of itself, out of the journal."""
    if limit <= 0:
        return []
    steps, start, previous = 0, len(entries), ""
    for number in range(len(entries) - 1, -1, -1):
        batch = entries[number].batch
        if not (batch and batch == previous):
            steps += 1
            if steps > limit:
                break
        previous, start = batch, number
    return entries[start:]


def newest_step(entries: list[UndoEntry]) -> list[UndoEntry]:
    """The entries the next undo takes back: the newest entry, with its whole batch if any."""
    if not entries:
        return []
    batch = entries[-1].batch
    if not batch:
        return entries[-1:]
    start = len(entries)
    while start > 0 and entries[start - 1].batch == batch:
        start -= 1
    return entries[start:]


@dataclass(frozen=True)
class BatchUndone:
    """What undoing one batch did: the papers taken back, refused (changed since) and kept (not
    possible yet: read-only notes, a failed save; they stay in the journal for the next undo)."""

    undone: tuple[str, ...]
    refused: tuple[str, ...]
    kept: tuple[UndoEntry, ...]
    results: dict[str, SaveResult]
    what: str

    def message(self) -> str:
        count = len(self.undone) + len(self.refused) + len(self.kept)
        parts = [f"Undid a batch {self.what} change of {count} papers: {len(self.undone)} undone"]
        if self.refused:
            parts.append(
                f"{len(self.refused)} left as they are because they changed since "
                f"({_listed(self.refused)})"
            )
        if self.kept:
            parts.append(
                f"{len(self.kept)} could not be undone yet (read-only notes or a failed save; "
                f"{_listed(tuple(entry.paper_id for entry in self.kept))}): undo again to retry"
            )
        return "; ".join(parts) + "."


def _listed(paper_ids: tuple[str, ...]) -> str:
    shown = ", ".join(paper_ids[:_LISTED])
    more = len(paper_ids) - _LISTED
    return f"{shown} and {more} more" if more > 0 else shown


def undo_batch(step: Sequence[UndoEntry], revert: Callable[[UndoEntry], SaveResult]) -> BatchUndone:
    """Revert every entry of one batch, newest first, each checked against its paper as it is."""
    undone: list[str] = []
    refused: list[str] = []
    kept: list[UndoEntry] = []
    results: dict[str, SaveResult] = {}
    for entry in reversed(step):
        try:
            results[entry.paper_id] = revert(entry)
        except UndoRefused:
            refused.append(entry.paper_id)
            continue
        except (NotesReadOnly, OSError):
            kept.append(entry)
            continue
        undone.append(entry.paper_id)
    what = " and ".join(dict.fromkeys(name for entry in step for name in entry.fields))
    return BatchUndone(tuple(undone), tuple(refused), tuple(reversed(kept)), results, what)
