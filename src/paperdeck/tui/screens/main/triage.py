"""Triage mode (`T`): decide on each listed paper in turn, with the progress over the list."""

from __future__ import annotations

from collections.abc import Sequence

from textual.reactive import reactive
from textual.widgets import ProgressBar, Static

from paperdeck.library import DEFAULT_STATUS
from paperdeck.tui.screens.main.listing import ListingScreen
from paperdeck.tui.widgets.paper_table import PaperTable
from paperdeck.views import CountChange


class TriagePart(ListingScreen):
    """Each decision (later, read, skip) moves on to the next unread paper of the list."""

    triage: reactive[bool] = reactive(False, init=False)

    # Triage progress: papers of `_triage_rows` (the listed rows) that have a status.
    _triage_rows: Sequence[str] | None = None
    _triage_done = 0

    def watch_triage(self, triage: bool) -> None:
        self.set_class(triage, "-triage")
        self._update_triage_progress()
        self.refresh_bindings()
        if triage:
            self.query_one(PaperTable).focus()
            self.notify(
                "Triage: l later · d read · x skip (each moves on) · s star · t tag · "
                "j/k move · space marks · X skips the rest · T or escape ends",
                timeout=5,
            )

    def action_toggle_triage(self) -> None:
        self.triage = not self.triage

    def _update_triage_progress(self) -> None:
        """Show how many listed papers have a status; counted in full only for a new list."""
        if not self.library_open or not self.triage:
            return
        ids = self.query_one(PaperTable).rows
        if ids is not self._triage_rows:
            self._triage_rows = ids
            self._triage_done = self.library.triaged_count(ids)
        done = self._triage_done
        bar = self.query_one("#triage-progress", ProgressBar)
        bar.update(total=max(len(ids), 1), progress=done)
        self.query_one("#triage-label", Static).update(f"Triage {done:,}/{len(ids):,}")

    def forget_triage_count(self) -> None:
        """Count the triage progress afresh next time (many papers changed at once)."""
        self._triage_rows = None

    def _count_triage(self, changes: list[CountChange]) -> None:
        """Adjust the triage progress by papers whose status went to or from unread."""
        table = self.query_one(PaperTable)
        if self._triage_rows is not table.rows:
            return  # not counted for this list: the next update counts it in full
        for change in changes:
            step = (change.new_status != DEFAULT_STATUS) - (change.old_status != DEFAULT_STATUS)
            if step and (table.current == change.paper_id or change.paper_id in table.rows):
                self._triage_done += step

    def after_decision(self, paper_id: str) -> None:
        """In triage mode, move on to the next unread paper after a decision."""
        if not self.triage or not self.library_open:
            return
        library = self.library
        table = self.query_one(PaperTable)
        rows = table.rows
        if not rows:
            return
        start = rows.index(paper_id) if paper_id in rows else table.cursor
        for offset in range(1, len(rows) + 1):
            candidate = (start + offset) % len(rows)
            if candidate == start:
                break
            if library.annotation(rows[candidate]).status == DEFAULT_STATUS:
                table.cursor = candidate
                return
        self.notify("Everything in this view is triaged.", timeout=4)
