"""Behaviour of the TUI, asserting both what the screen shows and what lands on disk."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.tui.conftest import BOOT, GRAPHGPT, ReadyApp, notes_file, settle, wait_ready
from textual.widgets import Input, OptionList, Static, TextArea

from paperdeck.tui.app import PaperdeckApp
from paperdeck.tui.dialogs import ChoiceDialog, NoteEditor, TagDialog
from paperdeck.tui.screens.help import HelpScreen
from paperdeck.tui.screens.main import MainScreen
from paperdeck.tui.screens.reader import ReaderScreen
from paperdeck.tui.widgets.paper_table import PaperTable
from paperdeck.tui.widgets.paper_view import PaperView
from paperdeck.views import view_by_key

SIZE = (120, 40)


def table(app: PaperdeckApp) -> PaperTable:
    return app.screen.query_one(PaperTable)


def status_line(app: PaperdeckApp) -> str:
    return str(app.screen.query_one("#status-line", Static).render())


async def goto(app: PaperdeckApp, pilot, paper_id: str) -> None:
    rows = list(table(app).rows)
    table(app).cursor = rows.index(paper_id)
    await settle(app, pilot)  # the reading pane follows the cursor after a rest


async def test_startup_lists_every_paper_with_counts(ready_app: ReadyApp) -> None:
    async with ready_app() as (app, _):
        assert isinstance(app.screen, MainScreen)
        assert len(table(app).rows) == 187
        assert "187 papers" in status_line(app)
        views = app.screen.query_one("#views", OptionList)
        labels = [str(views.get_option_at_index(i).prompt) for i in range(views.option_count)]
        assert labels[0].startswith("All") and labels[0].endswith("187")
        assert labels[1].startswith("Unread") and labels[1].endswith("187")
        # The reading pane shows the paper under the cursor.
        assert table(app).current == table(app).rows[0]


async def test_star_toggles_and_lands_on_disk(tui_corpus: Path, ready_app: ReadyApp) -> None:
    async with ready_app() as (app, pilot):
        await goto(app, pilot, GRAPHGPT)
        await pilot.press("s")
        await settle(app, pilot)
        assert notes_file(tui_corpus, GRAPHGPT)["starred"] is True
        assert app.library.annotation(GRAPHGPT).starred
        await pilot.press("s")
        await settle(app, pilot)
        assert notes_file(tui_corpus, GRAPHGPT).get("starred", False) is False


async def test_status_keys_set_each_status(tui_corpus: Path, ready_app: ReadyApp) -> None:
    async with ready_app() as (app, pilot):
        await goto(app, pilot, BOOT)
        for key, status in (("l", "later"), ("r", "reading"), ("d", "read"), ("x", "skipped")):
            await pilot.press(key)
            await settle(app, pilot)
            assert notes_file(tui_corpus, BOOT)["status"] == status
        await pilot.press("u")
        await settle(app, pilot)
        assert notes_file(tui_corpus, BOOT).get("status", "unread") == "unread"


async def test_tags_dialog_adds_several_and_removes(tui_corpus: Path, ready_app: ReadyApp) -> None:
    async with ready_app() as (app, pilot):
        await goto(app, pilot, GRAPHGPT)
        await pilot.press("t")
        assert isinstance(app.screen, TagDialog)
        await pilot.press(*"graphs Reading-Group", "enter")
        await settle(app, pilot)
        assert notes_file(tui_corpus, GRAPHGPT)["tags"] == ["graphs", "reading-group"]
        # The sidebar now has a view per tag.
        views = app.screen.query_one("#views", OptionList)
        labels = [
            str(views.get_option_at_index(i).prompt)
            for i in range(views.option_count)
            if views.get_option_at_index(i).id
        ]
        assert any(label.startswith("#graphs") for label in labels)
        # Autocomplete from existing tags on another paper; removing is explicit (tab, delete).
        await goto(app, pilot, BOOT)
        await pilot.press("t", "g", "r")
        dialog = app.screen
        assert isinstance(dialog, TagDialog)
        await settle(app, pilot)  # the input's suggester runs in a worker
        suggestions = dialog.query_one("#tag-suggestions", OptionList)
        assert suggestions.option_count == 1
        await pilot.press("right", "enter")
        await settle(app, pilot)
        assert notes_file(tui_corpus, BOOT)["tags"] == ["graphs"]
        await pilot.press("t")
        assert app.screen.query_one("#tags", Input).value == ""
        await pilot.press("tab", "delete", "enter")
        await settle(app, pilot)
        assert "tags" not in notes_file(tui_corpus, BOOT)


async def test_note_editor_saves_on_pause_and_on_close(
    tui_corpus: Path, ready_app: ReadyApp
) -> None:
    async with ready_app() as (app, pilot):
        await goto(app, pilot, GRAPHGPT)
        await pilot.press("n")
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"Eulerian paths", "enter", *"- neat")
        await settle(app, pilot)  # waits for the autosave timer to fire: nothing else saves
        assert notes_file(tui_corpus, GRAPHGPT)["note"] == "Eulerian paths\n- neat"
        await pilot.press(*" idea", "escape")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        assert notes_file(tui_corpus, GRAPHGPT)["note"] == "Eulerian paths\n- neat idea"
        # The reading pane renders the note.
        assert app.library.annotation(GRAPHGPT).note.endswith("idea")


async def test_note_typed_then_quit_is_saved(tui_corpus: Path, ready_app: ReadyApp) -> None:
    async with ready_app() as (app, pilot):
        await goto(app, pilot, BOOT)
        await pilot.press("n", *"typed just before quitting")
        assert app.screen.query_one(TextArea).text == "typed just before quitting"
        await app.action_quit()
    assert notes_file(tui_corpus, BOOT)["note"] == "typed just before quitting"


async def test_search_as_you_type_enter_and_escape(ready_app: ReadyApp) -> None:
    async with ready_app() as (app, pilot):
        await pilot.press("slash")
        assert app.screen.query_one("#search", Input).has_focus
        await pilot.press(*"graphgpt")
        await settle(app, pilot)
        assert list(table(app).rows) == [GRAPHGPT]
        assert "1 match ·" in status_line(app)
        await pilot.press("enter")
        assert table(app).has_focus and table(app).cursor == 0
        await pilot.press("slash", "escape")
        await settle(app, pilot)
        assert app.screen.query_one("#search", Input).value == ""
        assert len(table(app).rows) == 187


async def test_search_box_finds_hyphenated_words(ready_app: ReadyApp) -> None:
    """`text-to-image` is the words text, to and image, as the index splits it (found nothing)."""
    async with ready_app() as (app, pilot):
        await pilot.press("slash", *"text-to-image")
        await settle(app, pilot)
        assert app.screen.query_one("#search", Input).value == "text-to-image"
        expected = app.library.search("text-to-image", limit=None, as_you_type=True)
        rows = list(table(app).rows)
        assert rows and set(rows) == {hit.paper_id for hit in expected.hits}
        assert f"{len(rows)} matches ·" in status_line(app)
        assert table(app)._match_words == ("text", "to", "image")  # marked in the titles
        await pilot.press("enter")
        await settle(app, pilot)
        assert list(table(app).rows) == rows
        app.screen.query_one("#search", Input).value = "/graph"
        await settle(app, pilot)
        assert len(table(app).rows) == 6 and table(app)._match_words == ("graph",)


async def test_query_language_and_bad_query_inline(ready_app: ReadyApp) -> None:
    async with ready_app() as (app, pilot):
        await pilot.press("slash", *'title:"binary latent"')
        await settle(app, pilot)
        titles = [app.library.paper(i).title for i in table(app).rows]
        assert titles == ["Binary Latent Diffusion"]
        search = app.screen.query_one("#search", Input)
        search.value = "(diffusion"
        await settle(app, pilot)
        error = str(app.screen.query_one("#search-error", Static).render())
        assert error.strip(), "a malformed query shows its message inline"
        assert app.screen.has_class("-search-error")


async def test_stale_searches_are_never_shown(ready_app: ReadyApp) -> None:
    async with ready_app() as (app, pilot):
        await pilot.press("slash", *"diffusion")
        for _ in range(len("diffusion")):
            await pilot.press("backspace")
        await pilot.press(*"graphgpt")
        await settle(app, pilot)
        assert list(table(app).rows) == [GRAPHGPT]


async def test_views_filter_by_status_and_tag(ready_app: ReadyApp) -> None:
    async with ready_app() as (app, pilot):
        await goto(app, pilot, BOOT)
        await pilot.press("l")
        await settle(app, pilot)
        await pilot.press("right_square_bracket", "right_square_bracket")  # All → Unread → Later
        await settle(app, pilot)
        assert list(table(app).rows) == [BOOT]
        assert "Later" in status_line(app)


async def test_triage_moves_to_next_unread_with_progress(
    tui_corpus: Path, ready_app: ReadyApp
) -> None:
    async with ready_app() as (app, pilot):
        rows = list(table(app).rows)
        await pilot.press("T")
        assert app.screen.has_class("-triage")
        await pilot.press("l")
        await settle(app, pilot)
        assert table(app).cursor == 1
        await pilot.press("x")
        await settle(app, pilot)
        assert table(app).cursor == 2
        # A star or a tag is not a decision: it neither moves on nor counts as triaged.
        await pilot.press("s")
        await settle(app, pilot)
        assert table(app).cursor == 2
        assert notes_file(tui_corpus, rows[0])["status"] == "later"
        assert notes_file(tui_corpus, rows[1])["status"] == "skipped"
        assert notes_file(tui_corpus, rows[2])["starred"] is True
        label = str(app.screen.query_one("#triage-label", Static).render())
        assert label == "Triage 2/187"
        await pilot.press("d")  # then a status is, and counts
        await settle(app, pilot)
        assert table(app).cursor == 3
        assert str(app.screen.query_one("#triage-label", Static).render()) == "Triage 3/187"
        # Undoing a decision elsewhere (u: unread) is counted too, without a full recount.
        await goto(app, pilot, rows[0])
        await pilot.press("u")
        await settle(app, pilot)
        assert str(app.screen.query_one("#triage-label", Static).render()) == "Triage 2/187"
        await pilot.press("T")
        assert not app.screen.has_class("-triage")


async def test_reader_help_and_back(tui_corpus: Path, ready_app: ReadyApp) -> None:
    async with ready_app() as (app, pilot):
        await goto(app, pilot, GRAPHGPT)
        await pilot.press("enter")
        assert isinstance(app.screen, ReaderScreen)
        view = app.screen.query_one(PaperView)
        assert "GraphGPT" in str(view.query_one("#title", Static).render())
        await pilot.press("s")
        await settle(app, pilot)
        assert notes_file(tui_corpus, GRAPHGPT)["starred"] is True
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, MainScreen)


async def test_open_link_and_copy(tui_corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    copied: list[str] = []
    app = PaperdeckApp(tui_corpus)
    monkeypatch.setattr("webbrowser.open", lambda url, *_a, **_k: opened.append(url) or True)
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(app, pilot)
        await goto(app, pilot, GRAPHGPT)
        await pilot.press("o")
        assert opened == ["https://github.com/alibaba/graph-gpt"]
        await pilot.press("y")
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("enter")
        assert copied == [GRAPHGPT]
        await pilot.press("y", "down", "down", "enter")
        assert copied[-1].startswith("@misc{graphgpt_generative")


async def test_more_like_this_and_back(ready_app: ReadyApp) -> None:
    async with ready_app() as (app, pilot):
        await goto(app, pilot, BOOT)
        await pilot.press("m")
        await settle(app, pilot)
        rows = list(table(app).rows)
        assert 0 < len(rows) <= 20 and BOOT not in rows
        assert "like" in status_line(app)
        await pilot.press("escape")
        await settle(app, pilot)
        assert len(table(app).rows) == 187


async def test_sort_cycles(ready_app: ReadyApp) -> None:
    async with ready_app() as (app, pilot):
        await pilot.press("O")
        await settle(app, pilot)
        first = app.library.paper(table(app).rows[0])
        assert first.date is not None and first.date.year == max(
            p.date.year for p in app.library.papers if p.date and p.date.year
        )
        await pilot.press("O")
        await settle(app, pilot)
        assert app.library.paper(table(app).rows[0]).comments == max(
            p.comments for p in app.library.papers
        )
        assert app.screen.sort == "comments"  # the count after the date, not upvotes


async def test_read_only_notes_file_is_shown_and_never_rewritten(
    tui_corpus: Path, ready_app: ReadyApp
) -> None:
    notes = tui_corpus / "notes"
    notes.mkdir()
    bad = notes / f"{GRAPHGPT}.toml"
    bad.write_text("schema = 1\n<<<<<<< ours\nstarred = true\n", encoding="utf-8")
    before = bad.read_bytes()
    async with ready_app() as (app, pilot):
        await goto(app, pilot, GRAPHGPT)
        readonly = str(app.screen.query_one("#readonly", Static).render())
        assert "read-only" in readonly and f"{GRAPHGPT}.toml" in readonly
        await pilot.press("s")
        await settle(app, pilot)
        assert bad.read_bytes() == before
        await goto(app, pilot, BOOT)
        await pilot.press("s")
        await settle(app, pilot)
        assert notes_file(tui_corpus, BOOT)["starred"] is True


async def test_theme_choice_persists(tui_corpus: Path, tmp_path: Path, ready_app: ReadyApp) -> None:
    async with ready_app(index=False) as (app, pilot):
        app.theme = "nord"
        await pilot.pause()
    assert 'theme = "nord"' in (tmp_path / "config" / "config.toml").read_text()
    again = PaperdeckApp(tui_corpus)
    assert again.theme == "nord"


async def test_narrow_terminal_stacks_the_reader(ready_app: ReadyApp) -> None:
    async with ready_app(size=(80, 24)) as (app, _):
        assert app.screen.has_class("-narrow")
        reader = app.screen.query_one("#reader")
        papers = app.screen.query_one("#papers")
        assert reader.region.y > papers.region.y


async def test_a_new_query_puts_the_best_match_under_the_cursor(ready_app: ReadyApp) -> None:
    async with ready_app() as (app, pilot):
        await goto(app, pilot, BOOT)
        await pilot.press("slash", *"distillation")
        await settle(app, pilot)
        rows = list(table(app).rows)
        assert BOOT in rows and rows[0] != BOOT
        assert table(app).cursor == 0
        assert "relevance" in str(app.screen.query_one("#sort-label", Static).render())


def sidebar(app: PaperdeckApp) -> dict[str, str]:
    views = app.screen.query_one("#views", OptionList)
    options = [views.get_option_at_index(i) for i in range(views.option_count)]
    return {str(o.id): str(o.prompt).split()[-1] for o in options if o.id}


async def test_counts_follow_each_change_and_a_big_change_recounts(
    monkeypatch: pytest.MonkeyPatch, ready_app: ReadyApp
) -> None:
    async with ready_app() as (app, pilot):
        await goto(app, pilot, GRAPHGPT)
        await pilot.press("s", "d")
        await settle(app, pilot)
        counts = sidebar(app)
        assert (counts["starred"], counts["read"], counts["unread"]) == ("1", "1", "186")
        assert app.library.current_counts() == app.library.view_counts()
        # Many papers changed at once (a sync): recounted in full by a worker.
        monkeypatch.setattr("paperdeck.tui.screens.main.FULL_RECOUNT", 0)
        app.library.notes.update(BOOT, "", lambda a: a.with_status("later").with_tags(["x"]))
        app.broadcast_notes_changed([BOOT])
        await settle(app, pilot)
        counts = sidebar(app)
        assert (counts["later"], counts["tag:x"], counts["unread"]) == ("1", "1", "185")


async def test_one_paper_and_one_match_are_singular(ready_app: ReadyApp) -> None:
    async with ready_app() as (app, pilot):
        await goto(app, pilot, GRAPHGPT)
        await pilot.press("s")
        await settle(app, pilot)
        app.screen.view = view_by_key("starred")
        await settle(app, pilot)
        assert status_line(app).startswith("1 paper · Starred")
        await pilot.press("slash", *"id:" + GRAPHGPT)
        await settle(app, pilot)
        assert status_line(app).startswith("1 match ·")


async def test_more_like_this_is_labelled_sorted_by_similarity(ready_app: ReadyApp) -> None:
    async with ready_app() as (app, pilot):
        await pilot.press("O")  # a view sorted by date
        await pilot.press("m")
        await settle(app, pilot)
        label = str(app.screen.query_one("#sort-label", Static).render())
        assert label == "sort: similarity (O)"
        await pilot.press("escape")
        await settle(app, pilot)
        assert str(app.screen.query_one("#sort-label", Static).render()) == "sort: date (O)"


async def test_80x24_fits_the_search_hint_and_the_tag_dialog(ready_app: ReadyApp) -> None:
    async with ready_app(size=(80, 24)) as (app, pilot):
        search = app.screen.query_one("#search", Input)
        assert len(search.placeholder) <= search.content_region.width
        await pilot.press(*"t", *"a1 a2 a3 a4 a5 a6 a7 a8 a9", "enter")
        await settle(app, pilot)
        table(app).cursor = 5
        await pilot.press("t", "a")
        await settle(app, pilot)
        assert isinstance(app.screen, TagDialog)
        dialog = app.screen.query_one("#dialog")
        hint = app.screen.query_one(".dialog-help", Static)
        assert app.screen.query_one("#tag-suggestions", OptionList).option_count == 8
        # The hint is shown whole: inside the dialog's border, on one line, on screen.
        assert hint.region.height == 1
        assert hint.region.bottom <= dialog.region.bottom - 1 <= 24  # bottom: first row after
