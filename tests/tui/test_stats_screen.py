"""The stats screen (`i`): totals, decisions per day, papers per month, top tags; escape closes."""

from __future__ import annotations

from pathlib import Path

from tests.tui.conftest import ReadyApp, settle, wait_until
from textual.widgets import Static

from paperdeck.tui.screens.main import MainScreen
from paperdeck.tui.screens.stats import StatsScreen
from paperdeck.tui.widgets.charts import bar_rows, column_chart


def text_of(screen: StatsScreen, widget_id: str) -> str:
    return str(screen.query_one(widget_id, Static).render())


async def test_i_shows_triage_progress_and_escape_closes(
    tui_corpus: Path, ready_app: ReadyApp
) -> None:
    async with ready_app() as (app, pilot):
        first, second, third = list(app.screen.query_one("#papers").rows)[:3]
        app.library.set_status(first, "read")
        app.library.set_status(second, "skipped")
        app.library.tag(third, ["survey"])
        await pilot.press("i")
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        await wait_until(pilot, lambda: "triaged" in text_of(screen, "#stats-totals"), "counted")
        await settle(app, pilot)
        assert "187 papers · 2 triaged" in text_of(screen, "#stats-totals")
        days = text_of(screen, "#stats-days")
        assert "2 ┤" in days and days.splitlines()[-1].endswith("today")
        assert "survey" in text_of(screen, "#stats-tags")
        assert "Papers per month" in text_of(screen, "#stats-months")
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


def test_a_column_chart_scales_to_its_peak_and_shows_small_values() -> None:
    chart = column_chart([0, 1, 100, 50], height=2, first_label="a", last_label="b")
    rows = chart.plain.splitlines()
    assert rows[0] == "100 ┤  █ " and rows[1] == "  0 ┤ ▁██"
    assert rows[-1] == "     a  b"  # the labels under the first and the last column


def test_bar_rows_are_as_long_as_their_share_of_the_largest() -> None:
    rows = bar_rows([("diffusion", 8), ("graphs", 4)], width=8, label_width=10).plain.splitlines()
    assert rows == ["diffusion  ████████ 8", "graphs     ████ 4"]
