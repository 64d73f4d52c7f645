"""Issue 12: the reader pane shows a paper's journal reference and marks cross-lists and
replacements from arXiv listing emails (both are file content, so made terminal-safe)."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Static

from paperdeck.corpus.corpus import Corpus
from paperdeck.library import Paper
from paperdeck.tui.widgets.paper_view import PaperView

DATA = Path(__file__).resolve().parents[1] / "readers" / "data"


class Holder(App[None]):
    def compose(self) -> ComposeResult:
        yield PaperView()


async def meta_text(shown: Paper) -> str:
    app = Holder()
    async with app.run_test(size=(120, 20)) as pilot:
        view = app.query_one(PaperView)
        view.show(shown)
        await pilot.pause()
        return str(view.query_one("#meta", Static).render())


def papers(tmp_path: Path) -> dict[str, Paper]:
    for name in ("arxiv_api.xml", "arxiv_listing.txt"):
        shutil.copy(DATA / name, tmp_path / name)
    return {paper.arxiv_id or "": paper for paper in Corpus.load(tmp_path, use_cache=False).papers}


async def test_journal_ref_and_listing_in_the_meta_line(tmp_path: Path) -> None:
    by_arxiv = papers(tmp_path)
    attention = await meta_text(by_arxiv["1706.03762"])
    assert "Advances in Neural Information Processing Systems 30 (2017)" in attention
    assert "cross-list" in await meta_text(by_arxiv["2306.04999"])
    replaced = await meta_text(by_arxiv["2211.01234"])
    assert "replacement" in replaced


async def test_journal_ref_is_terminal_safe(tmp_path: Path) -> None:
    paper = papers(tmp_path)["1706.03762"]
    hostile = Paper(**{**paper.__dict__, "journal_ref": "Phys. Rev. Lett.\x1b[31m 131 (2023)"})
    text = await meta_text(hostile)
    assert "Phys. Rev. Lett." in text and "131 (2023)" in text
    assert "\x1b" not in text
