"""The reader pane names a paper's authors when a source lists them (arXiv, BibTeX, ...)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static

from paperdeck.library import Paper
from paperdeck.tui.widgets.paper_view import PaperView


class Holder(App[None]):
    def compose(self) -> ComposeResult:
        yield PaperView()


def paper(**fields: object) -> Paper:
    return Paper(
        id="tracking-everything-0000abcd",
        title="Tracking Everything",
        title_derived=False,
        abstract="We track every pixel.",
        sources=(),
        **fields,  # type: ignore[arg-type]
    )


async def meta_text(shown: Paper) -> str:
    app = Holder()
    async with app.run_test(size=(100, 20)) as pilot:
        view = app.query_one(PaperView)
        view.show(shown)
        await pilot.pause()
        return str(view.query_one("#meta", Static).render())


async def test_authors_are_shown_by_name() -> None:
    text = await meta_text(paper(authors=("Qianqian Wang", "Noah Snavely\x1b[31m"), author_count=2))
    assert "Qianqian Wang, Noah Snavely" in text
    assert "\x1b" not in text  # names are file content: made terminal-safe
    assert "2\u00a0authors" not in text  # the names say it


async def test_a_count_alone_is_still_shown() -> None:
    assert "5\u00a0authors" in await meta_text(paper(author_count=5))
