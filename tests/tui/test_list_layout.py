"""The list gives titles the width: compact mode, a movable border with the reading pane, a
mark for papers with a note, and the sort key's own column while sorting by it."""

from __future__ import annotations

from tests.tui.conftest import ReadyApp, settle

from paperdeck.tui.app import PaperdeckApp
from paperdeck.tui.widgets.paper_row import RowView, sort_cell
from paperdeck.tui.widgets.paper_table import COMMENTS_MARK, NOTE_MARK, PaperTable
from paperdeck.tui.widgets.paper_view import PaperView


def table(app: PaperdeckApp) -> PaperTable:
    return app.screen.query_one(PaperTable)


def row_text(app: PaperdeckApp, row: int) -> str:
    """The text the list paints for its `row`-th paper (wherever it is scrolled to)."""
    return table(app).render_line(row - int(table(app).scroll_y)).text


async def test_compact_mode_gives_the_title_the_whole_width_with_the_date_first(
    ready_app: ReadyApp,
) -> None:
    async with ready_app() as (app, pilot):
        await pilot.press("O")  # newest first: a paper with a date
        await settle(app, pilot)
        paper = app.library.paper(table(app).rows[0])
        before = table(app).size.width
        await pilot.press("z")
        await settle(app, pilot)
        assert app.screen.has_class("-compact")
        assert (
            not app.screen.query_one(PaperView).display
            or not app.screen.query_one(PaperView).region.width
        )
        assert table(app).size.width > before + 40
        line = row_text(app, 0)
        assert paper.date is not None
        assert line.index(paper.date.display()) < line.index(paper.title[:15])
        await pilot.press("z")
        await settle(app, pilot)
        assert table(app).size.width == before


async def test_the_border_between_list_and_reading_pane_moves(ready_app: ReadyApp) -> None:
    async with ready_app() as (app, pilot):
        reader = app.screen.query_one(PaperView)
        width = reader.size.width
        await pilot.press("greater_than_sign", "greater_than_sign")
        await settle(app, pilot)
        assert reader.size.width < width - 8
        await pilot.press(*["less_than_sign"] * 4)
        await settle(app, pilot)
        assert reader.size.width > width + 8


async def test_the_border_moves_in_a_narrow_terminal_too(ready_app: ReadyApp) -> None:
    async with ready_app(size=(80, 30)) as (app, pilot):
        reader = app.screen.query_one(PaperView)
        height = reader.size.height
        await pilot.press(*["greater_than_sign"] * 3)
        await settle(app, pilot)
        assert reader.size.height < height - 2


async def test_a_paper_with_a_note_is_marked_in_the_list(ready_app: ReadyApp) -> None:
    async with ready_app() as (app, pilot):
        first = table(app).rows[0]
        assert NOTE_MARK not in row_text(app, 0)
        app.library.set_note(first, "worth a second look")
        app.broadcast_notes_changed([first])
        await settle(app, pilot)
        assert NOTE_MARK in row_text(app, 0)


async def test_the_sort_key_gets_a_column_while_sorting_by_it(ready_app: ReadyApp) -> None:
    async with ready_app(size=(80, 24)) as (app, pilot):
        await pilot.press("O")  # by date: the date shows even in a list this narrow
        await settle(app, pilot)
        newest = app.library.paper(table(app).rows[0])
        assert newest.date is not None and newest.date.display() in row_text(app, 0)
        await pilot.press("O")  # by comments: no date column any more, the comment count shows
        await settle(app, pilot)
        most = app.library.paper(table(app).rows[0])
        assert f"{COMMENTS_MARK}{most.comments}" in row_text(app, 0)
        assert most.date is None or most.date.display() not in row_text(app, 0)


def test_upvotes_and_predicted_scores_have_their_own_cells() -> None:
    row = RowView("A title", False, False, "unread", (), "", 0, upvotes=42, score=0.731)
    assert sort_cell(row, "upvotes") == ("▲42", 6)
    assert sort_cell(row, "predicted") == ("+0.73", 6)
    assert sort_cell(row, "title") == ("", 0)
