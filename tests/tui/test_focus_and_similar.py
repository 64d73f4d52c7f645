"""tab moves between the panes, escape leaves the sidebar; `m` and escape keep the search."""

from __future__ import annotations

from pathlib import Path

from tests.tui.conftest import BOOT, settle, wait_ready
from textual.widgets import Input

from paperdeck.tui.app import PaperdeckApp
from paperdeck.tui.widgets.paper_table import PaperTable
from paperdeck.tui.widgets.sidebar import ViewList

SIZE = (120, 40)


async def test_tab_cycles_list_sidebar_search_and_escape_leaves_the_sidebar(
    tui_corpus: Path,
) -> None:
    app = PaperdeckApp(tui_corpus)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(app, pilot)
        table = app.screen.query_one(PaperTable)
        views = app.screen.query_one(ViewList)
        search = app.screen.query_one("#search", Input)
        assert table.has_focus
        await pilot.press("tab")
        assert views.has_focus
        await pilot.press("tab")
        assert search.has_focus
        await pilot.press("tab")
        assert table.has_focus
        await pilot.press("shift+tab")
        assert search.has_focus
        await pilot.press("shift+tab", "shift+tab")
        assert table.has_focus
        # In the sidebar: choose a view, then escape goes back to the list.
        await pilot.press("tab", "down", "down", "enter")
        await settle(app, pilot)
        assert app.screen.view.key == "later"
        assert views.has_focus
        await pilot.press("escape")
        assert table.has_focus
        assert app.screen.view.key == "later", "escape leaves the sidebar, not the view"


async def test_more_like_this_then_escape_returns_to_the_search(tui_corpus: Path) -> None:
    app = PaperdeckApp(tui_corpus)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(app, pilot)
        table = app.screen.query_one(PaperTable)
        search = app.screen.query_one("#search", Input)
        await pilot.press("slash", *"diffusion", "enter")
        await settle(app, pilot)
        results = list(table.rows)
        assert BOOT in results and results[0] != BOOT
        table.cursor = results.index(BOOT)
        await pilot.pause()
        await pilot.press("m")
        await settle(app, pilot)
        similar = list(table.rows)
        assert similar != results and BOOT not in similar
        assert search.value == "", "the old query is not shown over the similar list"
        assert search.placeholder.startswith("More like: BOOT: Data-free Distillation")
        await pilot.press("escape")
        await settle(app, pilot)
        assert search.value == "diffusion"
        assert list(table.rows) == results
        assert table.current == BOOT
        assert not search.placeholder.startswith("More like")
        await pilot.press("escape")
        await settle(app, pilot)
        assert search.value == ""
        assert len(table.rows) == 187


async def test_typing_over_a_similar_list_starts_a_new_search(tui_corpus: Path) -> None:
    app = PaperdeckApp(tui_corpus)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(app, pilot)
        table = app.screen.query_one(PaperTable)
        await pilot.press("m")
        await settle(app, pilot)
        assert len(table.rows) <= 20
        await pilot.press("slash", *"graphgpt")
        await settle(app, pilot)
        assert len(table.rows) == 1
        search = app.screen.query_one("#search", Input)
        assert not search.placeholder.startswith("More like")
        await pilot.press("escape")  # nothing similar to go back to: clears the search
        await settle(app, pilot)
        assert search.value == "" and len(table.rows) == 187
