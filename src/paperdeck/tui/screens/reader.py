"""The full-screen reader for one paper; every paper action works here too."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer

from paperdeck.tui.actions import PaperActions
from paperdeck.tui.app import NotesChanged
from paperdeck.tui.widgets.paper_view import PaperView


class ReaderScreen(PaperActions, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("j,down", "scroll(1)", "Scroll", show=False),
        Binding("k,up", "scroll(-1)", "Scroll", show=False),
        *PaperActions.PAPER_BINDINGS,
    ]

    def __init__(self, paper_id: str, query: str = "") -> None:
        super().__init__()
        self.paper_id = paper_id
        self.query_text = query

    def compose(self) -> ComposeResult:
        yield PaperView(id="full-reader")
        yield Footer()

    def on_mount(self) -> None:
        self._show()
        self.query_one(PaperView).focus()

    def current_paper_id(self) -> str | None:
        return self.paper_id

    def _show(self) -> None:
        from paperdeck.tui.screens.main import show_paper

        library = self.app.library  # type: ignore[attr-defined]
        show_paper(self.query_one(PaperView), library, self.paper_id, self.query_text)

    def action_scroll(self, lines: int) -> None:
        view = self.query_one(PaperView)
        view.scroll_relative(y=lines, animate=False)

    def action_next_paper(self) -> None:
        """space: on to the next paper of the list the reader was opened from."""
        from paperdeck.tui.screens.main import MainScreen

        main = next((s for s in self.app.screen_stack if isinstance(s, MainScreen)), None)
        if main is None:
            return
        main.action_next_paper()
        paper_id = main.current_paper_id()
        if paper_id is not None and paper_id != self.paper_id:
            self.paper_id = paper_id
            self._show()
            self.query_one(PaperView).scroll_home(animate=False)

    @on(NotesChanged)
    def _notes_changed(self, event: NotesChanged) -> None:
        if self.paper_id in event.paper_ids:
            self._show()
