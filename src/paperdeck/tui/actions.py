"""Actions on the current paper, shared by the main screen and the full-screen reader.

Every change goes through `Library` on the app's single writer thread, so it lands in the notes
file at once, in the order the user made it, without blocking the screen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual.binding import Binding, BindingType

from paperdeck.export import bibtex_entry
from paperdeck.notes.annotation import STATUSES

if TYPE_CHECKING:
    from paperdeck.library import Library
    from paperdeck.notes.undo import UndoOutcome
    from paperdeck.sync.file_clash import FileClash

STATUS_KEYS = {"unread": "u", "later": "l", "reading": "r", "read": "d", "skipped": "x"}


class PaperActions:
    """Mixin for screens that have a current paper (`current_paper_id()`)."""

    PAPER_BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "toggle_star", "Star"),
        Binding("t", "edit_tags", "Tags"),
        Binding("n", "edit_note", "Note"),
        *(
            Binding(
                key,
                f"set_status('{status}')",
                status.capitalize(),
                show=status in ("later", "read"),
            )
            for status, key in STATUS_KEYS.items()
        ),
        Binding("m", "more_like_this", "Similar"),
        Binding("o", "open_link", "Open link", show=False),
        Binding("y", "copy", "Copy", show=False),
        Binding("space", "next_paper", "Next", show=False),
        Binding("c", "resolve_clash", "Resolve clash", show=False),
        Binding("exclamation_mark", "show_problems", "Problems", show=False, key_display="!"),
        Binding("ctrl+z,U", "undo", "Undo last change", show=False),
    ]

    # Provided by the Screen this is mixed into.
    app: Any
    current_paper_id: Callable[[], str | None]

    def after_decision(self, paper_id: str) -> None:
        """Hook for triage mode (main screen); nothing by default."""

    def flush_pending(self) -> None:
        """Hook for screens holding unsaved input; nothing by default."""

    @property
    def _library(self) -> Library | None:
        return self.app.library  # type: ignore[no-any-return]

    def _refuse_read_only(self, library: Library, paper_id: str) -> bool:
        """Say why this paper's notes cannot be changed; True when they cannot."""
        reason = library.read_only_reason(paper_id)
        if reason is None:
            return False
        self.app.notify(
            f"Notes are read-only: {reason}. If a sync left this file conflicted, press c.",
            severity="error",
            timeout=8,
        )
        return True

    def _change(self, paper_id: str, job: Any, *, decision: bool = False) -> None:
        library = self._library
        if library is None:
            return
        if self._refuse_read_only(library, paper_id):
            return

        def done(result: Any) -> None:
            self.app.broadcast_notes_changed([paper_id])
            message = getattr(result, "message", None)
            if message:
                self.app.notify(message, severity="warning", timeout=8)

        self.app.run_write(lambda: job(library), done)
        if decision:
            self.after_decision(paper_id)

    def action_toggle_star(self) -> None:
        paper_id = self.current_paper_id()
        if paper_id is not None:
            # Not a triage decision: star, then say later/read/skip, which moves on.
            self._change(paper_id, lambda lib: lib.star(paper_id))

    def action_set_status(self, status: str) -> None:
        paper_id = self.current_paper_id()
        if paper_id is not None and status in STATUSES:
            self._change(paper_id, lambda lib: lib.set_status(paper_id, status), decision=True)

    def action_edit_tags(self) -> None:
        from paperdeck.tui.dialogs import TagDialog

        library = self._library
        paper_id = self.current_paper_id()
        if library is None or paper_id is None:
            return
        current = library.annotation(paper_id).tags
        known = sorted(library.all_tags())

        def chosen(tags: list[str] | None) -> None:
            if tags is None:
                return
            add = [tag for tag in tags if tag not in current]
            remove = [tag for tag in current if tag not in tags]
            if add or remove:
                self._change(paper_id, lambda lib: lib.tag(paper_id, add, remove))

        self.app.push_screen(TagDialog(library.paper(paper_id).title, current, known), chosen)

    def action_edit_note(self) -> None:
        from paperdeck.tui.dialogs import NoteEditor

        library = self._library
        paper_id = self.current_paper_id()
        if library is None or paper_id is None:
            return
        if self._refuse_read_only(library, paper_id):
            return
        paper = library.paper(paper_id)
        self.app.push_screen(NoteEditor(paper.id, paper.title, library.annotation(paper_id).note))

    def action_resolve_clash(self) -> None:
        from paperdeck.sync.note_clash import has_clash
        from paperdeck.tui.screens.clash import ClashScreen

        library = self._library
        paper_id = self.current_paper_id()
        if library is None or paper_id is None:
            return
        if library.read_only_reason(paper_id) is not None:
            self.app.run_worker(
                lambda: self._find_file_conflict(library, paper_id),
                thread=True,
                group="sync",
                exclusive=True,
            )
            return
        note = library.annotation(paper_id).note
        if not has_clash(note):
            self.app.notify("This paper's note holds no clash to resolve.", timeout=3)
            return

        def resolved(text: str | None) -> None:
            if text == "\0edit":
                self.action_edit_note()
            elif text is not None:
                self._change(paper_id, lambda lib: lib.set_note(paper_id, text))

        self.app.push_screen(ClashScreen(library.paper(paper_id).title, note), resolved)

    # --- a notes file git could not merge ---------------------------------------------------------

    def _find_file_conflict(self, library: Library, paper_id: str) -> None:
        """Worker thread: ask git whether a stopped sync left this paper's file conflicted."""
        found = next((c for c in library.file_clashes() if c.paper_id == paper_id), None)
        if found is None:
            reason = library.read_only_reason(paper_id)
            self.app.call_from_thread(
                self.app.notify,
                f"Notes are read-only: {reason}. This is not a sync conflict: fix the file by "
                "hand (paperdeck picks it up within a second).",
                severity="error",
                timeout=10,
            )
            return
        self.app.call_from_thread(self._show_file_conflict, library, found)

    def _show_file_conflict(self, library: Library, conflict: FileClash) -> None:
        from paperdeck.tui.screens.fileclash import EDIT, FileClashScreen, NotesFileEditor

        title = (
            library.paper(conflict.paper_id).title
            if library.corpus.get(conflict.paper_id)
            else conflict.paper_id
        )

        def edited(text: str | None) -> None:
            if text is not None:
                self._resolve_file_conflict(library, conflict, None, text)

        def chosen(choice: str | None) -> None:
            if choice == EDIT:
                current = (conflict.current or b"").decode("utf-8", "replace")
                self.app.push_screen(
                    NotesFileEditor(conflict.relative, conflict.paper_id, current), edited
                )
            elif choice is not None:
                self._resolve_file_conflict(library, conflict, choice, None)

        self.app.push_screen(FileClashScreen(title, conflict), chosen)

    def _resolve_file_conflict(
        self, library: Library, conflict: FileClash, choice: str | None, text: str | None
    ) -> None:
        from paperdeck.notes.toml_format import NotesFileError

        self.app.notify("Writing your choice and finishing the sync…", timeout=3)

        def job() -> None:
            try:
                report, changed = library.resolve_file_clash(conflict, choice, text)
            except (ValueError, NotesFileError) as error:
                self.app.call_from_thread(self.app.notify, str(error), severity="error", timeout=10)
                return
            self.app.call_from_thread(self.app.sync_finished, report, changed)

        self.app.run_worker(job, thread=True, group="sync", exclusive=True)

    def action_more_like_this(self) -> None:
        paper_id = self.current_paper_id()
        if paper_id is None:
            return
        from paperdeck.tui.screens.main import MainScreen

        main = next((s for s in self.app.screen_stack if isinstance(s, MainScreen)), None)
        if main is None:
            return
        while self.app.screen is not main:
            self.app.pop_screen()
        main.show_similar(paper_id)

    def action_open_link(self) -> None:
        from paperdeck.tui.dialogs import ChoiceDialog

        library = self._library
        paper_id = self.current_paper_id()
        if library is None or paper_id is None:
            return
        links = library.paper(paper_id).links
        if not links:
            self.app.notify("This paper has no links.", timeout=3)
        elif len(links) == 1:
            self._open(links[0])
        else:
            self.app.push_screen(
                ChoiceDialog("Open which link?", [(link, link) for link in links]),
                lambda link: self._open(link) if link else None,
            )

    def _open(self, link: str) -> None:
        """Open `link` in a browser; with none, copy it instead. A hostile link is never used."""
        import webbrowser

        from paperdeck.safe_text import is_safe_link, terminal_safe

        if not is_safe_link(link):
            self.app.notify(
                f"Not opened: this link holds control characters or spaces: {terminal_safe(link)}",
                severity="error",
                timeout=8,
            )
            return
        if self.app.is_web:
            self.app.open_url(link)  # the browser showing the app opens it
            self.app.notify(f"Opening {link}", timeout=3)
            return
        try:
            opened = webbrowser.open(link)
        except webbrowser.Error:
            opened = False
        if opened:
            self.app.notify(f"Opening {link}", timeout=3)
        else:
            self.app.copy_to_clipboard(link)
            self.app.notify(
                f"No browser could be opened; the link is copied to the clipboard instead: {link}",
                severity="warning",
                timeout=8,
            )

    def action_copy(self) -> None:
        from paperdeck.safe_text import is_safe_link, terminal_safe
        from paperdeck.tui.dialogs import ChoiceDialog

        library = self._library
        paper_id = self.current_paper_id()
        if library is None or paper_id is None:
            return
        paper = library.paper(paper_id)
        pick_link = "\0links"
        # What is copied is pasted into terminals later: the title goes neutralised (an ESC in
        # it could end a bracketed paste), BibTeX is neutralised by the export.
        choices = [
            (f"ID      {paper.id}", paper.id),
            (f"Title   {paper.title}", terminal_safe(paper.title)),
            ("BibTeX  entry", bibtex_entry(paper, library.annotation(paper_id))),
        ]
        if len(paper.links) == 1:
            choices.append((f"Link    {paper.links[0]}", paper.links[0]))
        elif paper.links:
            choices.append((f"Link    one of {len(paper.links)}…", pick_link))

        def copy(text: str | None) -> None:
            if text == pick_link:
                self.app.push_screen(
                    ChoiceDialog("Copy which link?", [(link, link) for link in paper.links]),
                    copy,
                )
            elif text in paper.links and not is_safe_link(text):
                self.app.notify(
                    "Not copied: this link holds control characters or spaces: "
                    + terminal_safe(text),
                    severity="error",
                    timeout=8,
                )
            elif text:
                self.app.copy_to_clipboard(text)
                self.app.notify("Copied to the clipboard.", timeout=3)

        self.app.push_screen(ChoiceDialog("Copy what?", choices), copy)

    def action_show_problems(self) -> None:
        from paperdeck.tui.screens.problems import ProblemsScreen

        library = self._library
        if library is not None:
            self.app.push_screen(ProblemsScreen(library.problems()))

    # --- undo -------------------------------------------------------------------------------------

    def action_undo(self) -> None:
        """Undo the newest change of any paper (made here or by `paperdeck` in a shell)."""
        library = self._library
        if library is None:
            return

        def done(outcome: UndoOutcome) -> None:
            if outcome.paper_id is not None:  # repaint it even when refused: it changed on disk
                self.app.broadcast_notes_changed([outcome.paper_id])
            severity = "information" if outcome.undone else "warning"
            self.app.notify(outcome.message, severity=severity, timeout=8)

        self.app.run_write(library.undo, done)
