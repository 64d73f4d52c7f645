"""`bench/predict_eval.py` runs end to end on a small corpus and prints its table (shape only:
the numbers themselves are measured by hand, see README "Read next")."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROW = re.compile(r"^\| \d+ \| [a-z, ]+ \| \d+% \| [01]\.\d \| [01]\.\d \|$")


def test_predict_eval_prints_precision_at_10_per_seed() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench.predict_eval", "--size", "600", "--seeds", "2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    lines = done.stdout.splitlines()
    assert sum(1 for line in lines if ROW.match(line)) == 2
    assert lines[-1].startswith("| mean | |")
    assert "one decision + retrain + re-sort" in done.stdout
