"""The tag dialog adds by typing and removes only by an explicit act; the file on disk says so."""

from __future__ import annotations

from pathlib import Path

from tests.tui.conftest import BOOT, GRAPHGPT, notes_file, settle, wait_ready
from textual.widgets import Input, OptionList, Static

from paperdeck.tui.app import PaperdeckApp
from paperdeck.tui.dialogs import TagDialog
from paperdeck.tui.screens.main import MainScreen
from paperdeck.tui.widgets.paper_table import PaperTable

SIZE = (120, 40)


async def tagged(app: PaperdeckApp, pilot, tags: list[str]) -> None:
    """Open the app on GRAPHGPT with `tags` already in its notes file."""
    await wait_ready(app, pilot)  # returns at once when the app is ready already
    app.library.tag(GRAPHGPT, tags)
    app.broadcast_notes_changed([GRAPHGPT])
    table = app.screen.query_one(PaperTable)
    table.cursor = list(table.rows).index(GRAPHGPT)
    await settle(app, pilot)


def tags_on_disk(corpus: Path) -> list[str]:
    return notes_file(corpus, GRAPHGPT).get("tags", [])


async def test_typing_adds_and_keeps_the_tags_already_there(tui_corpus: Path) -> None:
    app = PaperdeckApp(tui_corpus)
    async with app.run_test(size=SIZE) as pilot:
        await tagged(app, pilot, ["graphs", "transformers"])
        await pilot.press("t")
        dialog = app.screen
        assert isinstance(dialog, TagDialog)
        field = dialog.query_one("#tags", Input)
        assert field.has_focus and field.value == "", "the input starts empty"
        shown = dialog.query_one("#current-tags", OptionList)
        prompts = [str(shown.get_option_at_index(i).prompt) for i in range(shown.option_count)]
        assert prompts == ["#graphs", "#transformers"]
        await pilot.press(*"survey", "enter")
        await settle(app, pilot)
        assert tags_on_disk(tui_corpus) == ["graphs", "survey", "transformers"]


async def test_backspace_or_ctrl_w_then_enter_changes_nothing(tui_corpus: Path) -> None:
    app = PaperdeckApp(tui_corpus)
    async with app.run_test(size=SIZE) as pilot:
        await tagged(app, pilot, ["graphs", "transformers"])
        before = (tui_corpus / "notes" / f"{GRAPHGPT}.toml").read_bytes()
        for keys in (("backspace", "backspace"), ("ctrl+w",), ("ctrl+u", "ctrl+k")):
            await pilot.press("t", *keys, "enter")
            await settle(app, pilot)
            assert isinstance(app.screen, MainScreen)
            assert tags_on_disk(tui_corpus) == ["graphs", "transformers"]
        assert (tui_corpus / "notes" / f"{GRAPHGPT}.toml").read_bytes() == before


async def test_escape_changes_nothing(tui_corpus: Path) -> None:
    app = PaperdeckApp(tui_corpus)
    async with app.run_test(size=SIZE) as pilot:
        await tagged(app, pilot, ["graphs", "transformers"])
        await pilot.press("t", *"survey -graphs", "tab", "delete", "escape")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        assert tags_on_disk(tui_corpus) == ["graphs", "transformers"]


async def test_delete_in_the_list_removes_exactly_the_highlighted_tag(tui_corpus: Path) -> None:
    app = PaperdeckApp(tui_corpus)
    async with app.run_test(size=SIZE) as pilot:
        await tagged(app, pilot, ["graphs", "surveys", "transformers"])
        await pilot.press("t", "tab")
        shown = app.screen.query_one("#current-tags", OptionList)
        assert shown.has_focus
        await pilot.press("down", "delete")
        await pilot.pause()
        assert "removed" in str(shown.get_option_at_index(1).prompt)
        # Pressed again it keeps the tag; then `-` marks it once more.
        await pilot.press("delete")
        await pilot.pause()
        assert "removed" not in str(shown.get_option_at_index(1).prompt)
        await pilot.press("minus", "tab", *"new", "enter")
        await settle(app, pilot)
        assert tags_on_disk(tui_corpus) == ["graphs", "new", "transformers"]


async def test_typing_minus_tag_removes_that_tag_only(tui_corpus: Path) -> None:
    app = PaperdeckApp(tui_corpus)
    async with app.run_test(size=SIZE) as pilot:
        await tagged(app, pilot, ["graphs", "transformers"])
        await pilot.press("t", *"-tr")
        await pilot.pause(0.1)
        suggestions = app.screen.query_one("#tag-suggestions", OptionList)
        assert [suggestions.get_option_at_index(i).id for i in range(suggestions.option_count)] == [
            "-transformers"
        ]
        await pilot.press("right", "enter")  # accepts the completion, then saves
        await settle(app, pilot)
        assert tags_on_disk(tui_corpus) == ["graphs"]


async def test_80x24_fits_a_tagged_paper_with_a_long_title(tui_corpus: Path) -> None:
    app = PaperdeckApp(tui_corpus)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(app, pilot)
        app.library.tag(BOOT, [f"a{n}" for n in range(1, 10)])
        app.broadcast_notes_changed([BOOT])
        await tagged(app, pilot, ["x1", "x2", "x3", "x4"])
        await pilot.press("t", "a")
        await settle(app, pilot)
        dialog = app.screen.query_one("#dialog")
        hint = app.screen.query_one(".dialog-help", Static)
        assert app.screen.query_one("#tag-suggestions", OptionList).option_count == 8
        assert hint.region.height == 1
        assert hint.region.bottom <= dialog.region.bottom - 1 <= 24  # inside the border
