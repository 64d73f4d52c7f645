"""The full-screen reader is no dead end: `j`/`k` go through the list, and a decision there moves
on to the next unread paper in triage mode (and stays put outside it)."""

from __future__ import annotations

from pathlib import Path

from tests.tui.conftest import ReadyApp, notes_file, settle
from tests.tui.test_typed_ahead import burst
from textual.widgets import Static

from paperdeck.tui.screens.reader import ReaderScreen
from paperdeck.tui.widgets.paper_table import PaperTable


async def test_a_decision_in_the_reader_moves_on_in_triage_mode(
    tui_corpus: Path, ready_app: ReadyApp
) -> None:
    async with ready_app() as (app, pilot):
        table = app.screen.query_one(PaperTable)
        rows = list(table.rows)
        await pilot.press("T", "enter")
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        await pilot.press("x")
        await settle(app, pilot)
        assert reader.paper_id == rows[1]
        title = str(reader.query_one("#title", Static).render())
        assert app.library.paper(rows[1]).title[:20] in title
        await pilot.press("d", "l")
        await settle(app, pilot)
        assert reader.paper_id == rows[3]
        assert [notes_file(tui_corpus, i)["status"] for i in rows[:3]] == [
            "skipped",
            "read",
            "later",
        ]
        await pilot.press("escape")
        assert table.current == rows[3]
        label = str(app.screen.query_one("#triage-label", Static).render())
        assert label == f"Triage 3/{len(rows)}"


async def test_outside_triage_a_decision_in_the_reader_stays_on_the_paper(
    tui_corpus: Path, ready_app: ReadyApp
) -> None:
    async with ready_app() as (app, pilot):
        rows = list(app.screen.query_one(PaperTable).rows)
        await pilot.press("enter", "d")
        await settle(app, pilot)
        reader = app.screen
        assert isinstance(reader, ReaderScreen) and reader.paper_id == rows[0]
        assert notes_file(tui_corpus, rows[0])["status"] == "read"
        assert "read" in str(reader.query_one("#meta", Static).render())


async def test_a_key_typed_right_after_enter_acts_in_the_reader(
    tui_corpus: Path, ready_app: ReadyApp
) -> None:
    """`T`, enter and `x` `d` in one burst: the reader opens on the first paper and decides it
    and the next one (not the list, which has not yet seen the reader open)."""
    async with ready_app() as (app, pilot):
        rows = list(app.screen.query_one(PaperTable).rows)
        burst(app, "T", "enter", "x", "d")
        await settle(app, pilot)
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        assert [notes_file(tui_corpus, i)["status"] for i in rows[:2]] == ["skipped", "read"]
        assert reader.paper_id == rows[2]
