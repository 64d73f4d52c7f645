"""The main screen, in parts: the listing state (`listing`), search, similar and triage."""

from paperdeck.tui.screens.main.screen import MainScreen

__all__ = ["MainScreen"]
