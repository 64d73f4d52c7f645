"""Actions on the current paper, shared by the main screen and the full-screen reader.

Every change goes through `Library` on the app's single writer thread, so it lands in the notes
file at once, in the order the user made it, without blocking the screen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel

from paperdeck.export import bibtex_entry
from paperdeck.library import STATUSES, FileClash, Library, NotesFileError, has_clash
from paperdeck.tui.base import PaperdeckBase, deck
from paperdeck.tui.keys_in_order import KeysInOrder
from paperdeck.tui.messages import MoreLikeThis

if TYPE_CHECKING:
    from paperdeck.library import UndoOutcome

STATUS_KEYS = {"unread": "u", "later": "l", "reading": "r", "read": "d", "skipped": "x"}


class PaperActions(KeysInOrder):
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
        Binding("c", "resolve_clash", "Resolve clash", show=False),
        Binding("exclamation_mark", "show_problems", "Problems", show=False, key_display="!"),
        Binding("ctrl+z,U", "undo", "Undo last change", show=False),
    ]

    # Provided by the Screen this is mixed into.
    app: Any
    current_paper_id: Callable[[], str | None]

    # Textual runs `_action_x` in place of `action_x` for a binding or `run_action("x")`; the
    # plain `action_edit_note` stays as it is for code that calls it directly.
    async def _action_edit_tags(self) -> None:
        await self.open_focused(self.action_edit_tags)

    async def _action_edit_note(self) -> None:
        await self.open_focused(self.action_edit_note)

    def after_decision(self, paper_id: str) -> None:
        """Hook for triage mode (main screen); nothing by default."""

    def flush_pending(self) -> None:
        """Hook for screens holding unsaved input; nothing by default."""

    @property
    def deck(self) -> PaperdeckBase:
        return deck(self.app)

    @property
    def library(self) -> Library:
        return self.deck.library

    @property
    def library_open(self) -> bool:
        """False until the main screen's worker has opened the library (keys can come before)."""
        return self.deck.library_open

    def _refuse_read_only(self, library: Library, paper_id: str) -> bool:
        """Say why this paper's notes cannot be changed; True when they cannot."""
        reason = library.read_only_reason(paper_id)
        if reason is None:
            return False
        self.deck.notify(
            f"Notes are read-only: {reason}. If a sync left this file conflicted, press c.",
            severity="error",
            timeout=8,
        )
        return True

    def _change(self, paper_id: str, job: Any, *, decision: bool = False) -> None:
        if not self.library_open:
            return
        library = self.library
        if self._refuse_read_only(library, paper_id):
            return

        def done(result: Any) -> None:
            self.deck.broadcast_notes_changed([paper_id])
            message = getattr(result, "message", None)
            if message:
                self.deck.notify(message, severity="warning", timeout=8)

        self.deck.run_write(lambda: job(library), done)
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

        paper_id = self.current_paper_id()

        if not self.library_open or paper_id is None:
            return

        library = self.library
        current = library.annotation(paper_id).tags
        known = sorted(library.all_tags())

        def chosen(tags: list[str] | None) -> None:
            if tags is None:
                return
            add = [tag for tag in tags if tag not in current]
            remove = [tag for tag in current if tag not in tags]
            if add or remove:
                self._change(paper_id, lambda lib: lib.tag(paper_id, add, remove))

        self.deck.push_screen(TagDialog(library.paper(paper_id).title, current, known), chosen)

    def action_edit_note(self) -> None:
        from paperdeck.tui.note_editor import NoteEditor

        paper_id = self.current_paper_id()

        if not self.library_open or paper_id is None:
            return

        library = self.library
        if self._refuse_read_only(library, paper_id):
            return
        paper = library.paper(paper_id)
        self.deck.push_screen(NoteEditor(paper.id, paper.title, library.annotation(paper_id).note))

    def action_resolve_clash(self) -> None:
        from paperdeck.tui.screens.clash import ClashScreen

        paper_id = self.current_paper_id()

        if not self.library_open or paper_id is None:
            return

        library = self.library
        if library.read_only_reason(paper_id) is not None:
            self.deck.run_worker(
                lambda: self._find_file_conflict(library, paper_id),
                thread=True,
                group="sync",
                exclusive=True,
            )
            return
        note = library.annotation(paper_id).note
        if not has_clash(note):
            self.deck.notify("This paper's note holds no clash to resolve.", timeout=3)
            return

        def resolved(text: str | None) -> None:
            if text == "\0edit":
                self.action_edit_note()
            elif text is not None:
                self._change(paper_id, lambda lib: lib.set_note(paper_id, text))

        self.deck.push_screen(ClashScreen(library.paper(paper_id).title, note), resolved)

    # --- a notes file git could not merge ---------------------------------------------------------

    def _find_file_conflict(self, library: Library, paper_id: str) -> None:
        """Worker thread: ask git whether a stopped sync left this paper's file conflicted."""
        found = next((c for c in library.file_clashes() if c.paper_id == paper_id), None)
        if found is None:
            reason = library.read_only_reason(paper_id)
            self.deck.call_from_thread(
                self.deck.notify,
                f"Notes are read-only: {reason}. This is not a sync conflict: fix the file by "
                "hand (paperdeck picks it up within a second).",
                severity="error",
                timeout=10,
            )
            return
        self.deck.call_from_thread(self._show_file_conflict, library, found)

    def _show_file_conflict(self, library: Library, conflict: FileClash) -> None:
        from paperdeck.tui.screens.fileclash import EDIT, FileClashScreen, NotesFileEditor

        title = (
            library.paper(conflict.paper_id).title
            if library.has_paper(conflict.paper_id)
            else conflict.paper_id
        )

        def edited(text: str | None) -> None:
            if text is not None:
                self._resolve_file_conflict(library, conflict, None, text)

        def chosen(choice: str | None) -> None:
            if choice == EDIT:
                current = (conflict.current or b"").decode("utf-8", "replace")
                self.deck.push_screen(
                    NotesFileEditor(conflict.relative, conflict.paper_id, current), edited
                )
            elif choice is not None:
                self._resolve_file_conflict(library, conflict, choice, None)

        self.deck.push_screen(FileClashScreen(title, conflict), chosen)

    def _resolve_file_conflict(
        self, library: Library, conflict: FileClash, choice: str | None, text: str | None
    ) -> None:
        self.deck.notify("Writing your choice and finishing the sync…", timeout=3)

        def job() -> None:
            try:
                report, changed = library.resolve_file_clash(conflict, choice, text)
            except (ValueError, NotesFileError) as error:
                self.deck.call_from_thread(
                    self.deck.notify, str(error), severity="error", timeout=10
                )
                return
            self.deck.call_from_thread(self.deck.sync_finished, report, changed)

        self.deck.run_worker(job, thread=True, group="sync", exclusive=True)

    def action_more_like_this(self) -> None:
        paper_id = self.current_paper_id()
        if paper_id is None:
            return
        self.deck.post_message(MoreLikeThis(paper_id))

    def action_open_link(self) -> None:
        from paperdeck.tui.dialogs import ChoiceDialog

        paper_id = self.current_paper_id()

        if not self.library_open or paper_id is None:
            return

        library = self.library
        links = library.paper(paper_id).links
        if not links:
            self.deck.notify("This paper has no links.", timeout=3)
        elif len(links) == 1:
            self._open(links[0])
        else:
            self.deck.push_screen(
                ChoiceDialog("Open which link?", [(link, link) for link in links]),
                lambda link: self._open(link) if link else None,
            )

    def _open(self, link: str) -> None:
        """Open `link` in a browser; with none, copy it instead. A hostile link is never used."""
        import webbrowser

        from paperdeck.safe_text import is_safe_link, terminal_safe

        if not is_safe_link(link):
            self.deck.notify(
                f"Not opened: this link holds control characters or spaces: {terminal_safe(link)}",
                severity="error",
                timeout=8,
            )
            return
        if self.deck.is_web:
            self.deck.open_url(link)  # the browser showing the app opens it
            self.deck.notify(f"Opening {link}", timeout=3)
            return
        try:
            opened = webbrowser.open(link)
        except webbrowser.Error:
            opened = False
        if opened:
            self.deck.notify(f"Opening {link}", timeout=3)
        else:
            self.deck.copy_to_clipboard(link)
            self.deck.notify(
                f"No browser could be opened; the link is copied to the clipboard instead: {link}",
                severity="warning",
                timeout=8,
            )

    def action_copy(self) -> None:
        from paperdeck.safe_text import is_safe_link, terminal_safe
        from paperdeck.tui.dialogs import ChoiceDialog

        paper_id = self.current_paper_id()

        if not self.library_open or paper_id is None:
            return

        library = self.library
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
                self.deck.push_screen(
                    ChoiceDialog("Copy which link?", [(link, link) for link in paper.links]),
                    copy,
                )
            elif text in paper.links and not is_safe_link(text):
                self.deck.notify(
                    "Not copied: this link holds control characters or spaces: "
                    + terminal_safe(text),
                    severity="error",
                    timeout=8,
                )
            elif text:
                self.deck.copy_to_clipboard(text)
                self.deck.notify("Copied to the clipboard.", timeout=3)

        self.deck.push_screen(ChoiceDialog("Copy what?", choices), copy)

    def action_show_problems(self) -> None:
        from paperdeck.tui.screens.problems import ProblemsScreen

        if not self.library_open:
            return
        library = self.library

        def find() -> None:
            """Problems may run git: found in a worker, shown when they are known."""
            problems = library.problems()
            self.deck.call_from_thread(self.deck.push_screen, ProblemsScreen(problems))

        self.deck.run_worker(find, thread=True, group="problems", exclusive=True)

    # --- undo -------------------------------------------------------------------------------------

    def action_undo(self) -> None:
        """Undo the newest change of any paper (made here or by `paperdeck` in a shell)."""
        if not self.library_open:
            return
        library = self.library

        def done(outcome: UndoOutcome) -> None:
            # Repaint them even when refused (they changed on disk); a batch undo names them all.
            looked_at = list(outcome.paper_ids) or (
                [outcome.paper_id] if outcome.paper_id is not None else []
            )
            if looked_at:
                self.deck.broadcast_notes_changed(looked_at)
            severity: SeverityLevel = "information" if outcome.undone else "warning"
            self.deck.notify(outcome.message, severity=severity, timeout=8)

        self.deck.run_write(library.undo, done)
