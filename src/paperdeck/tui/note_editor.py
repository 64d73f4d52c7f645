"""The note editor: a Markdown editor that saves on every pause, on leaving and on quit.

The note is untrusted data: it is shown through the safe editor and never read as markup.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Label, Static
from textual.widgets.text_area import Selection

from paperdeck.library import NoteEdit, merge_text
from paperdeck.safe_text import terminal_safe
from paperdeck.tui.base import deck
from paperdeck.tui.messages import NotesChanged
from paperdeck.tui.widgets.safe import SafeTextArea

NOTE_AUTOSAVE_SECONDS = 1.0


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
        self._recovered = recovered is not None
        self._typed = note if recovered is None else recovered
        self._timer: Timer | None = None
        self._saving = False  # one save at a time: each merges from the previous one's result
        self._again = False  # a save was asked for while one was running
        self._leaving = False
        self._draft_failed = False

    def compose(self) -> ComposeResult:
        if not self._recovered:
            self._open_on_disk_note()
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

    def _open_on_disk_note(self) -> None:
        """Start from the note as it is on disk now, not as last noticed: a change the watcher
        has not reported yet would otherwise come back as a merge (or a clash) about text the
        user never saw, moving lines under the cursor as they type."""
        app = deck(self.app)
        try:
            changed = app.library.reload_note(self.paper_id)
        except OSError:  # unreadable now: the store keeps what it had and says so elsewhere
            return
        if changed:
            note = app.library.annotation(self.paper_id).note
            self._base.text = self._typed = note
            app.broadcast_notes_changed([self.paper_id])

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
        outside = deck(self.app).library.annotation(self.paper_id).note
        if outside != self._base.text:
            self.action_save()  # the save merges the outside change in, and it comes back here

    def action_save(self) -> None:
        if self._leaving:
            return
        if self._saving:
            self._again = True
            return
        app = deck(self.app)
        library = app.library
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
                app.broadcast_notes_changed([paper_id])
            if self._leaving or not self.is_mounted:
                return
            self._landed(base if edit.clash else text, edit)

        app.run_write(save, done)

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
        app = deck(self.app)
        library = app.library
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
                app.broadcast_notes_changed([paper_id])

        app.run_write(save, done)

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
