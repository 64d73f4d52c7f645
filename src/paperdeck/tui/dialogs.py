"""Small modal dialogs: editing tags, editing a note, picking one of a few choices."""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.timer import Timer
from textual.widgets import Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option
from textual.widgets.text_area import Selection

from paperdeck.annotation import normalise_tag, normalise_tags
from paperdeck.library import NoteEdit
from paperdeck.merge3 import merge_text
from paperdeck.tui.app import NotesChanged

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
            yield Label(f"Tags of {self._title}", id="dialog-title")
            value = " ".join(self._current) + (" " if self._current else "")
            yield Input(
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
        self._update_suggestions(self.query_one(Input).value)

    @on(Input.Changed, "#tags")
    def _changed(self, event: Input.Changed) -> None:
        self._update_suggestions(event.value)

    def _update_suggestions(self, value: str) -> None:
        last = "" if value.endswith(" ") else normalise_tag(value.rpartition(" ")[2])
        typed = set(value.split())
        matches = [t for t in self._known if t.startswith(last) and t not in typed][:8]
        options = self.query_one("#tag-suggestions", OptionList)
        options.clear_options()
        options.add_options([Option(f"#{tag}", id=tag) for tag in matches])
        options.display = bool(matches)

    @on(OptionList.OptionSelected, "#tag-suggestions")
    def _suggestion_chosen(self, event: OptionList.OptionSelected) -> None:
        field = self.query_one("#tags", Input)
        head = field.value.rpartition(" ")[0] if not field.value.endswith(" ") else field.value
        field.value = f"{head.rstrip()} {event.option.id} ".lstrip()
        field.cursor_position = len(field.value)
        field.focus()

    @on(Input.Submitted, "#tags")
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(list(normalise_tags(event.value.replace(",", " ").split())))

    def action_cancel(self) -> None:
        self.dismiss(None)


class _Base:
    """The note the editor's text was typed over: the base of its three-way merges.

    Shared with the writer thread: a save that lands there moves it, so a closing save queued
    behind a save in flight merges from the right base.
    """

    def __init__(self, text: str) -> None:
        self.text = text


class NoteEditor(ModalScreen[None]):
    """A multi-line Markdown editor; the note is saved on every pause, on leaving and on quit.

    Changes made elsewhere meanwhile (the CLI, a sync, another app) are merged into the text by
    line, base = the note last saved or loaded here; clashing lines are shown once between
    markers for the user to settle. What is typed is also kept in a draft file until saved.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Save and close"),
        Binding("ctrl+s", "save", "Save"),
    ]

    def __init__(
        self, paper_id: str, title: str, note: str, *, recovered: str | None = None
    ) -> None:
        super().__init__()
        self.paper_id = paper_id
        self._title = title
        self._base = _Base(note)
        self._typed = note if recovered is None else recovered
        self._timer: Timer | None = None
        self._saving = False  # one save at a time: each merges from the previous one's result
        self._again = False  # a save was asked for while one was running
        self._leaving = False
        self._draft_failed = False

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog"):
            yield Label(f"Note on {self._title}", id="dialog-title")
            yield TextArea(
                self._typed,
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
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)
        if self._typed != self._base.text:  # a recovered draft: it is unsaved text
            self._edited("recovered from a draft · saved after a pause or on escape")

    @on(TextArea.Changed)
    def _changed(self) -> None:
        self._edited("editing… (saved after a pause)")

    def _edited(self, state: str) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(NOTE_AUTOSAVE_SECONDS, self.action_save)
        self._write_draft()
        self.query_one("#note-state", Static).update(state)

    def _write_draft(self) -> None:
        """Keep the unsaved text on disk at every change; no draft once all of it is saved."""
        drafts = getattr(self.app, "drafts", None)
        if drafts is None:
            return
        text = self.query_one(TextArea).text
        try:
            if text == self._base.text:
                drafts.remove(self.paper_id)
            else:
                drafts.write(self.paper_id, self._base.text, text)
        except OSError as error:
            if not self._draft_failed:
                self._draft_failed = True
                self.notify(f"Could not keep a draft of the note: {error}", severity="warning")

    def on_notes_changed(self, event: NotesChanged) -> None:
        """The note changed outside the editor: merge it into what is being typed, never drop it."""
        if self.paper_id not in event.paper_ids or self._leaving:
            return
        outside = self.app.library.annotation(self.paper_id).note  # type: ignore[attr-defined]
        if outside != self._base.text:
            self.action_save()  # the save merges the outside change in, and it comes back here

    def action_save(self) -> None:
        if self._leaving:
            return
        if self._saving:
            self._again = True
            return
        app = self.app
        library = app.library  # type: ignore[attr-defined]
        paper_id, base, text = self.paper_id, self._base.text, self.query_one(TextArea).text
        if text == base and library.annotation(paper_id).note == base:
            return
        self._saving = True
        shared = self._base

        def save() -> NoteEdit | Exception:
            try:
                edit: NoteEdit = library.save_note_edit(paper_id, base, text)
            except Exception as error:  # read-only file, full disk: say so, keep the text
                return error
            if not edit.clash:
                shared.text = text  # what the editor's text descends from, until `done`
            return edit

        def done(edit: NoteEdit | Exception) -> None:
            self._saving = False
            if isinstance(edit, Exception):
                app.notify(f"Not saved: {edit}", severity="error", timeout=8)
                return
            if edit.written:
                app.broadcast_notes_changed([paper_id])  # type: ignore[attr-defined]
            if self._leaving or not self.is_mounted:
                return
            self._landed(base if edit.clash else text, edit)

        app.run_write(save, done)  # type: ignore[attr-defined]

    def _landed(self, sent_from: str, edit: NoteEdit) -> None:
        """A save came back with the note on disk: merge what changed there into the text."""
        area = self.query_one(TextArea)
        merged, conflict = merge_text(sent_from, area.text, edit.note, ("yours", "from outside"))
        self._base.text = edit.note
        if merged != area.text:
            _replace_keeping_cursor(area, merged)
        if conflict:
            self.notify(
                "The note changed outside the editor on the lines you are editing: both versions"
                " are kept between <<<<<<< and >>>>>>>; keep what you want and delete the rest",
                severity="warning",
                timeout=10,
            )
        self._write_draft()
        if area.text == self._base.text:
            merged_in = " · merged a change made elsewhere" if edit.note != sent_from else ""
            self.query_one("#note-state", Static).update("saved" + merged_in)
        if self._again or conflict:
            self._again = False
            self.action_save()

    def flush_pending(self) -> None:
        """Save now, whatever is in flight: the editor is closing (escape, quit, a signal)."""
        if self._timer is not None:
            self._timer.stop()
        if self._leaving:
            return
        self._leaving = True
        app = self.app
        library = app.library  # type: ignore[attr-defined]
        drafts = getattr(app, "drafts", None)
        paper_id, text, shared = self.paper_id, self.query_one(TextArea).text, self._base

        def save() -> NoteEdit:
            # runs after any save in flight, so `shared` holds what `text` descends from
            edit: NoteEdit = library.save_note_edit(paper_id, shared.text, text, keep_clash=True)
            if drafts is not None:
                drafts.remove(paper_id)
            return edit

        def done(edit: NoteEdit) -> None:
            if edit.written:
                app.broadcast_notes_changed([paper_id])  # type: ignore[attr-defined]

        app.run_write(save, done)  # type: ignore[attr-defined]

    def action_close(self) -> None:
        self.flush_pending()
        self.dismiss(None)


def _replace_keeping_cursor(area: TextArea, text: str) -> None:
    """Change the text by whole lines, keeping the cursor on the line the user is typing in.

    Setting `area.text` would reset the cursor and the undo history; moving the cursor by the
    line map (lines inserted above push it down) keeps it off any marker line.
    """
    old, new = area.text.split("\n"), text.split("\n")
    opcodes = SequenceMatcher(None, old, new, autojunk=False).get_opcodes()

    def moved(location: tuple[int, int]) -> tuple[int, int]:
        row, column = location
        for tag, i1, i2, j1, j2 in opcodes:
            if i1 <= row < i2:
                target = j1 + (row - i1 if tag == "equal" else min(row - i1, max(j2 - j1 - 1, 0)))
                target = min(target, len(new) - 1)
                return target, min(column, len(new[target]))
        return len(new) - 1, len(new[-1])

    start, end = moved(area.selection.start), moved(area.selection.end)
    for tag, i1, i2, j1, j2 in reversed(opcodes):
        if tag == "equal":
            continue
        lines = "\n".join(new[j1:j2])
        if i1 < i2 and j1 < j2:
            area.replace(lines, (i1, 0), (i2 - 1, len(old[i2 - 1])))
        elif i1 < i2:  # rows removed, with the line break that ends them (or begins them)
            if i2 < len(old):
                area.delete((i1, 0), (i2, 0))
            else:
                area.delete((i1 - 1, len(old[i1 - 1])), (i2 - 1, len(old[i2 - 1])))
        elif i1 < len(old):
            area.insert(lines + "\n", (i1, 0))
        else:
            area.insert("\n" + lines, (i1 - 1, len(old[i1 - 1])))
    area.selection = Selection(start, end)


class ChoiceDialog(ModalScreen[str | None]):
    """Pick one of a few labelled values (links to open, things to copy)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, prompt: str, choices: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self._prompt = prompt
        self._values = [value for _, value in choices]
        self._labels = [label for label, _ in choices]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self._prompt, id="dialog-title")
            yield OptionList(*self._labels, id="choices")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected, "#choices")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._values[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)
