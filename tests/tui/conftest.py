"""Fixtures for driving the TUI headless: a private corpus, a private config folder."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest

from paperdeck.library import Library
from paperdeck.tui.app import PaperdeckApp

SAMPLE_CORPUS = Path(__file__).resolve().parents[2] / "sample_corpus"
GRAPHGPT = "graphgpt-generative-pre-trained-graph-07091733"
BOOT = "boot-data-free-distillation-of-denoising-5e69af63"


@pytest.fixture(scope="session")
def indexed_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample corpus with its index built once; tests copy it (it is relocatable)."""
    target = tmp_path_factory.mktemp("template") / "corpus"
    shutil.copytree(
        SAMPLE_CORPUS, target, ignore=shutil.ignore_patterns(".*", "notes"), copy_function=_copy
    )
    Library.open(target, with_index=True).close()
    return target


def _copy(source: str, target: str) -> None:
    """Copy contents only: the repository's sample files are read-only."""
    shutil.copyfile(source, target)


@pytest.fixture
def tui_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, indexed_template: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(indexed_template, target, copy_function=_copy)
    monkeypatch.setenv("PAPERDECK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("PAPERDECK_STATE_DIR", str(tmp_path / "state"))
    return target


async def wait_ready(app: PaperdeckApp, pilot: Any, *, index: bool = True) -> None:
    """Wait until the library (and, by default, the index) has been opened by its worker."""
    for _ in range(600):
        await pilot.pause(0.02)
        library = app.library
        if library is not None and (not index or library.index is not None):
            await app.workers.wait_for_complete()
            await pilot.pause()
            return
    raise AssertionError("the library did not open in time")


async def settle(app: PaperdeckApp, pilot: Any) -> None:
    """Let debounced searches, workers and the writer thread finish."""
    for _ in range(3):
        await pilot.pause(0.2)
        await app.workers.wait_for_complete()
    app._writer.submit(lambda: None).result(timeout=10)
    await pilot.pause()


def notes_file(corpus: Path, paper_id: str) -> dict[str, Any]:
    return tomllib.loads((corpus / "notes" / f"{paper_id}.toml").read_text(encoding="utf-8"))
