"""Keys typed in one burst right after `/`, `t` or `n` go where those keys sent the focus.

`pilot.press` waits for the app to be idle after every key, which hides the bug: a fast typist,
a laggy SSH link or a paste sends keys that are all read before the first one is acted on. So
these tests post every key at once, as the terminal driver does with a burst of input.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from tests.tui.conftest import GRAPHGPT, ReadyApp, notes_file, settle, wait_until
from tests.tui.test_first_run import held_index, status_line  # noqa: F401 (a fixture)
from textual import events
from textual.widgets import Input, TextArea

from paperdeck.tui.app import PaperdeckApp
from paperdeck.tui.dialogs import NoteEditor, TagDialog
from paperdeck.tui.screens.main import MainScreen
from paperdeck.tui.screens.reader import ReaderScreen
from paperdeck.tui.widgets.paper_table import PaperTable

SIZE = (120, 40)
CHARACTERS = {"slash": "/", "space": " ", "enter": "\r"}


def burst(app: PaperdeckApp, *keys: str) -> None:
    """Deliver `keys` the way a terminal's burst of input arrives: all queued, none waited on."""
    for key in keys:
        character = CHARACTERS.get(key, key if len(key) == 1 else None)
        app.post_message(events.Key(key, character))


def notes_files(corpus: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in (corpus / "notes").glob("*.toml")}


def search_box(app: PaperdeckApp) -> Input:
    return app.screen.query_one("#search", Input)


async def test_keys_right_after_slash_are_typed_into_the_search_box(
    tui_corpus: Path, ready_app: ReadyApp
) -> None:
    async with ready_app() as (app, pilot):
        before = notes_files(tui_corpus)
        burst(app, "slash", *"later")
        await settle(app, pilot)
        assert search_box(app).value == "later"
        assert search_box(app).has_focus
        assert isinstance(app.screen.query_one(PaperTable), PaperTable)
        assert not isinstance(app.screen, TagDialog), "`t` of `later` opened the tag dialog"
        assert notes_files(tui_corpus) == before, "a letter of the query changed a paper"


async def test_a_query_and_enter_in_one_burst_find_the_paper_and_change_nothing(
    tui_corpus: Path, ready_app: ReadyApp
) -> None:
    async with ready_app() as (app, pilot):
        before = notes_files(tui_corpus)
        burst(app, "slash", *"eulerian", "enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, NoteEditor), "`n` of `eulerian` opened the note editor"
        assert search_box(app).value == "eulerian"
        table = app.screen.query_one(PaperTable)
        assert list(table.rows) == [GRAPHGPT]
        assert table.has_focus, "enter goes to the results"
        assert notes_files(tui_corpus) == before


async def test_tags_typed_right_after_t_go_into_the_dialog(
    tui_corpus: Path, ready_app: ReadyApp
) -> None:
    async with ready_app() as (app, pilot):
        paper_id = app.screen.query_one(PaperTable).current
        assert paper_id is not None
        burst(app, "t", *"abc", "enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, TagDialog), "enter saved and closed the dialog"
        assert notes_file(tui_corpus, paper_id)["tags"] == ["abc"]
        assert list(notes_files(tui_corpus)) == [f"{paper_id}.toml"], "`c` ran as a list key"


async def test_a_note_typed_right_after_n_goes_into_the_editor(
    tui_corpus: Path, ready_app: ReadyApp
) -> None:
    async with ready_app() as (app, pilot):
        paper_id = app.screen.query_one(PaperTable).current
        assert paper_id is not None
        burst(app, "n", *"draft", "space", *"idea")
        await settle(app, pilot)
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        assert editor.query_one(TextArea).text == "draft idea"
        await pilot.press("escape")
        await settle(app, pilot)
        assert notes_file(tui_corpus, paper_id)["note"] == "draft idea"
        assert list(notes_files(tui_corpus)) == [f"{paper_id}.toml"], "`d` or `i` ran as keys"


async def test_a_slash_in_an_empty_search_box_is_not_typed_but_one_later_is(
    ready_app: ReadyApp,
) -> None:
    async with ready_app() as (app, pilot):
        burst(app, "slash", "slash", *"tcp", "slash", *"ip")
        await settle(app, pilot)
        assert search_box(app).value == "tcp/ip"


async def test_slash_then_a_query_typed_while_the_corpus_is_read_searches_without_the_slash(
    tui_corpus: Path,
    held_index: threading.Event,  # noqa: F811 (the fixture)
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = MainScreen.load_library

    def typed_as_the_screen_appears(self: MainScreen) -> object:
        burst(self.app, "slash", *"eulerian")  # read before the corpus, let alone the index
        return real(self)

    monkeypatch.setattr(MainScreen, "load_library", typed_as_the_screen_appears)
    app = PaperdeckApp(tui_corpus)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.library_open, "the list loaded", timeout=12)
        table = app.screen.query_one(PaperTable)
        await wait_until(pilot, lambda: list(table.rows) == [GRAPHGPT], "the titles filtered")
        assert search_box(app).value == "eulerian"
        assert "matching titles only" in status_line(app)
        held_index.set()
        await wait_until(pilot, lambda: app.library.index is not None, "the index opened")
        await settle(app, pilot)
        assert list(table.rows) == [GRAPHGPT]
        assert status_line(app).startswith("1 match ·")


async def test_a_slash_typed_into_the_empty_focused_search_box_is_not_part_of_the_query(
    ready_app: ReadyApp,
) -> None:
    async with ready_app() as (app, pilot):
        app.screen.set_focus(search_box(app))  # as at start-up, before the list takes the focus
        await pilot.pause()
        await pilot.press("slash", *"graphgpt")
        await settle(app, pilot)
        assert search_box(app).value == "graphgpt"
        assert list(app.screen.query_one(PaperTable).rows) == [GRAPHGPT]


def rows(app: PaperdeckApp) -> list[str]:
    return list(app.screen.query_one(PaperTable).rows)


async def test_t_right_after_j_tags_the_paper_the_js_moved_to(
    tui_corpus: Path, ready_app: ReadyApp
) -> None:
    async with ready_app() as (app, pilot):
        third = rows(app)[2]
        burst(app, "j", "j", "t", *"abc", "enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, TagDialog), "enter saved and closed the dialog"
        assert app.screen.query_one(PaperTable).current == third, "the `j`s were lost"
        assert list(notes_files(tui_corpus)) == [f"{third}.toml"], "another paper was tagged"
        assert notes_file(tui_corpus, third)["tags"] == ["abc"]


async def test_n_right_after_j_opens_the_note_of_the_paper_the_js_moved_to(
    tui_corpus: Path, ready_app: ReadyApp
) -> None:
    async with ready_app() as (app, pilot):
        third = rows(app)[2]
        burst(app, "j", "j", "n", *"draft")
        await settle(app, pilot)
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        assert editor.query_one(TextArea).text == "draft"
        await pilot.press("escape")
        await settle(app, pilot)
        assert list(notes_files(tui_corpus)) == [f"{third}.toml"], "another paper's note"
        assert notes_file(tui_corpus, third)["note"] == "draft"


async def test_slash_right_after_j_moves_then_searches(ready_app: ReadyApp) -> None:
    async with ready_app() as (app, pilot):
        burst(app, "j", "slash")
        await settle(app, pilot)
        assert search_box(app).has_focus
        assert app.screen.query_one(PaperTable).cursor == 1, "the `j` was lost"


async def test_slash_in_the_reader_goes_to_the_search_box_with_the_keys_after_it(
    tui_corpus: Path, ready_app: ReadyApp
) -> None:
    async with ready_app() as (app, pilot):
        before = notes_files(tui_corpus)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ReaderScreen)
        burst(app, "slash", *"dsl")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        assert search_box(app).has_focus
        assert search_box(app).value == "dsl"
        assert notes_files(tui_corpus) == before, "a letter of the query changed a paper"


async def test_a_note_typed_right_after_n_in_the_reader_goes_into_the_editor(
    tui_corpus: Path, ready_app: ReadyApp
) -> None:
    async with ready_app() as (app, pilot):
        paper_id = app.screen.query_one(PaperTable).current
        assert paper_id is not None
        await pilot.press("enter")
        await settle(app, pilot)
        burst(app, "n", *"XYZ")
        await settle(app, pilot)
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        assert editor.query_one(TextArea).text == "XYZ"


async def test_tags_typed_right_after_t_in_the_reader_go_into_the_dialog(
    tui_corpus: Path, ready_app: ReadyApp
) -> None:
    async with ready_app() as (app, pilot):
        paper_id = app.screen.query_one(PaperTable).current
        assert paper_id is not None
        await pilot.press("enter")
        await settle(app, pilot)
        burst(app, "t", *"abc", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ReaderScreen), "enter saved and closed the dialog"
        assert list(notes_files(tui_corpus)) == [f"{paper_id}.toml"], "`c` ran as a key"
        assert notes_file(tui_corpus, paper_id)["tags"] == ["abc"]
