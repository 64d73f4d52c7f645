"""The `?` help screen, generated from the bindings of the screen it was opened over."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from paperdeck.tui.widgets.paper_table import (
    COMMENTS_MARK,
    MARKED_MARK,
    NOTE_MARK,
    READ_ONLY_MARK,
    STAR_MARK,
    STATUS_MARKS,
)

QUERY_HELP = """\
Search: words match title, abstract, tags and note · "exact phrase" · diffu* · difusion~
title: abstract: tag: note: status: · is:starred is:unread … · AND OR NOT ( ) · -word
date:2024  date:2023-06..2024-01  date:>2024-03 · comments:>5"""


def mark_legend() -> str:
    """What the marks before each title in the list mean, from the marks the list draws."""
    statuses = "  ".join(f"{mark} {status}" for status, mark in STATUS_MARKS.items())
    return (
        f"List marks: {STAR_MARK} starred · {statuses} · {NOTE_MARK} has a note\n"
        f"{READ_ONLY_MARK} unreadable notes file (read-only) · italic title: made from the abstract"
        f"\nAfter the title (when there is room): #tags · {COMMENTS_MARK}N comments · the date"
        f"\n{MARKED_MARK} marked (space, v): status keys, s and t then act on every marked paper"
    )


def binding_rows(screen: Screen[object]) -> list[tuple[str, str]]:
    """(keys, description) for every action reachable from `screen`, app bindings included."""
    rows: dict[str, list[str]] = {}
    for node, binding, enabled, _tooltip in screen.active_bindings.values():
        # paperdeck's own keys only: not the scrolling and editing keys every widget inherits
        if not enabled or not binding.description or not _ours(node, binding):
            continue
        key = binding.key_display or screen.app.get_key_display(binding)
        rows.setdefault(binding.description, [])
        if key not in rows[binding.description]:
            rows[binding.description].append(key)
    for binding in getattr(screen, "BINDINGS", []):
        if isinstance(binding, Binding) and binding.description and binding.description not in rows:
            rows[binding.description] = [binding.key_display or binding.key.split(",")[0]]
    return [(" ".join(keys), description) for description, keys in rows.items()]


def _ours(node: object, binding: Binding) -> bool:
    """Declared by a paperdeck class itself, not inherited from a Textual widget or screen."""
    for cls in type(node).__mro__:
        if cls.__module__.startswith("paperdeck.") and any(
            isinstance(own, Binding) and own.action == binding.action
            for own in cls.__dict__.get("BINDINGS", [])
        ):
            return True
    return False


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "app.pop_screen", "Close"),
    ]

    def __init__(self, over: Screen[object]) -> None:
        super().__init__()
        self._over = over

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, pad_edge=False)
        table.add_column(style="bold")
        table.add_column()
        for keys, description in binding_rows(self._over):
            table.add_row(keys, description)
        table.add_row("ctrl+p", "Command palette (every action, sort, theme)")
        with VerticalScroll(id="help"):
            yield Static("paperdeck keys", id="dialog-title")
            yield Static(mark_legend(), id="mark-legend", markup=False)
            yield Static(table)
            yield Static(QUERY_HELP, id="query-help")
            yield Static("escape closes", classes="dialog-help")
