"""The paperdeck Textual app: opens the library off the UI thread and hosts the screens."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
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
        super().__init__()
        self.corpus_path: Path = resolve_corpus_path(corpus)
        self.config = config or Config.load()
        if self.config.theme in self.available_themes:
            self.theme = self.config.theme

    def on_mount(self) -> None:
        self.sub_title = str(self.corpus_path)
        self.push_screen(MainScreen(self.corpus_path))

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

    async def action_quit(self) -> None:
        flush = getattr(self.screen, "flush_pending", None)
        if flush is not None:
            flush()
        # Wait for pending writes without blocking the event loop their callbacks need.
        await asyncio.to_thread(self._writer.shutdown, wait=True)
        if self.library_open:
            self.library.close()
        self.exit()
