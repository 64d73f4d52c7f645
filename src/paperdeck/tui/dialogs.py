"""Small modal dialogs: editing tags, editing a note, picking one of a few choices.

Titles, tags, notes and links shown here are untrusted data: they are shown through
`terminal_safe` (or the safe editors) and never read as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.timer import Timer
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.widgets.text_area import Selection

from paperdeck.library import NoteEdit
from paperdeck.notes.annotation import normalise_tag, normalise_tags
from paperdeck.notes.merge3 import merge_text
from paperdeck.safe_text import terminal_safe
from paperdeck.tui.app import NotesChanged
from paperdeck.tui.widgets.safe import SafeInput, SafeTextArea

NOTE_AUTOSAVE_SECONDS = 1.0


class LastWordSuggester(Suggester):
    """Completes the word being typed from the known tags (several tags in one input).

    A word starting with `-` (removing a tag) completes from the paper's own tags.
    """

    def __init__(self, words: Sequence[str], own: Sequence[str] = ()) -> None:
        super().__init__(use_cache=False, case_sensitive=False)
        self._words = sorted(set(words) - set(own))  # adding a tag it has already: no use
        self._own = sorted(f"-{tag}" for tag in own)

    async def get_suggestion(self, value: str) -> str | None:
        head, _, last = value.rpartition(" ")
        if not last:
            return None
        typed = set(value.split())
        for word in self._own if last.startswith("-") else self._words:
            if word.startswith(last) and word != last and word not in typed:
                return f"{head} {word}" if head else word
        return None


class CurrentTags(OptionList):
    """The paper's tags; `delete`, `backspace` or `-` marks the highlighted one for removal."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("delete,backspace,minus", "toggle_removal", "Remove tag", key_display="delete"),
    ]

    class Toggled(Message):
        def __init__(self, tag: str) -> None:
            super().__init__()
            self.tag = tag

    def action_toggle_removal(self) -> None:
        if self.highlighted is not None:
            tag = self.get_option_at_index(self.highlighted).id
            if tag:
                self.post_message(self.Toggled(tag))


class TagDialog(ModalScreen[list[str] | None]):
    """Add tags by typing; remove one only by an explicit act, so no key can wipe them all.

    The paper's tags are a list of their own, never text in the input: typing (or deleting
    what was typed) cannot touch them. `delete` or `-` on a highlighted tag marks it for removal,
    as does typing `-tag`; enter saves it all, escape changes nothing. Dismisses with the new tags.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, current: Sequence[str], known: Sequence[str]) -> None:
        super().__init__()
        self._title = title
        self._current = list(current)
        self._known = list(known)
        self._removing: set[str] = set()

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(f"Tags of {terminal_safe(self._title)}", id="dialog-title", markup=False)
            if self._current:
                yield CurrentTags(id="current-tags")
                yield Static(
                    "delete or - removes the highlighted tag (again: keeps it)",
                    classes="dialog-note",
                )
            else:
                yield Static("No tags yet.", classes="dialog-note")
            yield SafeInput(
                placeholder="add tags, separated by spaces (-tag removes one)",
                suggester=LastWordSuggester(self._known, self._current),
                id="tags",
            )
            # Not a focus stop: tab goes straight between the input and the paper's tags.
            suggestions = OptionList(id="tag-suggestions")
            suggestions.can_focus = False
            yield suggestions
            # One line: with eight suggestions the dialog just fits an 80x24 terminal.
            yield Static(
                "enter saves · → completes · tab: your tags · escape cancels",
                classes="dialog-help",
            )

    def on_mount(self) -> None:
        self._show_current()
        self.query_one("#tags", SafeInput).focus()
        self._update_suggestions("")

    def _show_current(self) -> None:
        if not self._current:
            return
        tags = self.query_one(CurrentTags)
        highlighted = tags.highlighted
        tags.clear_options()
        tags.add_options(
            Option(
                Text.assemble((terminal_safe(f"#{tag}"), "strike"), ("  removed", "italic")), id=tag
            )
            if tag in self._removing
            else Option(Text(terminal_safe(f"#{tag}")), id=tag)
            for tag in self._current
        )
        tags.highlighted = 0 if highlighted is None else highlighted

    @on(SafeInput.Changed, "#tags")
    def _changed(self, event: SafeInput.Changed) -> None:
        self._update_suggestions(event.value)

    def _update_suggestions(self, value: str) -> None:
        last = "" if value.endswith(" ") else value.rpartition(" ")[2]
        typed = set(value.split())
        if last.startswith("-"):
            wanted = normalise_tag(last[1:])
            pool = [t for t in self._current if f"-{t}" not in typed and t.startswith(wanted)]
            matches = [f"-{tag}" for tag in pool][:8]
        else:
            wanted = normalise_tag(last)
            matches = [
                t
                for t in self._known
                if t.startswith(wanted) and t not in typed and t not in self._current
            ][:8]
        options = self.query_one("#tag-suggestions", OptionList)
        options.clear_options()
        options.add_options(
            [
                Option(Text(terminal_safe(f"#{tag}" if tag[0] != "-" else tag)), id=tag)
                for tag in matches
            ]
        )
        options.display = bool(matches)

    @on(OptionList.OptionSelected, "#tag-suggestions")
    def _suggestion_chosen(self, event: OptionList.OptionSelected) -> None:
        field = self.query_one("#tags", SafeInput)
        head = field.value.rpartition(" ")[0] if not field.value.endswith(" ") else field.value
        field.value = f"{head.rstrip()} {event.option.id} ".lstrip()
        field.cursor_position = len(field.value)
        field.focus()

    @on(CurrentTags.Toggled)
    def _toggled(self, event: CurrentTags.Toggled) -> None:
        self._removing ^= {event.tag}
        self._show_current()

    @on(SafeInput.Submitted, "#tags")
    @on(OptionList.OptionSelected, "#current-tags")
    def _save(self) -> None:
        words = self.query_one("#tags", SafeInput).value.replace(",", " ").split()
        add = normalise_tags(word for word in words if not word.startswith("-"))
        remove = self._removing | set(normalise_tags(w[1:] for w in words if w.startswith("-")))
        kept = [tag for tag in self._current if tag not in remove]
        self.dismiss(kept + [tag for tag in add if tag not in kept])

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
            yield Label(f"Note on {terminal_safe(self._title)}", id="dialog-title", markup=False)
            # The note is edited exactly as stored; only what is painted is neutralised.
            yield SafeTextArea(
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
        area = self.query_one(SafeTextArea)
        area.focus()
        area.move_cursor(area.document.end)
        if self._typed != self._base.text:  # a recovered draft: it is unsaved text
            self._edited("recovered from a draft · saved after a pause or on escape")

    @on(SafeTextArea.Changed)
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
        text = self.query_one(SafeTextArea).text
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
        paper_id, base, text = self.paper_id, self._base.text, self.query_one(SafeTextArea).text
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
        area = self.query_one(SafeTextArea)
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
        paper_id, text, shared = self.paper_id, self.query_one(SafeTextArea).text, self._base

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


def _replace_keeping_cursor(area: SafeTextArea, text: str) -> None:
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
