"""The app's messages: how screens and dialogs tell each other what happened.

This module imports nothing of the screens, so every part of the TUI can post and handle them.
"""

from __future__ import annotations

from textual.message import Message

from paperdeck.library import SyncReport


class NotesChanged(Message):
    """A paper's notes changed (in this app or on disk); every screen repaints what shows it."""

    def __init__(self, paper_ids: list[str]) -> None:
        super().__init__()
        self.paper_ids = paper_ids


class SyncFinished(Message):
    """A sync (the `S` key, or resolving a clashed file) is done: the main screen reports it."""

    def __init__(self, report: SyncReport, changed: list[str]) -> None:
        super().__init__()
        self.report = report
        self.changed = changed


class MoreLikeThis(Message):
    """List the papers like this one (`m`, from any screen): the main screen shows them."""

    def __init__(self, paper_id: str) -> None:
        super().__init__()
        self.paper_id = paper_id
