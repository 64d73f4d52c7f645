"""The full-screen reader for one paper; every paper action works here too, and `j`/`k` go on
to the next or previous paper of the list it was opened from (a decision does, in triage mode)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer

from paperdeck.library import Highlights
from paperdeck.tui.actions import PaperActions
from paperdeck.tui.keys_in_order import acting_at_once, drained
from paperdeck.tui.messages import NotesChanged
from paperdeck.tui.reading import show_paper
from paperdeck.tui.widgets.paper_view import PaperView


class ReaderScreen(PaperActions, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        # Priority, as on the main screen: the keys typed after it go to the search box.
        Binding("slash", "search", "Search", key_display="/", priority=True),
        Binding("j", "step_paper(1)", "Next paper"),
        Binding("k", "step_paper(-1)", "Previous paper"),
        Binding("down", "scroll(1)", "Scroll", show=False),
        Binding("up", "scroll(-1)", "Scroll", show=False),
        Binding("space,pagedown", "page(1)", "Page down", show=False),
        Binding("pageup,b", "page(-1)", "Page up", show=False),
        *acting_at_once(PaperActions.PAPER_BINDINGS),
    ]

    def __init__(
        self,
        paper_id: str,
        query: str = "",
        *,
        step: Callable[[int], str | None] | None = None,
        decided: Callable[[str], str | None] | None = None,
        marks: Mapping[str, Highlights] | None = None,
    ) -> None:
        """`step(delta)` (`j`/`k`) moves the cursor of the list the reader was opened from and
        returns the paper now under it; `decided(paper_id)`, after a status key, returns the
        paper to go on to (triage mode) or None to stay; `marks`: the query's matches already
        found, by paper."""
        super().__init__()
        self.paper_id = paper_id
        self.query_text = query
        self._step = step
        self._decided = decided
        self._marks: dict[str, Highlights] = dict(marks or {})

    def compose(self) -> ComposeResult:
        yield PaperView(id="full-reader")
        yield Footer()

    def on_mount(self) -> None:
        self._show()
        self.query_one(PaperView).focus()

    def current_paper_id(self) -> str | None:
        return self.paper_id

    def _show(self) -> None:
        show_paper(
            self.query_one(PaperView), self.library, self.paper_id, self._marks.get(self.paper_id)
        )
        if self.query_text.strip() and self.paper_id not in self._marks:
            self.find_marks(self.paper_id)

    @work(thread=True, exclusive=True, group="reader-marks")
    def find_marks(self, paper_id: str) -> None:
        """The query's matches in this paper, found off the UI thread, then shown."""
        marks = self.library.highlights(self.query_text, [paper_id])
        if paper_id in marks:
            self.app.call_from_thread(self._marked, paper_id, marks[paper_id])

    def _marked(self, paper_id: str, marks: Highlights) -> None:
        self._marks[paper_id] = marks
        if paper_id == self.paper_id and self.is_mounted:
            self._show()

    def action_scroll(self, lines: int) -> None:
        view = self.query_one(PaperView)
        view.scroll_relative(y=lines, animate=False)

    def action_page(self, pages: int) -> None:
        view = self.query_one(PaperView)
        view.scroll_relative(y=pages * max(view.scrollable_content_region.height - 1, 1))

    async def action_search(self) -> None:
        """`/`: back to the list, into its search box, with the keys typed after it."""
        await self.keys_done()
        if self.app.screen is not self:
            return
        await self.app.pop_screen()
        under = self.app.screen
        await drained(under)  # it refocuses what had the focus as it resumes: let it, first
        search = under.query("#search")
        if search:
            under.set_focus(search.first())

    def action_step_paper(self, delta: int) -> None:
        """`j`/`k`: on to the next (previous) paper of the list the reader was opened from."""
        if self._step is not None:
            self._go(self._step(delta))

    def after_decision(self, paper_id: str) -> None:
        """A status key: in triage mode the list moves on, and so does the reader."""
        if self._decided is not None:
            self._go(self._decided(paper_id))

    def _go(self, paper_id: str | None) -> None:
        if paper_id is not None and paper_id != self.paper_id:
            self.paper_id = paper_id
            self._show()
            self.query_one(PaperView).scroll_home(animate=False)

    @on(NotesChanged)
    def _notes_changed(self, event: NotesChanged) -> None:
        if self.paper_id in event.paper_ids:
            self._show()
