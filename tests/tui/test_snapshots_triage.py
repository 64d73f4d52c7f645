"""How the triage screens look (issue 13), at 80x24 and 120x40: the compact list with marks,
the "skip the rest" confirmation. Regenerate as `test_snapshots` says, and look at every SVG."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.tui.conftest import settle
from tests.tui.test_snapshots import prepare

from paperdeck.tui.app import PaperdeckApp
from paperdeck.tui.widgets.paper_table import PaperTable

SIZES = [(80, 24), (120, 40)]


async def marked_compact_list(app: PaperdeckApp, pilot: Any) -> None:
    await pilot.press("O", "g", "z")
    await settle(app, pilot)
    noted = app.screen.query_one(PaperTable).rows[3]
    app.library.set_note(noted, "a note, so the list shows its mark")
    app.library.star(noted, True)
    app.broadcast_notes_changed([noted])
    # two skipped as a batch, then two marked (the cursor on the row after them)
    await pilot.press("space", "space", "x", "space", "j", "space")


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_compact_list_sorted_by_date_with_marks(
    tui_corpus: Path, snap_compare: Any, size: tuple[int, int]
) -> None:
    app = PaperdeckApp(tui_corpus)
    assert snap_compare(app, terminal_size=size, run_before=prepare(app, marked_compact_list))


async def skip_the_rest(app: PaperdeckApp, pilot: Any) -> None:
    await pilot.press("l", "d", "X")


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_skip_the_rest_confirmation(
    tui_corpus: Path, snap_compare: Any, size: tuple[int, int]
) -> None:
    app = PaperdeckApp(tui_corpus)
    assert snap_compare(app, terminal_size=size, run_before=prepare(app, skip_the_rest))
