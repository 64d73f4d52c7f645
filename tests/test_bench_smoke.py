"""The benchmark harness runs end to end on a small corpus and prints every row it promises.

Only the shape of the output is checked, never how fast anything was.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.run import QUICK_SIZE, ROWS  # noqa: E402

# The three tests share one run of the harness: keep them on one pytest-xdist worker.
pytestmark = pytest.mark.xdist_group("bench")

NUMBER = re.compile(r"^\d[\d,]*(\.\d+)? (s|ms|MB)$")
RATIO = re.compile(r"^\d[\d,]*(\.\d+)?x$")


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> str:
    workdir = tmp_path_factory.mktemp("bench")
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--quick", "--workdir", str(workdir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return done.stdout


def test_header_records_the_machine(output: str) -> None:
    assert "CPUs" in output and "Python" in output and "SQLite" in output
    assert f"## {QUICK_SIZE:,} papers" in output


def test_every_row_has_its_numbers(output: str) -> None:
    cells = {}
    for line in output.splitlines():
        parts = [part.strip() for part in line.strip().strip("|").split("|")]
        if len(parts) == 4:
            cells[parts[0]] = parts[1:]
    for row in ROWS:
        assert row.label in cells, f"missing row: {row.label}"
        ours, theirs, ratio = cells[row.label]
        assert NUMBER.match(ours), (row.label, ours)
        if row.fts:
            assert NUMBER.match(theirs), (row.label, theirs)
            assert RATIO.match(ratio), (row.label, ratio)
        else:
            assert theirs == "n/a" and ratio == "n/a", (row.label, theirs, ratio)


def test_generated_corpora_are_cleaned_up(
    output: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    base = tmp_path_factory.getbasetemp()
    assert not list(base.glob("bench*/paperdeck-bench-*/corpus-*"))
