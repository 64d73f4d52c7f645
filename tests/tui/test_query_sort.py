"""A `sort:` inside the query is the sort the app says it used (issue 10)."""

from __future__ import annotations

from pathlib import Path

from tests.tui.conftest import settle, wait_ready
from textual.widgets import Input, Static

from paperdeck.tui.app import PaperdeckApp
from paperdeck.tui.widgets.paper_table import PaperTable


def shown(app: PaperdeckApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_sort_in_the_query_shows_in_the_label_and_status(tui_corpus: Path) -> None:
    app = PaperdeckApp(tui_corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(app, pilot)
        await pilot.press("slash", *"sort:date diffusion")
        await settle(app, pilot)
        rows = list(app.screen.query_one(PaperTable).rows)
        dates = [app.library.paper(i).date for i in rows]
        known = [d.iso() for d in dates if d is not None and d.year_known]
        assert len(rows) > 5 and known == sorted(known, reverse=True)
        assert shown(app, "#sort-label") == "sort: date (O)"
        assert "sorted by date" in shown(app, "#status-line")
        assert "relevance" not in shown(app, "#status-line")
        app.screen.query_one("#search", Input).value = "diffusion"  # the query's sort is gone
        await settle(app, pilot)
        assert shown(app, "#sort-label") == "sort: relevance (O)"
        assert "sorted by relevance" in shown(app, "#status-line")
