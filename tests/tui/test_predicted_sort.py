"""The predicted sort in the TUI: in the `O` cycle, a score column, what it does now in the
status line, the terms behind a paper's score in the reading pane; it follows new decisions."""

from __future__ import annotations

from tests.tui.conftest import ReadyApp, settle
from textual.widgets import Static

from paperdeck.library import Library
from paperdeck.tui.app import PaperdeckApp
from paperdeck.tui.widgets.paper_table import PaperTable
from paperdeck.tui.widgets.paper_view import PaperView


def table(app: PaperdeckApp) -> PaperTable:
    return app.screen.query_one(PaperTable)


def keep_graphs_skip_speech(library: Library) -> tuple[list[str], list[str]]:
    """Star papers about graphs, skip papers about speech: enough labels for a model."""

    def about(word: str) -> list[str]:
        return [p.id for p in library.papers if word in f"{p.title} {p.abstract}".lower()]

    graphs, speech = about("graph"), about("speech")
    library.star_many(graphs[:4], True)
    library.set_status_many([i for i in speech if i not in graphs][:4], "skipped")
    return graphs, speech


async def test_o_reaches_predicted_and_the_list_ranks_by_it(ready_app: ReadyApp) -> None:
    async with ready_app() as (app, pilot):
        keep_graphs_skip_speech(app.library)
        app.broadcast_notes_changed(list(app.library.corpus.ids))
        await settle(app, pilot)
        await pilot.press(*["O"] * 5)  # date, comments, upvotes, title, predicted
        await settle(app, pilot)
        label = str(app.screen.query_one("#sort-label", Static).render())
        assert label.startswith("sort: predicted")
        status = str(app.screen.query_one("#status-line", Static).render())
        assert "4 starred or read papers against the 4 skipped" in status
        rows = list(table(app).rows)
        assert rows == app.library.sort_ids(app.library.corpus.ids, "predicted")
        assert rows != app.library.sort_ids(app.library.corpus.ids, "date")
        top = rows[:3]
        table(app).cursor = 0
        await settle(app, pilot)
        score = app.library.prediction(top[0])
        assert score is not None
        assert f"{score.score:+.2f}" in table(app).render_line(0).text
        shown = str(app.screen.query_one(PaperView).query_one("#prediction", Static).render())
        assert shown.startswith(f"Predicted {score.score:.2f}")
        term, weight = score.terms[0]
        assert f"{'+' if weight >= 0 else '−'}{term}" in shown


async def test_the_ranking_follows_a_decision(ready_app: ReadyApp) -> None:
    async with ready_app() as (app, pilot):
        keep_graphs_skip_speech(app.library)
        app.broadcast_notes_changed(list(app.library.corpus.ids))
        await pilot.press(*["O"] * 5)
        await settle(app, pilot)
        first = table(app).rows[0]
        table(app).cursor = 0
        await pilot.press("x")  # the best guess skipped: it goes down the ranking
        await settle(app, pilot)
        assert table(app).rows[0] != first
        assert list(table(app).rows).index(first) > 20
        # the cursor stays on top, on the next best guess, not down with the skipped paper
        assert table(app).cursor == 0 and table(app).current == table(app).rows[0]
