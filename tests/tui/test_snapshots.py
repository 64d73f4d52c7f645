"""How the TUI looks: SVG snapshots of the main states, compared with the accepted ones.

Regenerate with `pytest tests/tui/test_snapshots.py --snapshot-update` and look at every changed
SVG before accepting it. Each snapshot is taken once the library and the index are loaded, with
cursor blinking off and notifications dismissed, so the pictures are deterministic.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from tests.tui.conftest import BOOT, GRAPHGPT, settle, wait_ready, wait_until
from textual.widgets import Input, Static, TextArea

from paperdeck.tui.app import PaperdeckApp
from paperdeck.tui.widgets.paper_table import PaperTable

SIZE = (120, 40)

Steps = Callable[[PaperdeckApp, Any], Awaitable[None]]


async def goto(app: PaperdeckApp, pilot: Any, paper_id: str) -> None:
    table = app.screen.query_one(PaperTable)
    table.cursor = list(table.rows).index(paper_id)
    await pilot.pause()


async def still(app: PaperdeckApp, pilot: Any) -> None:
    """Freeze what can change on its own: blinking cursors and notifications."""
    await settle(app, pilot)
    await pilot.pause()
    for widget in app.screen.query("Input, TextArea"):
        if isinstance(widget, Input | TextArea):
            widget.cursor_blink = False
    app.clear_notifications()
    await pilot.pause()


def prepare(app: PaperdeckApp, steps: Steps | None = None) -> Callable[[Any], Awaitable[None]]:
    """A `run_before` that loads the library, runs `steps`, then lets everything settle."""

    async def run_before(pilot: Any) -> None:
        await wait_ready(app, pilot)
        app.sub_title = "sample_corpus"  # never a tmp path, should it ever be shown
        if steps is not None:
            await steps(app, pilot)
        await still(app, pilot)

    return run_before


def test_main_screen(tui_corpus: Path, snap_compare: Any) -> None:
    app = PaperdeckApp(tui_corpus)
    assert snap_compare(app, terminal_size=SIZE, run_before=prepare(app))


def test_main_screen_narrow_80x24(tui_corpus: Path, snap_compare: Any) -> None:
    app = PaperdeckApp(tui_corpus)
    assert snap_compare(app, terminal_size=(80, 24), run_before=prepare(app))


def test_main_screen_wide_160x50(tui_corpus: Path, snap_compare: Any) -> None:
    app = PaperdeckApp(tui_corpus)
    assert snap_compare(app, terminal_size=(160, 50), run_before=prepare(app))


def test_search_results_with_highlights(tui_corpus: Path, snap_compare: Any) -> None:
    async def search(app: PaperdeckApp, pilot: Any) -> None:
        await pilot.press("slash", *"diffusion distillation")

    app = PaperdeckApp(tui_corpus)
    assert snap_compare(app, terminal_size=SIZE, run_before=prepare(app, search))


def test_tag_dialog_with_suggestions(tui_corpus: Path, snap_compare: Any) -> None:
    async def tag_then_open(app: PaperdeckApp, pilot: Any) -> None:
        await goto(app, pilot, GRAPHGPT)
        await pilot.press("t", *"graphs graph-learning", "enter")
        await settle(app, pilot)
        await goto(app, pilot, BOOT)
        await pilot.press("t", *"distillation", "enter")
        await settle(app, pilot)
        await pilot.press("t", "g")  # its own tag listed above, the others suggested

    app = PaperdeckApp(tui_corpus)
    assert snap_compare(app, terminal_size=SIZE, run_before=prepare(app, tag_then_open))


def test_note_editor(tui_corpus: Path, snap_compare: Any) -> None:
    async def write_note(app: PaperdeckApp, pilot: Any) -> None:
        await goto(app, pilot, GRAPHGPT)
        await pilot.press("n", *"# Idea", "enter", "enter", *"- graphs as Eulerian paths")
        await settle(app, pilot)  # past the autosave timer: the state line says "saved"
        # Under load the editor's focus (and with it the drawn cursor) can come a frame late;
        # `still` freezes the cursor as the focus has it then (CI once drew none).
        await wait_until(pilot, lambda: isinstance(app.focused, TextArea), "the editor focused")
        # CI once drew the last line without the cursor line's shading: wait (and say so if it
        # never happens) until the cursor sits after the typed text and the save has landed.
        area = app.screen.query_one(TextArea)
        await wait_until(
            pilot,
            lambda: area.cursor_location == area.document.end,
            "the cursor at the end of the note",
        )
        await wait_until(
            pilot,
            lambda: str(app.screen.query_one("#note-state", Static).content) == "saved",
            "the note saved",
        )

    app = PaperdeckApp(tui_corpus)
    assert snap_compare(app, terminal_size=SIZE, run_before=prepare(app, write_note))


def test_full_screen_reader(tui_corpus: Path, snap_compare: Any) -> None:
    async def open_reader(app: PaperdeckApp, pilot: Any) -> None:
        await goto(app, pilot, GRAPHGPT)
        await pilot.press("enter")

    app = PaperdeckApp(tui_corpus)
    assert snap_compare(app, terminal_size=SIZE, run_before=prepare(app, open_reader))


def test_help_screen(tui_corpus: Path, snap_compare: Any) -> None:
    async def open_help(app: PaperdeckApp, pilot: Any) -> None:
        await pilot.press("question_mark")

    app = PaperdeckApp(tui_corpus)
    assert snap_compare(app, terminal_size=SIZE, run_before=prepare(app, open_help))


def test_triage_after_two_decisions(tui_corpus: Path, snap_compare: Any) -> None:
    async def triage(app: PaperdeckApp, pilot: Any) -> None:
        await pilot.press("T", "l")
        await settle(app, pilot)
        await pilot.press("x")

    app = PaperdeckApp(tui_corpus)
    assert snap_compare(app, terminal_size=SIZE, run_before=prepare(app, triage))


def test_read_only_notes_file(tui_corpus: Path, snap_compare: Any) -> None:
    notes = tui_corpus / "notes"
    notes.mkdir()
    (notes / f"{GRAPHGPT}.toml").write_text(
        "schema = 1\n<<<<<<< ours\nstarred = true\n=======\nstarred = false\n>>>>>>> theirs\n",
        encoding="utf-8",
    )

    async def show_it(app: PaperdeckApp, pilot: Any) -> None:
        await goto(app, pilot, GRAPHGPT)

    app = PaperdeckApp(tui_corpus)
    assert snap_compare(app, terminal_size=SIZE, run_before=prepare(app, show_it))


def test_file_git_could_not_merge(tui_corpus: Path, snap_compare: Any) -> None:
    from paperdeck.notes.annotation import Annotation
    from paperdeck.notes.toml_format import dumps_annotation
    from paperdeck.sync.file_clash import FileClash, FileSide
    from paperdeck.tui.screens.fileclash import FileClashScreen

    mine = Annotation(GRAPHGPT, title="GraphGPT", tags=("graphs", "mine"), note="Read section 3.\n")
    raw = dumps_annotation(mine).encode()
    newer = raw.replace(b"schema = 1", b"schema = 2")
    conflict = FileClash(
        paper_id=GRAPHGPT,
        path=tui_corpus / "notes" / f"{GRAPHGPT}.toml",
        relative=f"notes/{GRAPHGPT}.toml",
        mine=FileSide("this machine", raw, mine, None),
        theirs=FileSide(
            "the other machine",
            newer,
            None,
            f"notes/{GRAPHGPT}.toml line 1: written by a newer paperdeck (schema 2)",
        ),
        base=None,
        current=newer,
    )

    async def show_it(app: PaperdeckApp, pilot: Any) -> None:
        app.push_screen(
            FileClashScreen("GraphGPT: Generative Pre-trained Graph Eulerian Transformer", conflict)
        )
        await pilot.pause()

    app = PaperdeckApp(tui_corpus)
    assert snap_compare(app, terminal_size=SIZE, run_before=prepare(app, show_it))
