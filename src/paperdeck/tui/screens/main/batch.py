"""Batch actions: mark papers (space, a `v` range), then one key acts on all of them, and one
undo reverts it all. "Skip the rest" marks every paper of the list still unread as skipped,
once the user has confirmed how many that is."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.binding import Binding, BindingType

from paperdeck.library import DEFAULT_STATUS, STATUSES, Library
from paperdeck.tui.screens.main.listing import ListingScreen
from paperdeck.tui.widgets.paper_table import PaperTable
from paperdeck.tui.words import count_of

if TYPE_CHECKING:
    from paperdeck.library import BatchResult


class BatchPart(ListingScreen):
    """With papers marked, the status keys, `s` and `t` act on the marked papers."""

    BATCH_BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_mark", "Mark", show=False),
        Binding("v", "mark_range", "Mark range", show=False),
        Binding("X", "skip_rest", "Skip the rest", show=False),
    ]

    @property
    def marked(self) -> list[str]:
        return self.query_one(PaperTable).marked

    def action_toggle_mark(self) -> None:
        """space: mark (or unmark) the paper under the cursor and go down one."""
        table = self.query_one(PaperTable)
        table.toggle_mark()
        table.cursor += 1

    def action_mark_range(self) -> None:
        """`v`: start a range of marks at the cursor (moving marks what it passes), or end it."""
        self.query_one(PaperTable).toggle_range()

    def clear_marks(self) -> bool:
        """Clear the marks (escape); False when there were none."""
        table = self.query_one(PaperTable)
        if not table.marked and not table.marking_range:
            return False
        table.clear_marks()
        return True

    @on(PaperTable.MarksChanged)
    def _marks_changed(self) -> None:
        self._set_status(self._status_text)

    # --- acting on the marked papers --------------------------------------------------------------

    def action_set_status(self, status: str) -> None:
        marked = self.marked
        if not marked:
            super().action_set_status(status)
        elif status in STATUSES:
            self._batch(marked, lambda lib: lib.set_status_many(marked, status), f"now {status}")

    def action_toggle_star(self) -> None:
        marked = self.marked
        if not marked or not self.library_open:
            super().action_toggle_star()
            return
        starred = not all(self.library.annotation(i).starred for i in marked)
        what = "starred" if starred else "unstarred"
        self._batch(marked, lambda lib: lib.star_many(marked, starred), what)

    def action_edit_tags(self) -> None:
        """Tags of all the marked papers: their tags are listed; removing one removes it from
        all of them, adding one adds it to all; a tag not touched stays as it is on each."""
        from paperdeck.tui.dialogs import TagDialog

        marked = self.marked
        if not marked or not self.library_open:
            super().action_edit_tags()
            return
        library = self.library
        shown = sorted({tag for i in marked for tag in library.annotation(i).tags})

        def chosen(tags: list[str] | None) -> None:
            if tags is None:
                return
            add = [tag for tag in tags if tag not in shown]
            remove = [tag for tag in shown if tag not in tags]
            if add or remove:
                self._batch(marked, lambda lib: lib.tag_many(marked, add, remove), "tagged")

        title = count_of(len(marked), "marked paper")
        self.deck.push_screen(TagDialog(title, shown, sorted(library.all_tags())), chosen)

    def action_skip_rest(self) -> None:
        """`X`: every listed paper still unread becomes skipped, once confirmed."""
        from paperdeck.tui.dialogs import ConfirmDialog

        if not self.library_open:
            return
        library = self.library
        rows = self.query_one(PaperTable).rows
        rest = [i for i in rows if library.annotation(i).status == DEFAULT_STATUS]
        if not rest:
            self.notify("No paper of this list is still unread.", timeout=3)
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._batch(rest, lambda lib: lib.set_status_many(rest, "skipped"), "skipped")

        where = self.listing.view.label if not self.listing.searching else "these results"
        self.deck.push_screen(
            ConfirmDialog(
                f"Skip the rest: {count_of(len(rest), 'unread paper')} of {where}?",
                "Each becomes skipped; one undo (U) brings them all back.",
                yes="Skip them",
            ),
            confirmed,
        )

    def _batch(
        self, paper_ids: list[str], job: Callable[[Library], BatchResult], what: str
    ) -> None:
        """Run one batch on the writer thread: one undo step; say what changed and what not."""
        if not self.library_open:
            return
        library = self.library
        self.query_one(PaperTable).clear_marks()

        def done(result: BatchResult) -> None:
            self.deck.broadcast_notes_changed(list(paper_ids))
            self.notify(batch_summary(result, what), timeout=5)
            for message in result.messages[:3]:
                self.notify(message, severity="warning", timeout=8)
            for paper_id, reason in result.failed[:3]:
                self.notify(f"Not changed: {paper_id}: {reason}", severity="error", timeout=8)

        self.deck.run_write(lambda: job(library), done)


def batch_summary(result: BatchResult, what: str) -> str:
    """ "12 papers now skipped · 3 already were" (and how many could not be changed)."""
    parts = [f"{count_of(len(result.changed), 'paper')} {what}"]
    if result.unchanged:
        parts.append(f"{len(result.unchanged):,} already were")
    if result.failed:
        parts.append(f"{len(result.failed):,} not changed (see the errors)")
    return " · ".join(parts)
