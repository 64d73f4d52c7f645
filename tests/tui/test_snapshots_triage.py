"""How the triage screens look (issue 13), at 80x24 and 120x40: the compact list with marks,
the "skip the rest" confirmation, the stats screen, the reader with the terms behind a score.
Regenerate as `test_snapshots` says, and look at every SVG."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from tests.tui.conftest import settle
from tests.tui.test_snapshots import prepare

from paperdeck.library import Library
from paperdeck.tui.app import PaperdeckApp
from paperdeck.tui.screens.stats import StatsScreen
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


def decided_on_days(corpus: Path) -> None:
    """Notes files with decisions spread over the days before 2026-12-02 (midday UTC)."""
    library = Library.open(corpus)
    papers = [paper.id for paper in library.papers][:24]
    library.close()
    notes = corpus / "notes"
    notes.mkdir(exist_ok=True)
    for n, paper_id in enumerate(papers):
        day = 2 - n % 5 if n % 5 < 2 else 30 - n % 5  # Dec 2, Dec 1, Nov 28, Nov 27, Nov 26
        month = 12 if n % 5 < 2 else 11
        status = ("read", "skipped", "later")[n % 3]
        tags = '\ntags = [\n    "diffusion",\n]\n' if n % 2 else ""
        (notes / f"{paper_id}.toml").write_text(
            f'schema = 1\nid = "{paper_id}"\n\nstatus = "{status}"\n'
            f"status_at = 2026-{month:02d}-{day:02d}T12:00:00Z\n{tags}",
            encoding="utf-8",
        )


async def open_stats(app: PaperdeckApp, pilot: Any) -> None:
    app.push_screen(StatsScreen(today=date(2026, 12, 2)))
    await settle(app, pilot)


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_stats_screen(tui_corpus: Path, snap_compare: Any, size: tuple[int, int]) -> None:
    decided_on_days(tui_corpus)
    app = PaperdeckApp(tui_corpus)
    assert snap_compare(app, terminal_size=size, run_before=prepare(app, open_stats))


async def reader_with_terms(app: PaperdeckApp, pilot: Any) -> None:
    library = app.library
    papers = library.papers
    graphs = [p.id for p in papers if "graph" in f"{p.title} {p.abstract}".lower()]
    speech = [p.id for p in papers if "speech" in f"{p.title} {p.abstract}".lower()]
    library.star_many(graphs[:4], True)
    library.set_status_many([i for i in speech if i not in graphs][:4], "skipped")
    app.broadcast_notes_changed(list(library.corpus.ids))
    await pilot.press(*["O"] * 5)  # predicted
    await settle(app, pilot)
    await pilot.press("g", "enter")


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_reader_with_the_terms_behind_the_prediction(
    tui_corpus: Path, snap_compare: Any, size: tuple[int, int]
) -> None:
    app = PaperdeckApp(tui_corpus)
    assert snap_compare(app, terminal_size=size, run_before=prepare(app, reader_with_terms))
