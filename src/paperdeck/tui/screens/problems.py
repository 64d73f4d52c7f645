"""Every problem `paperdeck check` reports, one key away in the TUI."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from paperdeck.library import Problem
from paperdeck.safe_text import terminal_safe
from paperdeck.tui.words import count_of


class ProblemsScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "app.pop_screen", "Close")]

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__()
        self._problems = problems

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            count = len(self._problems)
            yield Static(count_of(count, "problem") if count else "No problems", id="dialog-title")
            # Problems quote file content: shown neutralised.
            text = "\n".join(str(p) for p in self._problems) or (
                "The corpus, the notes files and the git set-up are all in order."
            )
            yield Static(terminal_safe(text), markup=False)
            yield Static("escape closes · `paperdeck check` prints the same", classes="dialog-help")
