"""Live reload and sync in the TUI: outside changes appear, typing is never overwritten."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from tests.tui.conftest import BOOT, GRAPHGPT, ReadyApp, notes_file, settle, wait_until
from textual.widgets import OptionList, TextArea

from paperdeck.library import Library
from paperdeck.tui import note_editor
from paperdeck.tui.dialogs import NoteEditor
from paperdeck.tui.widgets.paper_table import PaperTable


async def wait_for(pilot, condition, seconds: float = 6.0) -> None:
    await wait_until(pilot, condition, "the expected change did not appear", timeout=seconds)


async def test_outside_change_appears_within_seconds(tui_corpus: Path, ready_app: ReadyApp) -> None:
    async with ready_app() as (app, pilot):
        Library.open(tui_corpus).tag(GRAPHGPT, ["pulled"])  # e.g. a git pull or a second app
        await wait_for(pilot, lambda: app.library.annotation(GRAPHGPT).tags == ("pulled",))
        views = app.screen.query_one("#views", OptionList)
        await wait_for(
            pilot,
            lambda: (
                "tag:pulled" in [views.get_option_at_index(i).id for i in range(views.option_count)]
            ),
        )
        await settle(app, pilot)
        assert [h.paper_id for h in app.library.search("tag:pulled").hits] == [GRAPHGPT]


async def test_note_editor_merges_an_outside_edit_into_typing(
    tui_corpus: Path, ready_app: ReadyApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No autosave of "NEW " before the outside edit (a loaded machine can take a second between
    # two steps here): that edit would then replace a saved note, rightly dropping the words.
    monkeypatch.setattr(note_editor, "NOTE_AUTOSAVE_SECONDS", 3600.0)
    Library.open(tui_corpus).set_note(BOOT, "line one\n\nline two")
    async with ready_app() as (app, pilot):
        main = app.screen
        table = main.query_one(PaperTable)
        table.cursor = list(table.rows).index(BOOT)
        await pilot.press("n")
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        area = editor.query_one(TextArea)
        area.move_cursor((0, 0))
        await pilot.press(*"NEW ")
        # someone else edits the last paragraph while we type in the first
        Library.open(tui_corpus).set_note(BOOT, "line one\n\nline two, edited elsewhere")
        # The watcher looks now, not at its next tick (up to 1 s away): on a busy machine the
        # editor's autosave (1 s after the last key) could otherwise race the reload.
        main.poll_notes()
        await wait_for(pilot, lambda: area.text.endswith("edited elsewhere"))
        assert area.text == "NEW line one\n\nline two, edited elsewhere"
        await pilot.press("escape")
        await settle(app, pilot)
        assert notes_file(tui_corpus, BOOT)["note"] == "NEW line one\n\nline two, edited elsewhere"


def git(folder: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=folder, check=True, capture_output=True, text=True
    ).stdout


def shared_with_another_clone(tmp_path: Path, corpus: Path) -> Path:
    """Make `corpus` a git repo pushed to a bare remote (notes committed by a first sync when
    there are any) and return a second clone of it (another machine)."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    git(corpus, "init", "-q", "-b", "main")
    git(corpus, "config", "user.email", "a@example.com")
    git(corpus, "config", "user.name", "A")
    (corpus / ".gitignore").write_text(".paperdeck/\n")
    git(corpus, "add", "-A", "--", ".", ":!notes")
    git(corpus, "commit", "-qm", "corpus")
    git(corpus, "remote", "add", "origin", str(remote))
    git(corpus, "push", "-q", "-u", "origin", "main")
    if (corpus / "notes").is_dir():
        assert Library.open(corpus).sync()[0].pushed
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", "-b", "main", str(remote), str(other))
    git(other, "config", "user.email", "b@example.com")
    git(other, "config", "user.name", "B")
    return other


async def test_sync_key_commits_and_shows_changed_by_sync(
    tmp_path: Path, tui_corpus: Path, ready_app: ReadyApp
) -> None:
    other = shared_with_another_clone(tmp_path, tui_corpus)
    library_b = Library.open(other)
    library_b.star(BOOT)
    report, _ = library_b.sync()
    assert report.pushed, report.lines()

    async with ready_app() as (app, pilot):
        await pilot.press("S")
        await wait_for(pilot, lambda: app.screen.view.key == "changed", seconds=30)
        await settle(app, pilot)
        assert list(app.screen.query_one(PaperTable).rows) == [BOOT]
        assert app.library.annotation(BOOT).starred


async def test_a_note_clash_is_resolved_side_by_side(tui_corpus: Path, ready_app: ReadyApp) -> None:
    from paperdeck.notes.merge3 import merge_text
    from paperdeck.tui.screens.clash import ClashScreen

    clash, conflict = merge_text("a\nshared\nz", "a\nmine\nz", "a\ntheirs\nz", ("ours", "theirs"))
    assert conflict
    Library.open(tui_corpus).set_note(GRAPHGPT, clash)
    async with ready_app() as (app, pilot):
        table = app.screen.query_one(PaperTable)
        table.cursor = list(table.rows).index(GRAPHGPT)
        await settle(app, pilot)  # the reading pane follows the cursor after a rest
        warning = str(app.screen.query_one("#readonly").render())
        assert "press c to resolve" in warning
        await pilot.press("c")
        assert isinstance(app.screen, ClashScreen)
        await pilot.press("2")
        await settle(app, pilot)
        assert notes_file(tui_corpus, GRAPHGPT)["note"] == "a\ntheirs\nz"


async def test_a_file_git_could_not_merge_is_resolved_side_by_side(
    tmp_path: Path, tui_corpus: Path, ready_app: ReadyApp
) -> None:
    """The other machine pushed a notes file this paperdeck cannot read (a newer schema); our
    sync stops; `c` shows both files; keeping ours writes it and finishes the sync."""
    from paperdeck.tui.screens.fileclash import FileClashScreen

    library = Library.open(tui_corpus)
    library.tag(GRAPHGPT, ["x"])
    other = shared_with_another_clone(tmp_path, tui_corpus)
    newer = other / "notes" / f"{GRAPHGPT}.toml"
    newer.write_text(newer.read_text().replace("schema = 1", "schema = 2"))
    git(other, "commit", "-qam", "a newer paperdeck")
    git(other, "push", "-q")
    library.tag(GRAPHGPT, ["mine"])
    report, _ = library.sync()
    assert report.unresolved_papers == [GRAPHGPT]

    async with ready_app() as (app, pilot):
        table = app.screen.query_one(PaperTable)
        table.cursor = list(table.rows).index(GRAPHGPT)
        await settle(app, pilot)  # the reading pane follows the cursor after a rest
        warning = str(app.screen.query_one("#readonly").render())
        assert "read-only" in warning and "press c" in warning
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, FileClashScreen))
        screen = app.screen
        assert "schema = 2" in str(screen.query_one("#side-theirs").query("Static")[-1].render())
        await pilot.press("2")  # the other machine's version cannot be read: not offered
        assert app.screen is screen
        await pilot.press("1")
        await wait_for(pilot, lambda: app.screen.view.key == "changed", seconds=30)
        await settle(app, pilot)
        assert app.library.read_only_reason(GRAPHGPT) is None
        assert notes_file(tui_corpus, GRAPHGPT)["tags"] == ["mine", "x"]
    assert git(tui_corpus, "status", "--porcelain") == ""
    assert git(tui_corpus, "rev-parse", "HEAD") == git(tui_corpus, "rev-parse", "origin/main")
