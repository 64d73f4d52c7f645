"""Batch decisions: one status, star or tag change applied to many papers at once ("skip the
rest of this view"), saved paper by paper like any change and recorded as ONE undo step.

A paper that cannot take the change (read-only notes, not in the corpus) is reported and the
others go on; nothing of a paper's other fields is touched, so a batch never drops a tag or note.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from paperdeck.library.core import LibraryCore
from paperdeck.notes.annotation import Annotation
from paperdeck.notes.store import SaveResult
from paperdeck.notes.undo import Save


@dataclass(frozen=True)
class BatchResult:
    """What a batch did, per paper: `changed` (written), `unchanged` (already so), `failed`
    (paper ID, why: read-only notes, unknown paper, a failed write). `messages`: merges with
    changes made on disk meanwhile (as a single change reports them)."""

    changed: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    failed: tuple[tuple[str, str], ...] = ()
    messages: tuple[str, ...] = ()
    results: dict[str, SaveResult] = field(default_factory=dict, repr=False)

    @property
    def touched(self) -> tuple[str, ...]:
        """Papers whose notes may have changed (faces repaint them and update counts)."""
        return self.changed

    def summary(self) -> str:
        """One line for people: `30 changed, 2 already so, 1 failed (...)`."""
        parts = [f"{len(self.changed)} changed"]
        if self.unchanged:
            parts.append(f"{len(self.unchanged)} already so")
        if self.failed:
            first_id, why = self.failed[0]
            more = f" and {len(self.failed) - 1} more" if len(self.failed) > 1 else ""
            parts.append(f"{len(self.failed)} failed ({first_id}: {why}{more})")
        return ", ".join(parts)


class Batching(LibraryCore):
    """`set_status_many`, `star_many`, `tag_many`: each is one undo step (`Library.undo`)."""

    def set_status_many(self, paper_ids: Iterable[str], status: str) -> BatchResult:
        Annotation("check").with_status(status)  # an unknown status fails before any write
        return self.change_many(paper_ids, lambda a: a.with_status(status))

    def star_many(self, paper_ids: Iterable[str], starred: bool) -> BatchResult:
        return self.change_many(paper_ids, lambda a: a.with_star(starred))

    def tag_many(
        self, paper_ids: Iterable[str], add: Iterable[str] = (), remove: Iterable[str] = ()
    ) -> BatchResult:
        add, remove = list(add), list(remove)
        return self.change_many(paper_ids, lambda a: a.with_tags(add, remove))

    def change_many(
        self, paper_ids: Iterable[str], change: Callable[[Annotation], Annotation]
    ) -> BatchResult:
        """Apply `change` to each paper's notes (merged with the file on disk as `change` is),
        written atomically one by one, recorded as one undo step, indexed in one write."""
        wanted = list(dict.fromkeys(paper_ids))
        failed: list[tuple[str, str]] = []
        saves: list[tuple[str, str, Save]] = []
        for paper_id in wanted:
            paper = self.corpus.get(paper_id)
            if paper is None:
                failed.append((paper_id, "not a paper of this corpus"))
                continue
            saves.append((paper.id, paper.title, self._saver(paper.id, paper.title, change)))
        outcomes = self.journal.save_many_and_record(saves)
        changed: list[str] = []
        unchanged: list[str] = []
        messages: list[str] = []
        results: dict[str, SaveResult] = {}
        for (paper_id, _title, _save), outcome in zip(saves, outcomes, strict=True):
            if isinstance(outcome, Exception):
                failed.append((paper_id, str(outcome) or type(outcome).__name__))
                continue
            results[paper_id] = outcome
            (changed if outcome.written else unchanged).append(paper_id)
            if outcome.message:
                messages.append(outcome.message)
        self.reindex({paper_id: results[paper_id].annotation for paper_id in changed})
        return BatchResult(
            tuple(changed), tuple(unchanged), tuple(failed), tuple(messages), results
        )

    def _saver(self, paper_id: str, title: str, change: Callable[[Annotation], Annotation]) -> Save:
        return lambda: self.notes.update(paper_id, title, change)
