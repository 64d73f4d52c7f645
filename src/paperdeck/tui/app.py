"""The paperdeck Textual app: opens the library off the UI thread and hosts the screens."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.notifications import SeverityLevel

from paperdeck.config import Config
from paperdeck.library import Library, resolve_corpus_path
from paperdeck.notes.drafts import DraftStore
from paperdeck.safe_text import terminal_safe
from paperdeck.sync.run import SyncReport
from paperdeck.tui.commands import PaperdeckCommands


class NotesChanged(Message):
    """A paper's notes changed (in this app or on disk); every screen repaints what shows it."""

    def __init__(self, paper_ids: list[str]) -> None:
        super().__init__()
        self.paper_ids = paper_ids


class PaperdeckApp(App[None]):
    CSS_PATH = "paperdeck.tcss"
    TITLE = "paperdeck"
    COMMANDS: ClassVar = App.COMMANDS | {PaperdeckCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(
        self, corpus: str | os.PathLike[str] | None = None, *, config: Config | None = None
    ) -> None:
        super().__init__()
        self.corpus_path: Path = resolve_corpus_path(corpus)
        self.config = config or Config.load()
        self.library: Library | None = None
        self.drafts = DraftStore(self.corpus_path)  # unsaved note text, outside the corpus
        # One writer thread: notes changes land in the order the user made them.
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="paperdeck-writer")
        if self.config.theme in self.available_themes:
            self.theme = self.config.theme

    def on_mount(self) -> None:
        from paperdeck.tui.screens.main import MainScreen

        self.sub_title = str(self.corpus_path)
        self.push_screen(MainScreen())
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGHUP):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(signum, self._stop_on_signal, signum)

    def _stop_on_signal(self, signum: int) -> None:
        """SIGTERM: save what is typed, then exit as on `q`; SIGHUP (terminal closed): save, go.

        Exiting through Textual is what restores the terminal (alternate screen left, cursor
        shown, mouse reporting off). After SIGHUP there is no terminal to restore: Textual's
        output thread dies on its first write and the app would then block, so once the notes
        are written the process ends at once.
        """
        if signum != signal.SIGHUP:
            self.call_later(self.action_quit)
            return
        self._flush_editors()

        def finish() -> None:
            self._writer.shutdown(wait=True)
            if self.library is not None:
                with contextlib.suppress(Exception):
                    self.library.close()
            os._exit(128 + signum)

        threading.Thread(target=finish, name="paperdeck-hangup", daemon=True).start()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Toasts quote data (titles, links, file errors): never read as markup, never escapes."""
        super().notify(
            terminal_safe(message),
            title=terminal_safe(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def watch_theme(self, theme: str) -> None:
        if theme != self.config.theme:
            self.config.theme = theme
            try:
                self.config.save()
            except OSError as error:
                self.notify(f"Could not save the theme choice: {error}", severity="warning")

    def run_write(self, job: Callable[[], Any], done: Callable[[Any], None] | None = None) -> None:
        """Run a notes change on the writer thread; report failures as notifications."""

        def deliver(call: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
            if threading.get_ident() == self._thread_id:
                call(*args, **kwargs)  # the job was done before add_done_callback: on our thread
            else:
                self.call_from_thread(call, *args, **kwargs)

        def finished(future: Future[Any]) -> None:
            error = future.exception()
            try:
                if error is not None:
                    deliver(self.notify, f"Not saved: {error}", severity="error", timeout=8)
                elif done is not None:
                    deliver(done, future.result())
            except RuntimeError:
                pass  # the app has already stopped; the write itself is done

        self._writer.submit(job).add_done_callback(finished)

    def broadcast_notes_changed(self, paper_ids: list[str]) -> None:
        for screen in self.screen_stack:
            screen.post_message(NotesChanged(paper_ids))

    def sync_finished(self, report: SyncReport, changed: list[str]) -> None:
        """A sync (the `S` key, or resolving a conflicted file) is done: tell the main screen."""
        from paperdeck.tui.screens.main import MainScreen

        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.sync_done(report, changed)

    def action_help(self) -> None:
        from paperdeck.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def _flush_editors(self) -> None:
        for screen in reversed(self.screen_stack):  # a note editor under another dialog too
            flush = getattr(screen, "flush_pending", None)
            if flush is not None:
                flush()

    async def action_quit(self) -> None:
        self._flush_editors()
        # Wait for pending writes without blocking the event loop their callbacks need.
        await asyncio.to_thread(self._writer.shutdown, wait=True)
        if self.library is not None:
            self.library.close()
        self.exit()
