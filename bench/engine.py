"""The paperdeck engine's measurements, through `Library` as the faces call it: the full build,
re-opens, the full-query mix, typed queries keystroke by keystroke, and note changes."""

from __future__ import annotations

import shutil
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.common import (
    QUERY_LIMIT,
    TUI_LIMIT,
    Result,
    children_peak_mb,
    median,
    note_papers,
    p95,
    peak_mb,
    summarise_keystrokes,
    timed,
)
from bench.corpus_gen import counter_word
from bench.queries import FullQuery, keystrokes


def build_and_reopen(corpus: Path, repeat: int, build_repeat: int) -> Result:
    from paperdeck.corpus.corpus import Corpus
    from paperdeck.library import Library

    out: Result = {}
    builds, after = [], []
    for _ in range(build_repeat):
        shutil.rmtree(corpus / ".paperdeck" / "index", ignore_errors=True)
        started = time.perf_counter()
        library = Library.open(corpus)
        library.open_index()
        builds.append(time.perf_counter() - started)
        assert library.index is not None and library.index.last_refresh.rebuilt
        library.close()
        # the next command: does it read the corpus cache, or parse every file again?
        seconds, library = timed(lambda: Library.open(corpus))
        after.append(seconds)
        out["after_build_cached"] = float(library.corpus._store is not None)
        library.close()
    out["build"] = median(builds)
    out["after_build_open"] = median(after)
    out["build_children_peak_mb"] = children_peak_mb()

    reopen, reopen_index, loads = [], [], []
    for _ in range(repeat):
        started = time.perf_counter()
        library = Library.open(corpus)
        middle = time.perf_counter()
        library.open_index()
        ended = time.perf_counter()
        stats = library.index.last_refresh if library.index else None
        assert stats is not None and not stats.rebuilt and not (stats.added or stats.updated)
        reopen.append(ended - started)
        reopen_index.append(ended - middle)
        library.close()
        loads.append(timed(lambda: Corpus.load(corpus))[0])
    out["reopen"] = median(reopen)
    out["reopen_index"] = median(reopen_index)
    out["corpus_load"] = median(loads)
    return out


def full_mix(library: Any, queries: list[FullQuery], repeat: int) -> Result:
    """Each query `repeat` times (top QUERY_LIMIT and a total); p50 per class and overall."""
    by_kind: dict[str, list[float]] = defaultdict(list)
    hits: dict[str, list[int]] = defaultdict(list)
    for query in queries:  # warm up the searcher and the caches once
        library.search(query.text, limit=QUERY_LIMIT)
    for query in queries:
        for _ in range(repeat):
            seconds, results = timed(lambda q=query: library.search(q.text, limit=QUERY_LIMIT))
            by_kind[query.kind].append(seconds)
        hits[query.kind].append(results.total)
    empty = [timed(lambda: library.search("", sort="date", limit=QUERY_LIMIT))[0]]
    empty += [timed(lambda: library.search("", sort="date", limit=QUERY_LIMIT))[0]]
    out: Result = {"q_empty_date": median(empty)}
    everything: list[float] = []
    for kind, times in by_kind.items():
        out[f"q_{kind}"] = median(times)
        out[f"q_{kind}_p95"] = p95(times)
        out[f"hits_{kind}"] = median([float(h) for h in hits[kind]])
        everything += times
    out["q_mix_p50"] = median(everything)
    out["q_mix_p95"] = p95(everything)
    out["q_mix_max"] = max(everything)
    return out


def typing(library: Any, typed: list[str]) -> Result:
    """Every keystroke of every typed query, as MainScreen's search worker does it: the search
    (limit 500, as you type), then the best match's highlights for the reading pane."""
    samples: list[tuple[str, int, float]] = []
    for query in typed:
        words = len(query.split())
        for text in keystrokes(query):

            def keystroke(text: str = text) -> None:
                results = library.search(text, limit=TUI_LIMIT, as_you_type=True)
                library.highlights(text, [hit.paper_id for hit in results.hits[:1]])

            samples.append((text, words, timed(keystroke)[0]))
    return summarise_keystrokes("type", samples)


def note_changes(library: Any, samples: int) -> Result:
    """A note saved through the Library until a search finds it (last: each adds a segment)."""
    times = []
    for number, paper in enumerate(note_papers(library.papers, samples)):
        token = f"zq{counter_word(number).lower()}bench"

        def change(paper: Any = paper, token: str = token) -> Any:
            library.set_note(paper.id, f"remember {token}")
            return library.search(token, limit=10)

        seconds, results = timed(change)
        assert [h.paper_id for h in results.hits] == [paper.id], (token, results)
        times.append(seconds)
    return {"note_p50": median(times), "note_p95": p95(times), "note_max": max(times)}


def engine(
    corpus: Path,
    repeat: int,
    build_repeat: int,
    typed: list[str],
    full: list[FullQuery],
    notes: int,
) -> Result:
    from paperdeck.library import Library

    out = build_and_reopen(corpus, repeat, build_repeat)
    library = Library.open(corpus, with_index=True)
    out.update(full_mix(library, full, repeat))
    out.update(typing(library, typed))
    out.update(note_changes(library, notes))
    library.close()
    out["reopen_after_notes"] = timed(lambda: Library.open(corpus, with_index=True).close())[0]
    out["peak_mb"] = peak_mb()
    return out
