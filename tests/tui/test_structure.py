"""The TUI's structure (issue 14): the UI thread never waits on the index or on git, and the
app's library is typed and guarded while it is still being opened."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from tests.tui.conftest import ReadyApp, settle

from paperdeck.library import Library
from paperdeck.search.index import SearchIndex
from paperdeck.tui.app import PaperdeckApp
from paperdeck.tui.screens.problems import ProblemsScreen
from paperdeck.tui.widgets.paper_table import PaperTable
from paperdeck.tui.widgets.paper_view import PaperView


def record_threads(monkeypatch: pytest.MonkeyPatch, owner: type, name: str) -> list[bool]:
    """Wrap `owner.name`; each call appends whether it ran on the main (UI) thread."""
    original = getattr(owner, name)
    on_ui: list[bool] = []

    def recorded(*args: Any, **kwargs: Any) -> Any:
        on_ui.append(threading.current_thread() is threading.main_thread())
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, recorded)
    return on_ui


async def test_highlights_are_found_in_workers_not_on_the_ui_thread(
    ready_app: ReadyApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_ui = record_threads(monkeypatch, SearchIndex, "highlights")
    async with ready_app() as (app, pilot):
        await pilot.press("slash", *"diffusion distillation")
        await settle(app, pilot)
        table = app.screen.query_one(PaperTable)
        await pilot.press("enter", "down", "down")  # the pane follows the cursor
        await settle(app, pilot)
        title = str(app.screen.query_one(PaperView).query_one("#title").render())
        assert table.current is not None
        assert title == app.library.paper(table.current).title
        await pilot.press("enter")  # the full-screen reader marks them too
        await settle(app, pilot)
    assert on_ui and not any(on_ui), "the index was asked for highlights on the UI thread"


async def test_the_pane_marks_the_matches_of_the_paper_under_the_cursor(
    ready_app: ReadyApp,
) -> None:
    async with ready_app() as (app, pilot):
        await pilot.press("slash", *"distillation", "enter", "down")
        await settle(app, pilot)
        abstract = app.screen.query_one(PaperView).query_one("#abstract").render()
        marked = [abstract.plain[s.start : s.end] for s in abstract.spans if s.style]
        assert any(word.casefold().startswith("distill") for word in marked), marked


async def test_problems_are_found_in_a_worker(
    ready_app: ReadyApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with ready_app() as (app, pilot):
        on_ui = record_threads(monkeypatch, Library, "problems")
        await pilot.press("exclamation_mark")
        await settle(app, pilot)
        assert isinstance(app.screen, ProblemsScreen)
    assert on_ui == [False], "problems (which may run git) were looked for on the UI thread"


async def test_the_library_is_typed_and_guarded_until_it_is_open(
    tui_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from paperdeck.tui.base import LibraryNotOpen

    opening = threading.Event()
    original = Library.open.__func__  # type: ignore[attr-defined]

    def slow_open(cls: type[Library], *args: Any, **kwargs: Any) -> Library:
        opening.wait(timeout=10)
        return original(cls, *args, **kwargs)

    monkeypatch.setattr(Library, "open", classmethod(slow_open))
    app = PaperdeckApp(tui_corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert not app.library_open
        with pytest.raises(LibraryNotOpen):
            _ = app.library
        # Keys that need the library do nothing (no traceback) while it is being opened.
        await pilot.press("s", "U", "exclamation_mark", "S", "O")
        await pilot.pause()
        opening.set()
        await settle(app, pilot)
        assert app.library_open and isinstance(app.library, Library)
        assert not app.library.annotation(app.screen.query_one(PaperTable).rows[0]).starred
