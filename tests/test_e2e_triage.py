"""End to end, issue 13: the morning's 50 new papers cleared in a real terminal (tmux) with the
reader deciding the first ten (each decision moves on) and one confirmed batch skip for the rest;
then the notes files on disk say exactly that, and nothing else changed."""

from __future__ import annotations

import shutil
import time
import tomllib
from pathlib import Path

import pytest
from tests.test_e2e_tmux import Tmux

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

BATCH = 50
READ_IN_READER = 10
# The first ten decisions, made in the full-screen reader: read, skip, later, in turn.
DECISIONS = [("d", "read"), ("x", "skipped"), ("l", "later")]
# `]` steps through the sidebar: All, Unread, Later, Reading, Read, Skipped, Starred, New.
TO_NEW = 7


def batch_file(count: int) -> str:
    """A BibTeX file of `count` new papers, as a morning's fetch would add one."""
    return "\n".join(
        f"@article{{batch{n:02d},\n  title = {{Batch paper {n:02d}: a study of topic {n % 7}}},\n"
        f"  author = {{Ada Lovelace}},\n  year = {{2026}},\n"
        f"  abstract = {{Paper {n:02d} of the morning batch, about topic {n % 7}.}},\n}}\n"
        for n in range(count)
    )


def statuses(corpus: Path) -> dict[str, str]:
    """Every notes file's paper title and status."""
    found = {}
    for path in (corpus / "notes").glob("*.toml"):
        notes = tomllib.loads(path.read_text(encoding="utf-8"))
        found[notes.get("title", notes["id"])] = notes.get("status", "unread")
    return found


@pytest.fixture
def corpus(corpus_copy: Path) -> Path:
    return corpus_copy


def test_a_new_batch_of_50_cleared_with_the_reader_and_a_batch_skip(
    corpus: Path, tmp_path: Path
) -> None:
    env = {"PAPERDECK_STATE_DIR": str(tmp_path / "state")}
    tmux = Tmux(tmp_path)
    try:
        tmux.start_paperdeck(corpus, tmp_path, **env)  # yesterday's session
        tmux.keys("q")
        tmux.wait_for_exit()
        tmux.kill()
        time.sleep(1.1)  # this morning's papers arrive after yesterday's session began
        (corpus / "new_batch.bib").write_text(batch_file(BATCH), encoding="utf-8")

        tmux = Tmux(tmp_path)
        tmux.start_paperdeck(corpus, tmp_path, papers=187 + BATCH, **env)
        tmux.keys(*["]"] * TO_NEW)
        tmux.wait_for_text(f"{BATCH} papers · New")
        tmux.keys("T", "Enter")
        tmux.wait_for_text("Next paper")  # the reader's footer
        for n in range(READ_IN_READER):
            tmux.wait_for_text(f"Batch paper {n:02d}")
            tmux.keys(DECISIONS[n % 3][0])  # decides, and the reader moves on (triage mode)
        tmux.wait_for_text(f"Batch paper {READ_IN_READER:02d}")
        tmux.keys("Escape")
        tmux.wait_for_text(f"Triage {READ_IN_READER}/{BATCH}")
        tmux.keys("X")
        tmux.wait_for_text(f"Skip the rest: {BATCH - READ_IN_READER} unread papers of New?")
        tmux.keys("y")
        tmux.wait_for_text(f"Triage {BATCH}/{BATCH}")
        tmux.keys("q")
        assert tmux.wait_for_exit() in ("0", None)
    finally:
        tmux.kill()

    on_disk = statuses(corpus)
    expected = {
        f"Batch paper {n:02d}: a study of topic {n % 7}": (
            DECISIONS[n % 3][1] if n < READ_IN_READER else "skipped"
        )
        for n in range(BATCH)
    }
    assert on_disk == expected  # the 50 new papers, each decided; no older paper touched
