"""Small modal dialogs: editing tags, editing a note, picking one of a few choices.

Titles, tags, notes and links shown here are untrusted data: they are shown through
`terminal_safe` (or the safe editors) and never read as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.timer import Timer
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from paperdeck.annotation import normalise_tag, normalise_tags
from paperdeck.merge3 import merge_text
from paperdeck.safe_text import terminal_safe
from paperdeck.tui.app import NotesChanged
from paperdeck.tui.widgets.safe import SafeInput, SafeTextArea

NOTE_AUTOSAVE_SECONDS = 1.0


class LastWordSuggester(Suggester):
    """Completes the word being typed from the known tags (several tags in one input)."""

    def __init__(self, words: Sequence[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=False)
        self._words = sorted(words)

    async def get_suggestion(self, value: str) -> str | None:
        head, _, last = value.rpartition(" ")
        if not last:
            return None
        typed = set(value.split())
        for word in self._words:
            if word.startswith(last) and word != last and word not in typed:
                return f"{head} {word}" if head else word
        return None


class TagDialog(ModalScreen[list[str] | None]):
    """The paper's tags as one editable line: type to add, delete a word to remove."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, current: Sequence[str], known: Sequence[str]) -> None:
        super().__init__()
        self._title = title
        self._current = list(current)
        self._known = list(known)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(f"Tags of {terminal_safe(self._title)}", id="dialog-title", markup=False)
            value = " ".join(self._current) + (" " if self._current else "")
            yield SafeInput(
                value=value,
                placeholder="tags separated by spaces; delete a word to remove that tag",
                suggester=LastWordSuggester(self._known),
                id="tags",
            )
            yield OptionList(id="tag-suggestions")
            # One line: with eight suggestions the dialog just fits an 80x24 terminal.
            yield Static(
                "enter saves · → accepts a suggestion · escape cancels", classes="dialog-help"
            )

    def on_mount(self) -> None:
        self._update_suggestions(self.query_one(SafeInput).value)

    @on(SafeInput.Changed, "#tags")
    def _changed(self, event: SafeInput.Changed) -> None:
        self._update_suggestions(event.value)

    def _update_suggestions(self, value: str) -> None:
        last = "" if value.endswith(" ") else normalise_tag(value.rpartition(" ")[2])
        typed = set(value.split())
        matches = [t for t in self._known if t.startswith(last) and t not in typed][:8]
        options = self.query_one("#tag-suggestions", OptionList)
        options.clear_options()
        options.add_options([Option(Text(terminal_safe(f"#{tag}")), id=tag) for tag in matches])
        options.display = bool(matches)

    @on(OptionList.OptionSelected, "#tag-suggestions")
    def _suggestion_chosen(self, event: OptionList.OptionSelected) -> None:
        field = self.query_one("#tags", SafeInput)
        head = field.value.rpartition(" ")[0] if not field.value.endswith(" ") else field.value
        field.value = f"{head.rstrip()} {event.option.id} ".lstrip()
        field.cursor_position = len(field.value)
        field.focus()

    @on(SafeInput.Submitted, "#tags")
    def _submitted(self, event: SafeInput.Submitted) -> None:
        self.dismiss(list(normalise_tags(event.value.replace(",", " ").split())))

    def action_cancel(self) -> None:
        self.dismiss(None)


class NoteEditor(ModalScreen[None]):
    """A multi-line Markdown editor; the note is saved on every pause, on leaving and on quit."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Save and close"),
        Binding("ctrl+s", "save", "Save"),
    ]

    def __init__(self, paper_id: str, title: str, note: str) -> None:
        super().__init__()
        self.paper_id = paper_id
        self._title = title
        self._saved = note
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog"):
            yield Label(f"Note on {terminal_safe(self._title)}", id="dialog-title", markup=False)
            # The note is edited exactly as stored; only what is painted is neutralised.
            yield SafeTextArea(
                self._saved,
                language="markdown",
                id="note-text",
                soft_wrap=True,
                show_line_numbers=False,
            )
            yield Static(
                "saved as you type · escape saves and closes · ctrl+s saves",
                id="note-state",
                classes="dialog-help",
            )

    def on_mount(self) -> None:
        area = self.query_one(SafeTextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @on(SafeTextArea.Changed)
    def _changed(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(NOTE_AUTOSAVE_SECONDS, self.action_save)
        self.query_one("#note-state", Static).update("editing… (saved after a pause)")

    def on_notes_changed(self, event: NotesChanged) -> None:
        """The note changed outside the editor: merge it into what is being typed, never drop it."""
        if self.paper_id not in event.paper_ids:
            return
        outside = self.app.library.annotation(self.paper_id).note  # type: ignore[attr-defined]
        if outside == self._saved:
            return  # our own save coming back
        area = self.query_one(SafeTextArea)
        merged, conflict = merge_text(self._saved, area.text, outside, ("yours", "from outside"))
        self._saved = outside
        if merged != area.text:
            cursor = area.cursor_location
            area.text = merged
            area.cursor_location = cursor
        self.notify(
            "The note changed outside the editor: both versions kept between <<<<<<< and >>>>>>>"
            if conflict
            else "The note changed outside the editor; merged into your text.",
            severity="warning" if conflict else "information",
            timeout=8,
        )

    def action_save(self) -> None:
        text = self.query_one(SafeTextArea).text
        if text == self._saved:
            return
        self._saved = text
        app = self.app
        library = app.library  # type: ignore[attr-defined]
        paper_id = self.paper_id

        def done(_result: object) -> None:
            app.broadcast_notes_changed([paper_id])  # type: ignore[attr-defined]
            if self.is_mounted:
                self.query_one("#note-state", Static).update("saved")

        app.run_write(lambda: library.set_note(paper_id, text), done)  # type: ignore[attr-defined]

    def flush_pending(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self.action_save()

    def action_close(self) -> None:
        self.flush_pending()
        self.dismiss(None)


class ChoiceDialog(ModalScreen[str | None]):
    """Pick one of a few labelled values (links to open, things to copy)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, prompt: str, choices: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self._prompt = prompt
        self._values = [value for _, value in choices]
        self._labels = [terminal_safe(label) for label, _ in choices]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self._prompt, id="dialog-title", markup=False)
            yield OptionList(*self._labels, id="choices", markup=False)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected, "#choices")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._values[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)
