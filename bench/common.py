"""What every benchmark worker shares: statistics, timing, memory, and the generated queries.

A worker returns a flat dict: numbers (times in seconds, memory in MB) and, for a few keys, lists
(the slowest keystrokes). The queries are generated once per corpus (`bench.queries`) and saved
beside it, so the paperdeck and FTS5 workers run exactly the same ones.
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench.queries import FullQuery, full_queries, typed_queries, vocabulary

Result = dict[str, Any]

TUI_LIMIT = 500  # what MainScreen asks for per keystroke (SEARCH_LIMIT)
QUERY_LIMIT = 50  # full queries: the top 50, and a total
SLOWEST = 10  # keystrokes listed by name


def peak_mb() -> float:
    """This process's peak resident memory (Linux reports KiB, macOS bytes)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (2**20 if sys.platform == "darwin" else 1024)


def children_peak_mb() -> float:
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return rss / (2**20 if sys.platform == "darwin" else 1024)


def median(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = call()
    return time.perf_counter() - started, value


def note_papers(papers: list[Any], count: int) -> list[Any]:
    step = max(1, len(papers) // (count + 1))
    return [papers[(i + 1) * step % len(papers)] for i in range(count)]


def summarise_keystrokes(prefix: str, samples: list[tuple[str, int, float]]) -> Result:
    """p50/p95/max over (typed text, words in the query, seconds); per word count too."""
    times = [seconds for _, _, seconds in samples]
    out: Result = {
        f"{prefix}_p50": median(times),
        f"{prefix}_p95": p95(times),
        f"{prefix}_max": max(times),
        f"{prefix}_keys": float(len(times)),
    }
    for words in range(1, 5):
        these = [seconds for _, count, seconds in samples if count == words]
        if these:
            out[f"{prefix}_w{words}_p95"] = p95(these)
            out[f"{prefix}_w{words}_max"] = max(these)
    slowest = sorted(samples, key=lambda sample: -sample[2])[:SLOWEST]
    out[f"{prefix}_slowest"] = [[text, seconds] for text, _, seconds in slowest]
    return out


def make_queries(corpus: Path, typed: int, seed: int = 0) -> dict[str, Any]:
    """Typed and full queries for this corpus, from its own words (see `bench.queries`)."""
    from paperdeck.corpus.corpus import Corpus
    from paperdeck.notes.store import NotesStore

    papers = Corpus.load(corpus).papers
    vocab = vocabulary([p.title for p in papers], [p.abstract for p in papers], seed)
    store = NotesStore(corpus)
    store.load()
    tags = {tag for annotation in store.all().values() for tag in annotation.tags}
    return {
        "typed": typed_queries(vocab, typed, seed),
        "full": [asdict(q) for q in full_queries(vocab, tags, seed)],
    }


def load_queries(path: Path | None, corpus: Path, typed: int) -> tuple[list[str], list[FullQuery]]:
    """The queries saved by `bench.run` (or made now, for a worker run by hand)."""
    data = json.loads(path.read_text()) if path is not None else make_queries(corpus, typed)
    full = [
        FullQuery(q["kind"], q["text"], q["fts"], tuple(q["years"]) if q["years"] else None)
        for q in data["full"]
    ]
    return list(data["typed"]), full
