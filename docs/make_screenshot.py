"""Regenerate docs/screenshot.svg: the app on a temp copy of the sample corpus, with a search typed
and the top hit starred and tagged.

    .venv/bin/python docs/make_screenshot.py
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from pathlib import Path

from textual.widgets import Input

from paperdeck.library import Library
from paperdeck.tui.app import PaperdeckApp
from paperdeck.tui.widgets.paper_table import PaperTable

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_CORPUS = ROOT / "sample_corpus"
TAGS = "diffusion robustness"
QUERY = "diffusion"
SIZE = (120, 36)


async def shoot(corpus: Path, target: Path) -> None:
    app = PaperdeckApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(600):  # the library and its index open on a worker
            await pilot.pause(0.05)
            if app.library is not None and app.library.index is not None:
                break
        await app.workers.wait_for_complete()
        await pilot.press("slash", *QUERY, "enter")
        await pilot.pause(0.5)
        await app.workers.wait_for_complete()
        app.screen.query_one(PaperTable).cursor = 0  # the top hit
        await pilot.press("s", "t", *TAGS, "enter")
        await pilot.pause(0.5)
        app._writer.submit(lambda: None).result(timeout=10)
        await pilot.pause(0.3)
        app.screen.refresh_counts()  # type: ignore[attr-defined]
        for field in app.screen.query(Input):
            field.cursor_blink = False
        app.clear_notifications()
        await pilot.pause(0.3)
        app.save_screenshot(filename=target.name, path=str(target.parent))


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "sample_corpus"
        shutil.copytree(
            SAMPLE_CORPUS,
            corpus,
            ignore=shutil.ignore_patterns(".*", "notes"),
            copy_function=shutil.copyfile,
        )
        os.environ["PAPERDECK_CONFIG_DIR"] = str(Path(folder) / "config")
        Library.open(corpus, with_index=True).close()
        asyncio.run(shoot(corpus, ROOT / "docs" / "screenshot.svg"))


if __name__ == "__main__":
    main()
