"""Hostile: the note editor open while something else writes the same note.

Another writer (here a second NotesStore per change, exactly what `paperdeck note ID --append`
does in its own process) changes the note while keys are typed one at a time. The final note
is checked line by line: every typed word, in typing order, every outside line, and conflict
markers only where both changed the same lines, then exactly one well-formed block.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from tests.tui import conftest as tui_fixtures
from tests.tui.conftest import BOOT, notes_file, settle, wait_ready
from textual.widgets import TextArea

from paperdeck.notes.store import NotesStore
from paperdeck.tui import note_editor, screens
from paperdeck.tui.app import PaperdeckApp
from paperdeck.tui.dialogs import NoteEditor
from paperdeck.tui.screens.main import MainScreen
from paperdeck.tui.widgets.paper_table import PaperTable

indexed_template = tui_fixtures.indexed_template
tui_corpus = tui_fixtures.tui_corpus
SIZE = (120, 40)
MARKERS = ("<<<<<<<", "=======", ">>>>>>>")
WORDS = [f"w{number:02}" for number in range(1, 31)]


def outside_change(corpus: Path, paper_id: str, edit) -> None:  # type: ignore[no-untyped-def]
    """One change from another process: a fresh store reads the note, changes it, writes it."""
    store = NotesStore(corpus)
    store.load()
    text = edit(store.get(paper_id).note)
    store.update(paper_id, "", lambda a: a.with_note(text))


def cli_append(text: str):  # type: ignore[no-untyped-def]
    """What `paperdeck note ID --append TEXT` does to the note."""
    return lambda current: f"{current.rstrip()}\n\n{text}" if current.strip() else text


def appender(corpus: Path, paper_id: str, count: int, start: threading.Event) -> threading.Thread:
    def run() -> None:
        start.wait(10)
        for number in range(1, count + 1):
            outside_change(corpus, paper_id, cli_append(f"appended {number:02}"))
            time.sleep(0.12)

    return threading.Thread(target=run, daemon=True)


def conflict_blocks(lines: list[str]) -> list[tuple[list[str], list[str]]]:
    """The (yours, theirs) sides of each block; fails on any malformed or nested marker."""
    blocks: list[tuple[list[str], list[str]]] = []
    state, yours, theirs = "text", [], []  # type: ignore[var-annotated]
    for line in lines:
        if line.startswith(MARKERS[0]):
            assert state == "text" and line == "<<<<<<< yours", f"bad or nested start: {line!r}"
            state, yours, theirs = "yours", [], []
        elif line.startswith(MARKERS[1]):
            assert state == "yours" and line == "=======", f"bad separator: {line!r}"
            state = "theirs"
        elif line.startswith(MARKERS[2]):
            assert state == "theirs" and line == ">>>>>>> from outside", f"bad end: {line!r}"
            blocks.append((yours, theirs))
            state = "text"
        elif state == "yours":
            yours.append(line)
        elif state == "theirs":
            theirs.append(line)
        assert not any(marker in line for marker in MARKERS) or line.startswith(MARKERS)
    assert state == "text", "a conflict block is not closed"
    return blocks


async def open_editor(app: PaperdeckApp, pilot, paper_id: str) -> TextArea:  # type: ignore[no-untyped-def]
    table = app.screen.query_one(PaperTable)
    table.cursor = list(table.rows).index(paper_id)
    await pilot.pause()
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(app.screen, NoteEditor)
    return app.screen.query_one(TextArea)


async def type_slowly(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    for key in text:
        await pilot.press("space" if key == " " else key)
        await pilot.pause(0.01)


@pytest.fixture
def fast_watch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Poll for outside changes ten times a second: more merges while typing, a harder test."""
    monkeypatch.setattr(screens.main.screen, "WATCH_SECONDS", 0.1)


async def test_typing_while_the_cli_appends_twenty_times_keeps_everything_in_order(
    tui_corpus: Path, fast_watch: None
) -> None:
    outside_change(tui_corpus, BOOT, lambda _: "First thoughts:")
    start = threading.Event()
    thread = appender(tui_corpus, BOOT, 20, start)
    app = PaperdeckApp(tui_corpus)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(app, pilot)
        area = await open_editor(app, pilot, BOOT)
        thread.start()
        start.set()
        for word in WORDS:
            await type_slowly(pilot, f" {word}")
            # the cursor never leaves the line being typed
            assert area.cursor_location[0] == 0, area.text
        thread.join(30)
        assert not thread.is_alive()
        await pilot.pause(0.5)  # the watcher sees the last append
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
    lines = notes_file(tui_corpus, BOOT)["note"].split("\n")
    assert conflict_blocks(lines) == []
    assert lines[0] == "First thoughts: " + " ".join(WORDS)
    appended = [line for line in lines[1:] if line]
    assert appended == [f"appended {number:02}" for number in range(1, 21)]
    assert lines[1:] == [x for a in appended for x in ("", a)]


async def test_same_line_changed_outside_while_typing_gives_exactly_one_conflict_block(
    tui_corpus: Path, fast_watch: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No autosave pause, however slow the typing under load: the outside change then meets
    # unsaved words on its line (with a save first, it would rewrite the saved line, cleanly).
    monkeypatch.setattr(note_editor, "NOTE_AUTOSAVE_SECONDS", 3600.0)
    outside_change(tui_corpus, BOOT, lambda _: "alpha\n\nbeta\n\ngamma")
    app = PaperdeckApp(tui_corpus)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(app, pilot)
        area = await open_editor(app, pilot, BOOT)
        await pilot.press("up", "up", "end")
        assert area.cursor_location == (2, 4)
        start = threading.Event()
        appends = appender(tui_corpus, BOOT, 5, start)
        appends.start()
        for index, word in enumerate(WORDS[:12]):
            if index == 4:  # the same line, changed elsewhere
                outside_change(
                    tui_corpus, BOOT, lambda note: note.replace("beta", "BETA from outside")
                )
                await pilot.pause(0.3)
                start.set()
            await type_slowly(pilot, f" {word}")
            assert area.document.get_line(area.cursor_location[0]).endswith(word)
        appends.join(30)
        await pilot.pause(0.5)
        await settle(app, pilot, timers=False)  # the hour-long autosave stays held back
        await pilot.press("escape")
        await settle(app, pilot)
    lines = notes_file(tui_corpus, BOOT)["note"].split("\n")
    blocks = conflict_blocks(lines)
    assert len(blocks) == 1, "\n".join(lines)
    yours, theirs = blocks[0]
    assert yours == ["beta " + " ".join(WORDS[:12])]
    assert theirs == ["BETA from outside"]
    assert lines[:2] == ["alpha", ""] and "gamma" in lines
    appended = [line for line in lines if line.startswith("appended")]
    assert appended == [f"appended {number:02}" for number in range(1, 6)]


async def test_a_failed_save_does_not_stop_later_saves(
    tui_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = PaperdeckApp(tui_corpus)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(app, pilot)
        await open_editor(app, pilot, BOOT)
        library = app.library
        assert library is not None
        real = library.save_note_edit
        calls: list[str] = []

        def full_disk_once(paper_id: str, base: str, text: str, **options: bool):  # type: ignore[no-untyped-def]
            calls.append(text)
            if len(calls) == 1:
                raise OSError(28, "No space left on device")
            return real(paper_id, base, text, **options)

        monkeypatch.setattr(library, "save_note_edit", full_disk_once)
        # Saves only on ctrl+s here: an autosave would be a second call in between.
        monkeypatch.setattr(note_editor, "NOTE_AUTOSAVE_SECONDS", 3600.0)
        await type_slowly(pilot, "first")
        await pilot.press("ctrl+s")
        await settle(app, pilot, timers=False)
        assert calls == ["first"] and not (tui_corpus / "notes" / f"{BOOT}.toml").exists()
        assert not app.screen._saving, app.screen._saving
        await type_slowly(pilot, " second")
        await pilot.press("ctrl+s")
        await settle(app, pilot, timers=False)
        assert calls == ["first", "first second"], calls
        assert notes_file(tui_corpus, BOOT)["note"] == "first second"


@pytest.fixture
def no_watch(monkeypatch: pytest.MonkeyPatch) -> None:
    """The watcher never polls: outside changes reach the editor only when it reads the disk."""
    monkeypatch.setattr(screens.main.screen, "WATCH_SECONDS", 3600.0)
    monkeypatch.setattr(note_editor, "NOTE_AUTOSAVE_SECONDS", 3600.0)


async def test_a_clash_shown_then_more_appends_never_nests_blocks(
    tui_corpus: Path, no_watch: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 16: the save right after a clash is shown (its text holds the markers) meets one
    more append; that merge used to put a new block inside the shown one."""
    outside_change(tui_corpus, BOOT, lambda _: "alpha\nsecond line")
    app = PaperdeckApp(tui_corpus)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(app, pilot)
        library = app.library
        assert library is not None
        real = library.save_note_edit
        clashes: list[str] = []

        def append_after_a_clash(paper_id: str, base: str, text: str, **options: bool):  # type: ignore[no-untyped-def]
            edit = real(paper_id, base, text, **options)
            if edit.clash and not clashes:  # the next append lands before the next save
                clashes.append(edit.note)
                outside_change(tui_corpus, BOOT, cli_append("APP2"))
            return edit

        monkeypatch.setattr(library, "save_note_edit", append_after_a_clash)
        area = await open_editor(app, pilot, BOOT)
        assert area.cursor_location == (1, 11)
        await pilot.press("enter")
        await type_slowly(pilot, "w1 ")
        outside_change(tui_corpus, BOOT, cli_append("APP1"))
        await pilot.press("ctrl+s")
        await settle(app, pilot, timers=False)
        assert clashes, "the typed line and APP1 were added at the same place: a clash"
        await type_slowly(pilot, "w2 ")
        outside_change(tui_corpus, BOOT, cli_append("APP3"))
        await pilot.press("ctrl+s")
        await settle(app, pilot, timers=False)
        await type_slowly(pilot, "w3 ")
        outside_change(tui_corpus, BOOT, cli_append("APP4"))
        await pilot.press("escape")
        await settle(app, pilot)
    lines = notes_file(tui_corpus, BOOT)["note"].split("\n")
    blocks = conflict_blocks(lines)
    assert len(blocks) <= 1, "\n".join(lines)
    assert all(yours and theirs for yours, theirs in blocks), "\n".join(lines)
    assert "w1 w2 w3 " in lines, "\n".join(lines)
    assert [line for line in lines if line.startswith("APP")] == ["APP1", "APP2", "APP3", "APP4"]


@pytest.mark.parametrize(
    ("old", "new", "keys", "expected"),
    [
        ("old", "start", ["home", *"mine1", "space"], "mine1 start"),
        (
            "old single line",
            "L1\nL2\nL3",
            ["up", "end", "space", "a", "1", "space", "a", "2"],
            "L1\nL2 a1 a2\nL3",
        ),
    ],
)
async def test_the_editor_opens_on_the_note_on_disk_and_keys_land_in_order(
    tui_corpus: Path, no_watch: None, old: str, new: str, keys: list[str], expected: str
) -> None:
    """A change on disk the watcher has not reported yet: the editor still opens on it, so the
    first keys land where the cursor is, with no merge of a note the user never saw."""
    outside_change(tui_corpus, BOOT, lambda _: old)
    app = PaperdeckApp(tui_corpus)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(app, pilot)
        outside_change(tui_corpus, BOOT, lambda _: new)
        area = await open_editor(app, pilot, BOOT)
        assert area.text == new
        for key in keys:
            await pilot.press(key)
            await pilot.pause(0.01)
        assert area.text == expected
        await pilot.press("ctrl+s")
        await settle(app, pilot, timers=False)
        assert area.text == expected
        await pilot.press("escape")
        await settle(app, pilot)
    assert notes_file(tui_corpus, BOOT)["note"] == expected
