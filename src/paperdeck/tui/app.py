"""The paperdeck Textual app: opens the library off the UI thread and hosts the screens."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType

from paperdeck.library import Config, resolve_corpus_path
from paperdeck.tui.base import PaperdeckBase
from paperdeck.tui.commands import PaperdeckCommands
from paperdeck.tui.messages import MoreLikeThis
from paperdeck.tui.screens.help import HelpScreen
from paperdeck.tui.screens.main import MainScreen


class PaperdeckApp(PaperdeckBase):
    CSS_PATH = "paperdeck.tcss"
    TITLE = "paperdeck"
    COMMANDS: ClassVar = PaperdeckBase.COMMANDS | {PaperdeckCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(
        self, corpus: str | os.PathLike[str] | None = None, *, config: Config | None = None
    ) -> None:
        super().__init__(resolve_corpus_path(corpus))
        self.config = config or Config.load()
        self._stopped_by: int | None = None  # the signal that asked the app to stop
        if self.config.theme in self.available_themes:
            self.theme = self.config.theme

    def on_mount(self) -> None:
        self.sub_title = str(self.corpus_path)
        self.push_screen(MainScreen(self.corpus_path))
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(signum, self._stop_on_signal, signum)

    def _stop_on_signal(self, signum: int) -> None:
        """SIGTERM or a SIGINT from outside (Ctrl+C in the app is a key): save what is typed,
        then exit as on `q`; SIGHUP (terminal closed): save, go.

        Exiting through Textual is what restores the terminal (alternate screen left, cursor
        shown, mouse reporting off). After SIGHUP there is no terminal to restore: Textual's
        output thread dies on its first write and the app would then block, so once the notes
        are written the process ends at once.
        """
        if signum != signal.SIGHUP:
            self._stopped_by = signum  # exit status 128 + 15 (or 2), as a signal ended it
            self.call_later(self.action_quit)
            return
        self._flush_editors()

        def finish() -> None:
            self._writer.shutdown(wait=True)
            if self.library_open:
                with contextlib.suppress(Exception):
                    self.library.close()
            os._exit(128 + signum)

        threading.Thread(target=finish, name="paperdeck-hangup", daemon=True).start()

    def watch_theme(self, theme: str) -> None:
        if theme != self.config.theme:
            self.config.theme = theme
            try:
                self.config.save()
            except OSError as error:
                self.notify(f"Could not save the theme choice: {error}", severity="warning")

    @on(MoreLikeThis)
    def _more_like_this(self, event: MoreLikeThis) -> None:
        """`m` on any screen: back to the main screen, listing the papers like this one."""
        main = next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)
        if main is None:
            return
        while self.screen is not main:
            self.pop_screen()
        main.show_similar(event.paper_id)

    def action_help(self) -> None:
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
        if self.library_open:
            self.library.close()
        self.exit(return_code=128 + self._stopped_by if self._stopped_by else 0)
