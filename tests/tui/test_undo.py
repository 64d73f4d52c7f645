"""Undo in the TUI (ctrl+z and U): what lands on disk, what the screen shows, and sharing the
undo history with `paperdeck` commands run in a shell."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from tests.tui.conftest import BOOT, GRAPHGPT, notes_file, settle, wait_ready
from textual.widgets import Input, OptionList, Static

from paperdeck.cli import main
from paperdeck.library import Library
from paperdeck.notes.store import NotesStore
from paperdeck.tui.app import PaperdeckApp
from paperdeck.tui.dialogs import NoteEditor
from paperdeck.tui.screens.main import MainScreen
from paperdeck.tui.screens.reader import ReaderScreen
from paperdeck.tui.widgets.paper_table import PaperTable
from paperdeck.tui.widgets.paper_view import PaperView

SIZE = (120, 40)


async def goto(app: PaperdeckApp, pilot, paper_id: str) -> None:
    paper_table = app.screen.query_one(PaperTable)
    paper_table.cursor = list(paper_table.rows).index(paper_id)
    await pilot.pause()


def starred_count(app: PaperdeckApp) -> str:
    views = app.screen.query_one("#views", OptionList)
    options = [views.get_option_at_index(i) for i in range(views.option_count)]
    return next(str(o.prompt).split()[-1] for o in options if o.id == "starred")


def meta(app: PaperdeckApp) -> str:
    return str(app.screen.query_one(PaperView).query_one("#meta", Static).render())


def messages(app: PaperdeckApp) -> list[str]:
    return [notification.message for notification in app._notifications]


async def test_star_then_ctrl_z_is_unstarred_on_disk_and_on_screen(tui_corpus: Path) -> None:
    app = PaperdeckApp(tui_corpus)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(app, pilot)
        await goto(app, pilot, GRAPHGPT)
        await pilot.press("s")
        await settle(app, pilot)
        assert notes_file(tui_corpus, GRAPHGPT)["starred"] is True
        assert starred_count(app) == "1"

        await pilot.press("ctrl+z")
        await settle(app, pilot)

        assert notes_file(tui_corpus, GRAPHGPT).get("starred", False) is False
        assert not app.library.annotation(GRAPHGPT).starred
        assert starred_count(app) == "0"
        assert any(m.startswith(f"Undid the star change of {GRAPHGPT}") for m in messages(app))


async def test_tag_change_then_u_restores_the_tags_as_before(tui_corpus: Path) -> None:
    Library.open(tui_corpus).tag(GRAPHGPT, ["graphs", "todo"])
    app = PaperdeckApp(tui_corpus)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(app, pilot)
        await goto(app, pilot, GRAPHGPT)
        await pilot.press("t")
        app.screen.query_one(Input).value = "survey"
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        assert notes_file(tui_corpus, GRAPHGPT)["tags"] != ["graphs", "todo"]
        assert "survey" in notes_file(tui_corpus, GRAPHGPT)["tags"]

        await pilot.press("U")
        await settle(app, pilot)

        assert notes_file(tui_corpus, GRAPHGPT)["tags"] == ["graphs", "todo"]
        assert "survey" not in meta(app) and "graphs" in meta(app)


async def test_note_change_then_undo_restores_the_note(tui_corpus: Path) -> None:
    Library.open(tui_corpus).set_note(GRAPHGPT, "first thoughts")
    app = PaperdeckApp(tui_corpus)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(app, pilot)
        await goto(app, pilot, GRAPHGPT)
        await pilot.press("n")
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*", then more", "escape")
        await settle(app, pilot)
        assert notes_file(tui_corpus, GRAPHGPT)["note"] == "first thoughts, then more"

        await pilot.press("ctrl+z")
        await settle(app, pilot)

        assert notes_file(tui_corpus, GRAPHGPT)["note"] == "first thoughts"
        assert app.library.annotation(GRAPHGPT).note == "first thoughts"
        # says what the note is back to, not the change it took back
        assert any(
            m.startswith(f"Undid the note change of {GRAPHGPT}")
            and m.endswith(": back to 14 characters (was 25 characters)")
            for m in messages(app)
        ), messages(app)


async def test_undo_in_the_app_refuses_when_the_note_changed_elsewhere(tui_corpus: Path) -> None:
    app = PaperdeckApp(tui_corpus)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(app, pilot)
        await goto(app, pilot, GRAPHGPT)
        app.run_write(lambda: app.library.set_note(GRAPHGPT, "A's text"))
        await settle(app, pilot)
        other = NotesStore(tui_corpus)  # another process writing the same file
        other.load()
        other.update(GRAPHGPT, "", lambda a: a.with_note("B's text"))

        await pilot.press("U")
        await settle(app, pilot)

        assert notes_file(tui_corpus, GRAPHGPT)["note"] == "B's text"
        assert app.library.annotation(GRAPHGPT).note == "B's text"
        assert any(m.startswith("Cannot undo the note change") for m in messages(app))


async def test_the_app_undoes_a_change_made_by_the_cli_and_works_in_the_reader(
    tui_corpus: Path,
) -> None:
    app = PaperdeckApp(tui_corpus)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(app, pilot)
        result = CliRunner().invoke(main, ["status", BOOT, "later", "--corpus", str(tui_corpus)])
        assert result.exit_code == 0
        await goto(app, pilot, GRAPHGPT)
        await pilot.press("enter")
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("s")
        await settle(app, pilot)

        for _ in range(3):  # each undo answered before the next key, as a person sees it
            await pilot.press("U")
            await settle(app, pilot)

        assert notes_file(tui_corpus, GRAPHGPT).get("starred", False) is False
        assert notes_file(tui_corpus, BOOT).get("status", "unread") == "unread"
        assert app.library.annotation(BOOT).status == "unread"
        assert any(m.endswith(": star removed again") for m in messages(app))
        assert any(m.endswith(": status back to unread (was later)") for m in messages(app))
        assert "Nothing to undo." in messages(app)
