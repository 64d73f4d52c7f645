"""Batch decisions from the keyboard: marks (space, `v`), one key acting on every marked paper,
on disk, and one undo taking the whole batch back."""

from __future__ import annotations

from pathlib import Path

from tests.tui.conftest import ReadyApp, notes_file, settle
from textual.widgets import Input, Static

from paperdeck.tui.app import PaperdeckApp
from paperdeck.tui.dialogs import ConfirmDialog, TagDialog
from paperdeck.tui.widgets.paper_table import PaperTable


def table(app: PaperdeckApp) -> PaperTable:
    return app.screen.query_one(PaperTable)


def status_line(app: PaperdeckApp) -> str:
    return str(app.screen.query_one("#status-line", Static).render())


def on_disk(corpus: Path, paper_id: str) -> dict[str, object]:
    path = corpus / "notes" / f"{paper_id}.toml"
    return notes_file(corpus, paper_id) if path.exists() else {}


async def test_space_marks_and_moves_down_and_a_status_key_changes_exactly_the_marked(
    tui_corpus: Path, ready_app: ReadyApp
) -> None:
    async with ready_app() as (app, pilot):
        rows = list(table(app).rows)
        await pilot.press("space", "j", "space")  # rows 0 and 2
        await settle(app, pilot)
        assert table(app).marked == [rows[0], rows[2]]
        assert table(app).cursor == 3
        assert "2 marked" in status_line(app)
        await pilot.press("x")
        await settle(app, pilot)
        assert [on_disk(tui_corpus, i).get("status") for i in rows[:4]] == [
            "skipped",
            None,
            "skipped",
            None,
        ]
        assert table(app).marked == [] and "marked" not in status_line(app)


async def test_v_marks_a_range_and_undo_takes_the_whole_batch_back(
    tui_corpus: Path, ready_app: ReadyApp
) -> None:
    async with ready_app() as (app, pilot):
        rows = list(table(app).rows)
        await pilot.press("j", "v", "j", "j", "j", "v", "j")  # rows 1..4, then a move unmarked
        await settle(app, pilot)
        assert table(app).marked == rows[1:5]
        await pilot.press("d")
        await settle(app, pilot)
        assert all(on_disk(tui_corpus, i).get("status") == "read" for i in rows[1:5])
        assert on_disk(tui_corpus, rows[5]).get("status") is None
        await pilot.press("U")
        await settle(app, pilot)
        assert all(on_disk(tui_corpus, i).get("status", "unread") == "unread" for i in rows[1:5])


async def test_star_batch_stars_all_then_unstars_all(tui_corpus: Path, ready_app: ReadyApp) -> None:
    async with ready_app() as (app, pilot):
        rows = list(table(app).rows)
        app.library.star(rows[0], True)
        await pilot.press("space", "space", "s")  # one of two starred already: star both
        await settle(app, pilot)
        assert [on_disk(tui_corpus, i).get("starred") for i in rows[:2]] == [True, True]
        await pilot.press("k", "k", "space", "space", "s")  # both starred: unstar both
        await settle(app, pilot)
        assert [bool(on_disk(tui_corpus, i).get("starred")) for i in rows[:2]] == [False, False]


async def test_the_tag_batch_adds_to_all_and_never_drops_an_unrelated_tag(
    tui_corpus: Path, ready_app: ReadyApp
) -> None:
    async with ready_app() as (app, pilot):
        first, second = list(table(app).rows)[:2]
        app.library.tag(first, ["alpha", "keep"])
        app.library.tag(second, ["beta"])
        app.broadcast_notes_changed([first, second])
        await settle(app, pilot)
        await pilot.press("space", "space", "t")
        dialog = app.screen
        assert isinstance(dialog, TagDialog)
        assert dialog.query_one("#tags", Input).has_focus
        await pilot.press(*"survey", "enter")
        await settle(app, pilot)
        assert on_disk(tui_corpus, first)["tags"] == ["alpha", "keep", "survey"]
        assert on_disk(tui_corpus, second)["tags"] == ["beta", "survey"]
        # Removing a tag by name takes it off the papers that had it, and only it.
        await pilot.press("k", "k", "space", "space", "t", *"-alpha", "enter")
        await settle(app, pilot)
        assert on_disk(tui_corpus, first)["tags"] == ["keep", "survey"]
        assert on_disk(tui_corpus, second)["tags"] == ["beta", "survey"]


async def test_skip_the_rest_asks_how_many_then_skips_only_unread(
    tui_corpus: Path, ready_app: ReadyApp
) -> None:
    async with ready_app() as (app, pilot):
        rows = list(table(app).rows)
        await pilot.press("l", "j", "d")  # two decided: later, read
        await settle(app, pilot)
        await pilot.press("X")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        question = str(dialog.query_one("#dialog-title", Static).render())
        assert f"{len(rows) - 2} unread papers" in question
        await pilot.press("n")  # no: nothing changes
        await settle(app, pilot)
        assert on_disk(tui_corpus, rows[2]).get("status") is None
        await pilot.press("X", "y")
        await settle(app, pilot)
        statuses = [on_disk(tui_corpus, i).get("status") for i in rows]
        assert statuses[:2] == ["later", "read"]
        assert statuses[2:] == ["skipped"] * (len(rows) - 2)
        await pilot.press("U")  # one undo for all of them
        await settle(app, pilot)
        statuses = [on_disk(tui_corpus, i).get("status", "unread") for i in rows]
        assert statuses[:2] == ["later", "read"] and set(statuses[2:]) == {"unread"}


async def test_marks_survive_a_search_refresh_and_escape_clears_them(
    ready_app: ReadyApp,
) -> None:
    async with ready_app() as (app, pilot):
        await pilot.press("slash", *"diffusion", "enter")
        await settle(app, pilot)
        found = list(table(app).rows)
        await pilot.press("space", "space", "space")
        await settle(app, pilot)
        assert table(app).marked == found[:3]
        await pilot.press("O")  # the same search again, sorted by date: the marks stay
        await settle(app, pilot)
        assert set(table(app).marked) == set(found[:3])
        assert "3 marked" in status_line(app)
        await pilot.press("escape")
        await settle(app, pilot)
        assert table(app).marked == [] and "marked" not in status_line(app)
        assert app.screen.query_one("#search", Input).value == "diffusion"  # escape did only that


async def test_marks_of_papers_no_longer_listed_are_dropped_visibly(ready_app: ReadyApp) -> None:
    async with ready_app() as (app, pilot):
        await pilot.press("space", "space")
        await settle(app, pilot)
        assert "2 marked" in status_line(app)
        await pilot.press("slash", *"graphgpt", "enter")
        await settle(app, pilot)
        assert table(app).marked == []
        assert "marked" not in status_line(app)
