"""A note clash from a sync, both versions side by side: keep one, keep both, or edit."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, Static

from paperdeck.library import Clash, clash_side, parse_clash, resolve_clash
from paperdeck.safe_text import terminal_safe


class ClashScreen(ModalScreen[str | None]):
    """Dismisses with the resolved note text (or "edit" to open the editor, None to cancel)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "keep('first')", "Keep left"),
        Binding("2", "keep('second')", "Keep right"),
        Binding("b", "keep('both')", "Keep both"),
        Binding("e", "edit", "Edit by hand"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, title: str, note: str) -> None:
        super().__init__()
        self._title = title
        self._note = note
        clashes = [c for c in parse_clash(note) or [] if isinstance(c, Clash)]
        self._labels = (
            (clashes[0].first_label or "one side", clashes[0].second_label or "other side")
            if clashes
            else ("one side", "other side")
        )

    def compose(self) -> ComposeResult:
        with Vertical(id="clash-dialog"):
            yield Label(
                f"The note on {terminal_safe(self._title)} was edited in two places",
                id="dialog-title",
                markup=False,
            )
            with Horizontal(id="clash-sides"):
                for which, label in zip(("first", "second"), self._labels, strict=True):
                    with VerticalScroll(classes="clash-side"):
                        yield Static(terminal_safe(label), classes="clash-label", markup=False)
                        yield Static(terminal_safe(clash_side(self._note, which)), markup=False)
            yield Footer()

    def action_keep(self, which: str) -> None:

        self.dismiss(resolve_clash(self._note, which))

    def action_edit(self) -> None:
        self.dismiss("\0edit")

    def action_cancel(self) -> None:
        self.dismiss(None)
