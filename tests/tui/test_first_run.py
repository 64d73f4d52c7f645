"""A query typed while the index is built: titles filter the list until the index answers."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from tests.tui.conftest import GRAPHGPT, notes_file, settle, wait_ready
from textual.widgets import Static

from paperdeck.library import Library
from paperdeck.search.index import SearchIndex
from paperdeck.tui.app import PaperdeckApp
from paperdeck.tui.widgets.paper_table import PaperTable

SIZE = (120, 40)


@pytest.fixture
def held_index(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Opening the index waits until the test sets the returned event."""
    release = threading.Event()
    real = Library.open_index

    def held(self: Library, progress=None) -> SearchIndex:  # type: ignore[no-untyped-def]
        release.wait(timeout=30)
        return real(self, progress)

    monkeypatch.setattr(Library, "open_index", held)
    return release


async def written(app: PaperdeckApp, pilot) -> None:  # type: ignore[no-untyped-def]
    """Let the writer thread finish (`settle` would wait for the held index worker too)."""
    await pilot.pause(0.2)
    app._writer.submit(lambda: None).result(timeout=10)
    await pilot.pause()
    assert app.library.index is None, "the index stays held until the test releases it"


def status_line(app: PaperdeckApp) -> str:
    return str(app.screen.query_one("#status-line", Static).render())


async def test_query_typed_while_indexing_filters_titles_then_runs(
    tui_corpus: Path, held_index: threading.Event
) -> None:
    app = PaperdeckApp(tui_corpus)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(250):  # the list, not the index (wait_ready would wait for the index)
            await pilot.pause(0.02)
            if app.library_open:
                break
        table = app.screen.query_one(PaperTable)
        assert len(table.rows) == 187
        await pilot.press("slash", *"EULERIAN transformer", "enter")
        await pilot.pause(0.5)
        assert app.library.index is None
        assert list(table.rows) == [GRAPHGPT]
        assert "index not ready, matching titles only" in status_line(app)
        await pilot.press("s")  # stars the paper shown, not whatever was first before
        await written(app, pilot)
        assert notes_file(tui_corpus, GRAPHGPT)["starred"] is True
        held_index.set()
        await wait_ready(app, pilot)
        await settle(app, pilot)
        assert list(table.rows) == [GRAPHGPT]
        assert status_line(app).startswith("1 match ·")
        await pilot.press("s")
        await settle(app, pilot)
        assert notes_file(tui_corpus, GRAPHGPT).get("starred", False) is False
        assert len(list((tui_corpus / "notes").glob("*.toml"))) == 1


async def test_query_typed_before_the_list_is_loaded_is_not_lost(
    tui_corpus: Path, held_index: threading.Event
) -> None:
    app = PaperdeckApp(tui_corpus)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"eulerian")  # at once: the corpus is still being read
        for _ in range(250):
            await pilot.pause(0.02)
            if app.library_open:
                break
        await pilot.pause(0.5)
        table = app.screen.query_one(PaperTable)
        assert list(table.rows) == [GRAPHGPT]
        # A word no title holds keeps every paper listed, never an empty list.
        await pilot.press(*" bootstrapped")
        await pilot.pause(0.5)
        assert len(table.rows) == 187
        assert "index not ready" in status_line(app)
        held_index.set()
        await wait_ready(app, pilot)
        await settle(app, pilot)
        assert "match" in status_line(app) and "not ready" not in status_line(app)
