"""The first screen a new user sees: the bundled sample corpus, inside paperdeck's own git
repository (`make run`), opens without a "1 problem" warning about git."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from tests.tui.conftest import wait_ready
from textual.widgets import Static

from paperdeck.library import Library
from paperdeck.tui.app import PaperdeckApp

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def git(folder: Path, *args: str) -> None:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    identity = ["-c", "user.name=Test", "-c", "user.email=test@example.com"]
    subprocess.run(["git", *identity, *args], cwd=folder, check=True, capture_output=True, env=env)


@pytest.fixture
def sample_in_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, indexed_template: Path
) -> Path:
    """paperdeck's layout: a repository with the sample corpus in a subfolder, notes ignored."""
    monkeypatch.setenv("PAPERDECK_CONFIG_DIR", str(tmp_path / "config"))
    project = tmp_path / "project"
    git(tmp_path, "init", "-q", str(project))
    (project / ".gitignore").write_text("sample_corpus/notes/\n.paperdeck/\n", encoding="utf-8")
    corpus = project / "sample_corpus"
    shutil.copytree(indexed_template, corpus, copy_function=shutil.copyfile)
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "project with a sample corpus")
    return corpus


async def first_screen(corpus: Path) -> tuple[list[str], str]:
    """The notifications shown on opening, and the status line once the library is ready."""
    app = PaperdeckApp(corpus)
    shown: list[str] = []
    notify = app.notify

    def recording(message: str, *args: Any, **kwargs: Any) -> None:
        shown.append(str(message))
        notify(message, *args, **kwargs)

    app.notify = recording  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(app, pilot)
        status = str(app.screen.query_one("#status-line", Static).render())
    return shown, status


async def test_the_sample_corpus_in_a_repository_opens_without_problems(
    sample_in_project: Path,
) -> None:
    shown, status = await first_screen(sample_in_project)
    assert not [message for message in shown if "problem" in message], shown
    assert "187 papers" in status and "problem" not in status


async def test_notes_tracked_without_the_merge_driver_are_still_reported(
    sample_in_project: Path,
) -> None:
    library = Library.open(sample_in_project)
    library.star(library.papers[0].id)
    git(sample_in_project, "add", "-f", "notes")
    git(sample_in_project, "commit", "-q", "-m", "notes")
    shown, _ = await first_screen(sample_in_project)
    assert [message for message in shown if message.startswith("1 problem ")], shown
