"""`o` and `y` on a paper's links (issue 10): no browser means the link is copied instead, `y`
offers the link, and a link holding control characters or spaces is never opened nor copied
(issue 16)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.tui.conftest import wait_ready

from paperdeck.library import Library
from paperdeck.tui.app import PaperdeckApp
from paperdeck.tui.dialogs import ChoiceDialog
from paperdeck.tui.widgets.paper_table import PaperTable

SIZE = (120, 40)
ONE_LINK = "the-recent-progress-of-diffusion-models-18351d2a"
ONE_LINK_URL = "https://github.com/MischaD/chest-distillation"
TWO_LINKS = "learning-temporal-coherence-via-self-abea8c2f"
TWO_LINK_URLS = [
    "https://github.com/thunil/TecoGAN",
    "https://ge.in.tum.de/publications/2019-tecogan-chu/",
]


class Recorder:
    """Stands in for the browser and the clipboard."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, app: PaperdeckApp, browser: bool) -> None:
        self.opened: list[str] = []
        self.copied: list[str] = []
        self.browser = browser
        monkeypatch.setattr("webbrowser.open", self._open)
        monkeypatch.setattr(app, "copy_to_clipboard", self.copied.append)

    def _open(self, url: str, *_args: object, **_kwargs: object) -> bool:
        self.opened.append(url)
        return self.browser


def toasts(app: PaperdeckApp) -> list[str]:
    return [n.message for n in app._notifications]


async def goto(app: PaperdeckApp, pilot, paper_id: str) -> None:
    table = app.screen.query_one(PaperTable)
    table.cursor = list(table.rows).index(paper_id)
    await pilot.pause()


async def test_open_without_a_browser_copies_the_link_and_says_so(
    tui_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = PaperdeckApp(tui_corpus)
    recorder = Recorder(monkeypatch, app, browser=False)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(app, pilot)
        await goto(app, pilot, ONE_LINK)
        await pilot.press("o")
        await pilot.pause()
        assert recorder.opened == [ONE_LINK_URL]
        assert recorder.copied == [ONE_LINK_URL]
        [message] = toasts(app)
        assert "No browser could be opened" in message and "copied" in message
        assert not message.startswith("Opening")


async def test_open_with_a_browser_says_opening(
    tui_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = PaperdeckApp(tui_corpus)
    recorder = Recorder(monkeypatch, app, browser=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(app, pilot)
        await goto(app, pilot, ONE_LINK)
        await pilot.press("o")
        await pilot.pause()
        assert recorder.opened == [ONE_LINK_URL]
        assert recorder.copied == []
        assert toasts(app) == [f"Opening {ONE_LINK_URL}"]


async def test_copy_offers_the_link(tui_corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = PaperdeckApp(tui_corpus)
    recorder = Recorder(monkeypatch, app, browser=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(app, pilot)
        await goto(app, pilot, ONE_LINK)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        # ID, title, BibTeX, then the link
        await pilot.press("down", "down", "down", "enter")
        await pilot.pause()
        assert recorder.copied == [ONE_LINK_URL]


async def test_copy_picks_one_of_several_links(
    tui_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = PaperdeckApp(tui_corpus)
    recorder = Recorder(monkeypatch, app, browser=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(app, pilot)
        await goto(app, pilot, TWO_LINKS)
        await pilot.press("y")
        await pilot.pause()
        await pilot.press("down", "down", "down", "enter")  # "Link  one of 2…"
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        assert recorder.copied == []
        await pilot.press("down", "enter")
        await pilot.pause()
        assert recorder.copied == [TWO_LINK_URLS[1]]


HOSTILE_LINK = "https://evil.example/x\x1b]52;c;ZXZpbA==\x07y"


@pytest.fixture
def hostile_links(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    root = tmp_path / "corpus"
    root.mkdir()
    abstract = (
        "An abstract about diffusion models with links that hold control characters and spaces, "
        f"long enough to be read as one. Code at {HOSTILE_LINK} and more."
    )
    (root / "page.txt").write_text(
        f"new\n\nJul 9\n\nA Paper With A Bad Link\n\n{abstract}\n\n"
        "  • 2 authors\n·\nMar 3, 2024 7\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("PAPERDECK_CONFIG_DIR", str(tmp_path / "config"))
    library = Library.open(root)
    try:
        [paper] = library.papers
        assert paper.links == (HOSTILE_LINK,)
        return root, paper.id
    finally:
        library.close()


async def test_a_link_with_control_characters_is_never_opened_nor_copied(
    hostile_links: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, _paper_id = hostile_links
    app = PaperdeckApp(root)
    recorder = Recorder(monkeypatch, app, browser=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(app, pilot)
        await pilot.press("o")
        await pilot.pause()
        assert recorder.opened == []
        assert recorder.copied == []
        message = toasts(app)[-1]
        assert message.startswith("Not opened: this link holds control characters")
        assert "\x1b" not in message and "␛]52;" in message
        await pilot.press("y")
        await pilot.pause()
        await pilot.press("down", "down", "down", "enter")  # the link
        await pilot.pause()
        assert recorder.copied == []
        assert toasts(app)[-1].startswith("Not copied: this link holds control characters")
