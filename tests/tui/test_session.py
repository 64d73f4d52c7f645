"""A restart comes back where the last session was: view, query, sort, the paper under the
cursor, compact mode and the pane size (in the user state folder, never in the notes)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tests.tui.conftest import GRAPHGPT, ReadyApp, settle
from textual.widgets import Input, OptionList

from paperdeck.tui.app import PaperdeckApp
from paperdeck.tui.widgets.paper_table import PaperTable


def table(app: PaperdeckApp) -> PaperTable:
    return app.screen.query_one(PaperTable)


async def test_view_sort_cursor_and_layout_come_back_after_a_restart(
    tui_corpus: Path, ready_app: ReadyApp
) -> None:
    async with ready_app() as (app, pilot):
        await pilot.press("right_square_bracket", "O")  # Unread, by date
        await settle(app, pilot)
        rows = list(table(app).rows)
        table(app).cursor = 5
        await pilot.press("greater_than_sign", "z")  # a wider list, then compact: both kept
        await settle(app, pilot)
        share = app.screen.reader_share
        await pilot.press("q")
    assert not list((tui_corpus / "notes").glob("*.json")), "the session is not in the notes"
    async with ready_app() as (app, pilot):
        screen = app.screen
        assert screen.listing.view.key == "unread" and screen.listing.sort == "date"
        assert table(app).current == rows[5]
        assert screen.compact and screen.reader_share == share == 40


async def test_a_query_comes_back_with_the_paper_it_was_on(ready_app: ReadyApp) -> None:
    async with ready_app() as (app, pilot):
        await pilot.press("slash", *"graph", "enter")
        await settle(app, pilot)
        table(app).cursor = list(table(app).rows).index(GRAPHGPT)
        await settle(app, pilot)
        await pilot.press("q")
    async with ready_app() as (app, pilot):
        assert app.screen.query_one("#search", Input).value == "graph"
        assert app.screen.listing.query == "graph"
        assert table(app).current == GRAPHGPT


async def test_the_sidebar_offers_new_and_the_arrival_days_and_files(ready_app: ReadyApp) -> None:
    async with ready_app() as (app, pilot):
        views = app.screen.query_one("#views", OptionList)
        ids = [views.get_option_at_index(i).id for i in range(views.option_count)]
        assert "new" in ids
        assert any(key and key.startswith("added:") for key in ids)
        assert any(key and key.startswith("source:") for key in ids)
        views.highlighted = ids.index("new")
        views.focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen.listing.view.key == "new"
        assert len(table(app).rows) == 187  # a first session: everything is new


async def test_a_damaged_session_file_is_ignored_with_a_message(
    tmp_path: Path, ready_app: ReadyApp
) -> None:
    async with ready_app() as (app, pilot):
        await pilot.press("q")
    saved = list((tmp_path / "state").rglob("session.json"))
    assert saved, "quitting saved the session"
    for path in saved:
        path.write_text("{ not json", encoding="utf-8")
    async with ready_app() as (app, pilot):
        shown = [notification.message for notification in app._notifications]
        assert any("session" in message.lower() for message in shown), shown
        assert app.screen.listing.view.key == "all"
        assert len(table(app).rows) == 187


async def test_a_saved_view_that_is_gone_falls_back_to_all_and_says_so(
    tui_corpus: Path, ready_app: ReadyApp
) -> None:
    """A tag removed everywhere since (or a hand-edited file): All, with a message, not an
    empty list under a view that no longer exists."""
    async with ready_app() as (app, pilot):
        state = app.library.session_state()
        app.library.save_session_state(replace(state, view="tag:nonexistent"))
        app.screen._session = app.library.session_state()  # as the loading worker reads it
        app.screen.restore_session()
        await settle(app, pilot)
        assert app.screen.listing.view.key == "all"
        assert any("tag:nonexistent is gone" in n.message for n in app._notifications)
