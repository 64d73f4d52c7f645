"""Every key does something: each binding names an action that exists where it runs.

A binding to a missing action is silently dead (as `tab` once was), and the help screen and the
footer would still list it, so this walks every paperdeck screen, dialog and widget.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from tests.tui.conftest import BOOT, GRAPHGPT, settle, wait_ready
from textual.actions import parse
from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Static

import paperdeck.tui
from paperdeck.problems import Problem
from paperdeck.tui.app import PaperdeckApp
from paperdeck.tui.screens.help import HelpScreen, binding_rows
from paperdeck.tui.screens.problems import ProblemsScreen
from paperdeck.tui.screens.reader import ReaderScreen
from paperdeck.tui.widgets.paper_table import STATUS_MARKS, PaperTable


def paperdeck_nodes() -> list[type[DOMNode]]:
    """Every screen, widget and app class defined in paperdeck.tui."""
    found: list[type[DOMNode]] = []
    for module_info in pkgutil.walk_packages(paperdeck.tui.__path__, "paperdeck.tui."):
        module = importlib.import_module(module_info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, DOMNode) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


def own_bindings(cls: type[DOMNode]) -> list[Binding]:
    """The bindings paperdeck declares for `cls` (its own and its paperdeck bases')."""
    bindings = []
    for base in cls.__mro__:
        if base.__module__.startswith("paperdeck."):
            for binding in base.__dict__.get("BINDINGS", []):
                bindings.extend(Binding.make_bindings([binding]))
    return bindings


def test_the_walk_finds_the_screens() -> None:
    names = {cls.__name__ for cls in paperdeck_nodes()}
    assert {"MainScreen", "ReaderScreen", "HelpScreen", "TagDialog", "PaperTable"} <= names


@pytest.mark.parametrize("cls", paperdeck_nodes(), ids=lambda cls: cls.__name__)
def test_every_binding_names_an_existing_action(cls: type[DOMNode]) -> None:
    for binding in own_bindings(cls):
        namespace, action, _args = parse(binding.action)
        if namespace == "app":
            target: type[object] = PaperdeckApp
        elif namespace in ("", "screen") and (namespace == "" or issubclass(cls, Screen | App)):
            target = cls
        else:
            pytest.fail(f"{cls.__name__}: {binding.key} → {binding.action}: unknown namespace")
        assert callable(getattr(target, f"action_{action}", None)), (
            f"{cls.__name__}: key {binding.key!r} runs {binding.action!r}, "
            f"but {target.__name__} has no action_{action}"
        )


async def test_help_lists_tab_and_explains_the_list_marks(tui_corpus: Path) -> None:
    app = PaperdeckApp(tui_corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(app, pilot)
        rows = dict((description, keys) for keys, description in binding_rows(app.screen))
        assert rows["Switch pane"] == "tab shift+tab"
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        legend = str(app.screen.query_one("#mark-legend", Static).render())
        for status, mark in STATUS_MARKS.items():
            assert f"{mark} {status}" in legend
        assert "★ starred" in legend


async def test_j_and_k_in_the_reader_go_to_the_next_and_previous_paper(tui_corpus: Path) -> None:
    app = PaperdeckApp(tui_corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(app, pilot)
        table = app.screen.query_one(PaperTable)
        rows = list(table.rows)
        table.cursor = rows.index(GRAPHGPT)
        await pilot.press("enter")
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("j")
        await settle(app, pilot)
        following = rows[rows.index(GRAPHGPT) + 1]
        assert app.screen.paper_id == following
        title = str(app.screen.query_one("#title", Static).render())
        assert app.library.paper(following).title[:20] in title
        await pilot.press("space", "down", "k")  # space and down scroll; k goes back
        await settle(app, pilot)
        assert app.screen.paper_id == GRAPHGPT
        await pilot.press("escape")
        assert table.current == GRAPHGPT  # the list followed the reader


@pytest.mark.parametrize(
    ("count", "title"), [(0, "No problems"), (1, "1 problem"), (3, "3 problems")]
)
async def test_problems_screen_counts_in_words(tui_corpus: Path, count: int, title: str) -> None:
    problems = [Problem(f"notes/{BOOT}.toml", n + 1, "bad line") for n in range(count)]
    app = PaperdeckApp(tui_corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(app, pilot, index=False)
        app.push_screen(ProblemsScreen(problems))
        await pilot.pause()
        assert str(app.screen.query_one("#dialog-title", Static).render()) == title
