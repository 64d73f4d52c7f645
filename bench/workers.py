"""The measurements, each run in its own process (`python -m bench.run --worker KIND ...`).

Every worker returns a flat dict: numbers (times in seconds, memory in MB) and the slowest
keystrokes. Peak memory is the worker process's own `ru_maxrss`, so each kind (engine, FTS5,
TUI) and size is measured apart. The engine lives in `bench.engine`, the baseline in
`bench.fts5`, the TUI in `bench.tui_bench`; the queries both search engines run come from
`bench.queries` (saved beside the corpus by `bench.run`).
"""

from __future__ import annotations

import os
from pathlib import Path

from bench.common import Result, load_queries

TYPED_QUERIES = 40  # typed queries per size (each is typed keystroke by keystroke)
NOTE_CHANGES = 30


def run_worker(
    kind: str,
    corpus: Path,
    repeat: int,
    build_repeat: int,
    quick: bool,
    queries: Path | None = None,
) -> Result:
    os.environ.setdefault("PAPERDECK_CONFIG_DIR", str(corpus.parent / "config"))
    os.environ.setdefault("PAPERDECK_CACHE_DIR", str(corpus.parent / "cache"))
    os.environ.setdefault("PAPERDECK_STATE_DIR", str(corpus.parent / "state"))
    notes = 5 if quick else NOTE_CHANGES
    if kind == "tui":
        from bench.tui_bench import tui

        return tui(corpus, repeat, 5 if quick else 20)
    typed, full = load_queries(queries, corpus, 8 if quick else TYPED_QUERIES)
    if kind == "engine":
        from bench.engine import engine

        return engine(corpus, repeat, build_repeat, typed, full, notes)
    if kind == "fts5":
        from bench.fts5 import fts5

        return fts5(corpus, repeat, build_repeat, typed, full, notes, corpus.parent)
    raise ValueError(kind)
