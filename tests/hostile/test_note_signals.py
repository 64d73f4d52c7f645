"""Hostile: the terminal closed (SIGHUP) or the app told to stop (SIGTERM) while a note is typed.

The real `paperdeck` command runs in tmux; the text is typed and the signal sent well inside the
editor's one-second autosave pause. The note must be on disk all the same, and after SIGTERM the
terminal must be given back (alternate screen left). A draft left by a kill -9 is offered on the
next start.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import tomllib
from pathlib import Path

import pytest
from tests.test_e2e_tmux import SAMPLE_CORPUS, Tmux
from tests.tui import conftest as tui_fixtures
from tests.tui.conftest import BOOT, notes_file, settle, wait_ready
from textual.widgets import TextArea

from paperdeck.notes.drafts import DraftStore
from paperdeck.notes.store import NotesStore
from paperdeck.tui import note_editor
from paperdeck.tui.app import PaperdeckApp
from paperdeck.tui.dialogs import ChoiceDialog, NoteEditor
from paperdeck.tui.screens.main import MainScreen
from paperdeck.tui.widgets.paper_table import PaperTable

indexed_template = tui_fixtures.indexed_template
tui_corpus = tui_fixtures.tui_corpus
GRAPHGPT = "graphgpt-generative-pre-trained-graph-07091733"
TYPED = "typed a moment before the signal"


def start_editing(tmp_path: Path) -> tuple[Tmux, Path]:
    """paperdeck in tmux, the GraphGPT note editor open, TYPED typed (and not yet saved)."""
    corpus = tmp_path / "corpus"
    shutil.copytree(
        SAMPLE_CORPUS, corpus, ignore=shutil.ignore_patterns(".*", "notes"), copy_function=_copy
    )
    tmux = Tmux(tmp_path)
    tmux.start_paperdeck(corpus, tmp_path, PAPERDECK_STATE_DIR=str(tmp_path / "state"))
    tmux.keys("/")
    tmux.wait_for("the search bar", lambda screen: "Star" not in screen.rstrip().splitlines()[-1])
    tmux.type("graphgpt")
    tmux.wait_for("the search result", lambda screen: "1 match ·" in screen)
    tmux.keys("Enter")
    time.sleep(0.3)
    tmux.keys("n")
    tmux.wait_for_text("Note on GraphGPT")
    tmux.type(TYPED)
    tmux.wait_for_text(TYPED)  # on screen: in the editor, saved in well under a second from now
    return tmux, corpus


def _copy(source: str, target: str) -> None:
    shutil.copyfile(source, target)


def saved_note(corpus: Path, timeout: float = 10) -> str:
    path = corpus / "notes" / f"{GRAPHGPT}.toml"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            return str(tomllib.loads(path.read_text(encoding="utf-8")).get("note", ""))
        time.sleep(0.1)
    return ""


pytestmark_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


@pytestmark_tmux
def test_sigterm_saves_the_typed_note_and_gives_the_terminal_back(tmp_path: Path) -> None:
    tmux, corpus = start_editing(tmp_path)
    try:
        assert tmux.pane("#{alternate_on}") == "1"
        os.kill(int(tmux.pane("#{pane_pid}")), signal.SIGTERM)
        # 128 + SIGTERM, as for any process a signal ended (tmux here does not always collect
        # the status: `test_sigterm_exit_status` checks it on a terminal of its own)
        assert tmux.wait_for_exit() in ("143", None)
        assert tmux.pane("#{alternate_on}") == "0", tmux.screen()
        assert tmux.pane("#{mouse_any_flag}") == "0"
        assert "Traceback" not in tmux.screen()
    finally:
        tmux.kill()
    assert saved_note(corpus) == TYPED
    drafts = [p for p in (tmp_path / "state").rglob("*.json") if "sessions" not in p.parts]
    assert drafts == []  # the draft went once saved (the session files stay, by design)


@pytestmark_tmux
def test_closing_the_terminal_saves_the_typed_note(tmp_path: Path) -> None:
    tmux, corpus = start_editing(tmp_path)
    pid = int(tmux.pane("#{pane_pid}"))
    try:
        tmux.run("kill-session", "-t", tmux.session)  # the pane's process gets SIGHUP
        assert saved_note(corpus) == TYPED
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and Path(f"/proc/{pid}").exists():
            if "\nState:\tZ" in Path(f"/proc/{pid}/status").read_text(encoding="utf-8"):
                break
            time.sleep(0.1)
        else:
            assert not Path(f"/proc/{pid}").exists(), "paperdeck did not exit on SIGHUP"
    finally:
        tmux.kill()


async def type_then_die(corpus: Path, paper_id: str, text: str) -> None:
    """Type into the editor and stop with no save (no pause, no quit): what kill -9 leaves."""
    app = PaperdeckApp(corpus)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(note_editor, "NOTE_AUTOSAVE_SECONDS", 3600.0)  # however slow the typing
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_ready(app, pilot)
            table = app.screen.query_one(PaperTable)
            table.cursor = list(table.rows).index(paper_id)
            await pilot.pause()
            await pilot.press("n", *text)
            assert isinstance(app.screen, NoteEditor)
            assert app.screen.query_one(TextArea).text.endswith(text)
            app._writer.shutdown(cancel_futures=True)  # nothing written after this point


async def test_a_draft_left_by_a_kill_is_offered_and_saved_on_the_next_start(
    tui_corpus: Path,
) -> None:
    await type_then_die(tui_corpus, BOOT, "lost to kill -9?")
    assert not (tui_corpus / "notes" / f"{BOOT}.toml").exists()
    assert [draft.text for draft in DraftStore(tui_corpus).all()] == ["lost to kill -9?"]
    app = PaperdeckApp(tui_corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(app, pilot)
        assert isinstance(app.screen, ChoiceDialog)
        assert "recovered from a draft" in str(app.screen.query_one("#dialog-title").render())
        await pilot.press("enter")  # the first choice: open it in the editor
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one(TextArea).text == "lost to kill -9?"
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
    assert notes_file(tui_corpus, BOOT)["note"] == "lost to kill -9?"
    assert DraftStore(tui_corpus).all() == []


async def test_a_recovered_draft_is_merged_with_a_note_changed_since(tui_corpus: Path) -> None:
    store = NotesStore(tui_corpus)
    store.update(BOOT, "", lambda a: a.with_note("first line"))
    await type_then_die(tui_corpus, BOOT, " and more")
    store = NotesStore(tui_corpus)  # another machine, a sync: the note changes meanwhile
    store.load()
    store.update(BOOT, "", lambda a: a.with_note("first line\n\nadded elsewhere"))
    app = PaperdeckApp(tui_corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(app, pilot)
        assert isinstance(app.screen, ChoiceDialog)
        assert "merged" in str(app.screen.query_one("#dialog-title").render())
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one(TextArea).text == "first line and more\n\nadded elsewhere"
        await pilot.press("escape")
        await settle(app, pilot)
    assert notes_file(tui_corpus, BOOT)["note"] == "first line and more\n\nadded elsewhere"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_sigterm_exit_status(tmp_path: Path, signum: int) -> None:
    """The real command on a pseudo-terminal of its own: SIGTERM ends it with status 143, a
    SIGINT sent from outside (`kill -INT`; Ctrl+C in the app is a key) with 130."""
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE_CORPUS, corpus, ignore=shutil.ignore_patterns(".*", "notes"))
    controller, terminal = os.openpty()
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "COLUMNS": "120",
        "LINES": "40",
        "PAPERDECK_CONFIG_DIR": str(tmp_path / "config"),
        "PAPERDECK_STATE_DIR": str(tmp_path / "state"),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "paperdeck", str(corpus)],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env=env,
        start_new_session=True,
    )
    os.close(terminal)
    shown = bytearray()

    def drain() -> None:  # the app blocks once the terminal's buffer is full
        with contextlib.suppress(OSError):
            while chunk := os.read(controller, 65536):
                shown.extend(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 60
        while b"187 papers" not in shown and time.monotonic() < deadline:
            assert process.poll() is None, bytes(shown[-2000:])
            time.sleep(0.1)
        assert b"187 papers" in shown, bytes(shown[-2000:])
        process.send_signal(signum)
        assert process.wait(timeout=20) == 128 + signum
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(controller)
        reader.join(timeout=5)
