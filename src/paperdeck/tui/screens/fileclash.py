"""A notes file git could not merge (one version unreadable): both whole files side by side.

Pick this machine's version, the other machine's, both merged (when both can be read), or edit
the file; the caller writes the choice and syncs again, which finishes the rebase or merge.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, Static, TextArea

from paperdeck.library import FileClash, FileSide, NotesFileError, check_notes_file
from paperdeck.safe_text import terminal_safe
from paperdeck.tui.widgets.safe import SafeTextArea

EDIT = "\0edit"


class FileClashScreen(ModalScreen[str | None]):
    """Dismisses with "mine", "theirs", "both", EDIT, or None to decide later."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "keep('mine')", "Keep this machine's"),
        Binding("2", "keep('theirs')", "Keep the other's"),
        Binding("b", "keep('both')", "Merge both"),
        Binding("e", "edit", "Edit the file"),
        Binding("escape", "cancel", "Later"),
    ]

    def __init__(self, title: str, conflict: FileClash) -> None:
        super().__init__()
        self._title = title
        self.conflict = conflict

    def compose(self) -> ComposeResult:
        conflict = self.conflict
        with Vertical(id="clash-dialog"):
            yield Label(
                terminal_safe(
                    f"git could not merge the notes on {self._title} ({conflict.relative})"
                ),
                id="dialog-title",
                markup=False,
            )
            yield Static(
                "One version cannot be read, so paperdeck will not guess. Pick a version, merge "
                "both, or edit the file; the sync then finishes.",
                classes="dialog-help",
            )
            with Horizontal(id="clash-sides"):
                for which, side in (("mine", conflict.mine), ("theirs", conflict.theirs)):
                    with VerticalScroll(classes="clash-side", id=f"side-{which}"):
                        yield Static(
                            terminal_safe(side.label.capitalize()),
                            classes="clash-label",
                            markup=False,
                        )
                        yield Static(
                            terminal_safe(_verdict(side)),
                            classes="clash-verdict" + ("" if side.usable else " -unusable"),
                            markup=False,
                        )
                        yield Static(terminal_safe(side.text) or "(no file)", markup=False)
            yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "keep":
            choice = parameters[0]
            if choice == "both":
                return self.conflict.can_merge_both
            side = self.conflict.mine if choice == "mine" else self.conflict.theirs
            return side.usable
        return True

    def action_keep(self, choice: str) -> None:
        self.dismiss(choice)

    def action_edit(self) -> None:
        self.dismiss(EDIT)

    def action_cancel(self) -> None:
        self.dismiss(None)


def _verdict(side: FileSide) -> str:
    if side.usable:
        return "✓ readable"
    return f"✗ cannot be used: {side.error}"


class NotesFileEditor(ModalScreen[str | None]):
    """Edit a whole notes file; it is only accepted once it is a valid notes file again."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Use this file"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, relative: str, paper_id: str, text: str) -> None:
        super().__init__()
        self._relative = relative
        self._paper_id = paper_id
        self._text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog"):
            yield Label(f"Edit {terminal_safe(self._relative)}", id="dialog-title", markup=False)
            # The file is edited exactly as read; only what is painted is neutralised.
            yield SafeTextArea(self._text, id="file-text", show_line_numbers=True)
            yield Static(
                "ctrl+s checks the file and uses it · escape cancels",
                id="file-state",
                classes="dialog-help",
                markup=False,
            )

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    @on(TextArea.Changed)
    def _changed(self) -> None:
        self.query_one("#file-state", Static).update(
            "ctrl+s checks the file and uses it · escape cancels"
        )

    def action_save(self) -> None:
        text = self.query_one(TextArea).text
        try:
            check_notes_file(text, self._relative, self._paper_id)
        except NotesFileError as error:
            self.query_one("#file-state", Static).update(terminal_safe(f"not yet valid: {error}"))
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)
