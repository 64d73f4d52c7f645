"""The stats screen (`i`): how triage went day by day, the papers by month, the top tags."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from paperdeck.library import STATUSES, Stats
from paperdeck.tui.base import deck
from paperdeck.tui.widgets.charts import bar_rows, column_chart

CHART_HEIGHT = 5
TOP_TAGS = 8


class StatsScreen(ModalScreen[None]):
    """Counted in a worker (every paper is looked at), drawn once known; escape closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,i,q", "app.pop_screen", "Close"),
    ]

    def __init__(self, today: date | None = None) -> None:
        """`today`: the last day charted (a fixed one for a snapshot); the local date if None."""
        super().__init__()
        self._today = today

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="stats"):
            yield Static("Triage stats", id="dialog-title")
            yield Static("Counting…", id="stats-totals", markup=False)
            yield Static("", id="stats-days", classes="stats-chart", markup=False)
            yield Static("", id="stats-months", classes="stats-chart", markup=False)
            yield Static("", id="stats-tags", classes="stats-chart", markup=False)
            yield Static("escape closes", classes="dialog-help")

    def on_mount(self) -> None:
        self.count()

    @work(thread=True, exclusive=True, group="stats")
    def count(self) -> None:
        library = deck(self.app).library
        stats = library.stats(today=self._today)
        self.app.call_from_thread(self.show, stats)

    def show(self, stats: Stats) -> None:
        if not self.is_mounted:
            return
        width = max(self.query_one("#stats").scrollable_content_region.width - 10, 20)
        statuses = " · ".join(f"{stats.by_status.get(status, 0):,} {status}" for status in STATUSES)
        self.query_one("#stats-totals", Static).update(
            f"{stats.total:,} papers · {stats.triaged:,} triaged · {stats.starred:,} starred\n"
            f"{statuses}"
        )
        days = stats.per_day[-width:]
        decided = column_chart(
            [day.decided for day in days],
            height=CHART_HEIGHT,
            first_label=days[0].day.strftime("%b %d") if days else "",
            last_label="today",
            style="bold",
        )
        self.query_one("#stats-days", Static).update(
            titled(f"Papers decided per day (the last {len(days)} days)", decided)
        )
        months = stats.per_month[-width:]
        by_month = column_chart(
            [count for _, count in months],
            height=CHART_HEIGHT,
            first_label=months[0][0] if months else "",
            last_label=months[-1][0] if len(months) > 1 else "",
        )
        undated = f" · {stats.undated:,} undated" if stats.undated else ""
        self.query_one("#stats-months", Static).update(
            titled(f"Papers per month (by the paper's date){undated}", by_month)
        )
        tags = stats.top_tags[:TOP_TAGS]
        self.query_one("#stats-tags", Static).update(
            titled("Top tags", bar_rows(tags, width=max(width - 26, 10)) if tags else None)
        )


def titled(title: str, body: Text | None) -> Text:
    """A chart under its title; with no body, says there is nothing to chart yet."""
    text = Text()
    text.append(title + "\n", style="bold")
    text.append_text(body if body is not None else Text("None yet.", style="dim"))
    return text
