"""The measurements, each run in its own process (`python -m bench.run --worker KIND ...`).

Every worker returns a flat dict of numbers: times in seconds, memory in MB. Peak memory is the
worker process's own `ru_maxrss`, so each kind (engine, FTS5, TUI) and size is measured apart.
"""

from __future__ import annotations

import asyncio
import os
import resource
import shutil
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from bench.corpus_gen import counter_word

Result = dict[str, float]

# The query mix: (key, paperdeck query, FTS5 MATCH expression or None when FTS5 has no equivalent).
QUERIES: tuple[tuple[str, str, str | None], ...] = (
    ("word", "diffusion", "diffusion"),
    ("two_words", "diffusion distillation", "diffusion distillation"),
    ("phrase", '"language models"', '"language models"'),
    ("prefix", "diffu*", "diffu*"),
    ("fuzzy", "difusion~", None),
    ("title", "title:transformer", "title : transformer"),
    ("tag", "tag:llm", "tags : llm"),
    ("empty_date", "", ""),  # every paper, newest first
)
TYPED = "distillation"  # typed one keystroke at a time
TYPE_LIMIT = 50
TYPE_HIGHLIGHTS = 20
TUI_LIMIT = 500  # what MainScreen asks for per keystroke (SEARCH_LIMIT)


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


# --- paperdeck engine ----------------------------------------------------------------------------


def engine(corpus: Path, repeat: int, build_repeat: int, samples: int) -> Result:
    from paperdeck.corpus.corpus import Corpus
    from paperdeck.library import Library

    out: Result = {}
    index_dir = corpus / ".paperdeck" / "index"

    builds = []
    for _ in range(build_repeat):
        shutil.rmtree(index_dir, ignore_errors=True)
        started = time.perf_counter()
        library = Library.open(corpus)
        library.open_index()
        builds.append(time.perf_counter() - started)
        assert library.index is not None and library.index.last_refresh.rebuilt
        library.close()
    out["build"] = median(builds)
    out["build_children_peak_mb"] = children_peak_mb()

    reopen, reopen_library, reopen_index, loads = [], [], [], []
    for _ in range(repeat):
        started = time.perf_counter()
        library = Library.open(corpus)
        middle = time.perf_counter()
        library.open_index()
        ended = time.perf_counter()
        stats = library.index.last_refresh if library.index else None
        assert stats is not None and not stats.rebuilt and not (stats.added or stats.updated)
        reopen.append(ended - started)
        reopen_library.append(middle - started)
        reopen_index.append(ended - middle)
        library.close()
        loads.append(timed(lambda: Corpus.load(corpus))[0])
    out["reopen"] = median(reopen)
    out["reopen_library"] = median(reopen_library)
    out["reopen_index"] = median(reopen_index)
    out["corpus_load"] = median(loads)

    library = Library.open(corpus, with_index=True)
    index = library.index
    assert index is not None

    def run_query(text: str) -> Any:
        if text:
            return library.search(text, limit=TYPE_LIMIT)
        return library.search("", sort="date", limit=TYPE_LIMIT)

    for _key, text, _fts in QUERIES:  # warm up the searcher and caches
        run_query(text)
    mix: list[float] = []
    for key, text, _fts in QUERIES:
        times = []
        for _ in range(samples):
            seconds, results = timed(lambda text=text: run_query(text))
            assert results.error is None, (text, results.error)
            times.append(seconds)
        out[f"q_{key}"] = median(times)
        out[f"hits_{key}"] = results.total
        mix.extend(times)
    out["q_mix_p50"] = median(mix)
    out["q_mix_p95"] = p95(mix)

    def keystroke(prefix: str) -> None:
        results = library.search(prefix, limit=TYPE_LIMIT, as_you_type=True)
        for hit in results.hits[:TYPE_HIGHLIGHTS]:
            index.highlights(prefix, hit.paper_id, as_you_type=True)

    def tui_keystroke(prefix: str) -> None:
        results = library.search(prefix, limit=TUI_LIMIT, as_you_type=True)
        if results.hits:
            index.highlights(prefix, results.hits[0].paper_id, as_you_type=True, whole=True)

    for name, step in (("type", keystroke), ("type_tui", tui_keystroke)):
        times, first = [], []
        for _ in range(repeat):
            for length in range(1, len(TYPED) + 1):
                seconds, _ = timed(lambda step=step, length=length: step(TYPED[:length]))
                times.append(seconds)
                if length == 1:
                    first.append(seconds)
        out[f"{name}_p50"] = median(times)
        out[f"{name}_p95"] = p95(times)
        out[f"{name}_first"] = median(first)

    # Last, because every note change leaves a small segment behind.
    notes = []
    for number, paper in enumerate(note_papers(library.papers, samples)):
        token = f"zq{counter_word(number).lower()}bench"

        def change(paper: Any = paper, token: str = token) -> Any:
            library.set_note(paper.id, f"remember {token}")
            return library.search(token, limit=10)

        seconds, results = timed(change)
        assert [h.paper_id for h in results.hits] == [paper.id], (token, results)
        notes.append(seconds)
    out["note_p50"] = median(notes)
    out["note_p95"] = p95(notes)
    library.close()
    out["reopen_after_notes"] = timed(
        lambda: Library.open(corpus, with_index=True).close()  # merges the segments
    )[0]
    out["peak_mb"] = peak_mb()
    return out


# --- SQLite FTS5 baseline ------------------------------------------------------------------------


def _fts_docs(corpus: Path) -> list[tuple[str, dict[str, Any]]]:
    """The same papers and notes paperdeck indexes, with the same fingerprints."""
    from paperdeck.corpus.corpus import Corpus
    from paperdeck.notes.store import NotesStore
    from paperdeck.search.schema import document

    papers = Corpus.load(corpus).papers
    store = NotesStore(corpus)
    store.load()
    notes = store.all()
    return [(p.id, document(p, notes.get(p.id))) for p in papers]


def _fts_build(db: Path, corpus: Path) -> sqlite3.Connection:
    docs = _fts_docs(corpus)
    connection = sqlite3.connect(db)
    connection.executescript(
        """
        CREATE VIRTUAL TABLE fts USING fts5(title, abstract, tags, note,
            tokenize='porter unicode61');
        CREATE TABLE meta(rowid INTEGER PRIMARY KEY, pid TEXT UNIQUE, date INTEGER,
            fingerprint TEXT);
        CREATE INDEX meta_date ON meta(date);
        """
    )
    connection.executemany(
        "INSERT INTO fts(rowid, title, abstract, tags, note) VALUES (?, ?, ?, ?, ?)",
        [
            (i, d["title"], d["abstract"], d["tags"].replace(",", " "), d["note"])
            for i, (_pid, d) in enumerate(docs, start=1)
        ],
    )
    connection.executemany(
        "INSERT INTO meta(rowid, pid, date, fingerprint) VALUES (?, ?, ?, ?)",
        [(i, pid, d["date"], d["fingerprint"]) for i, (pid, d) in enumerate(docs, start=1)],
    )
    connection.commit()
    return connection


def _fts_reopen(db: Path, corpus: Path) -> tuple[float, float]:
    """Read the corpus and check every fingerprint, like paperdeck's refresh; (total, index)."""
    started = time.perf_counter()
    docs = _fts_docs(corpus)
    middle = time.perf_counter()
    connection = sqlite3.connect(db)
    known = dict(connection.execute("SELECT pid, fingerprint FROM meta"))
    changed = [pid for pid, d in docs if known.get(pid) != d["fingerprint"]]
    assert not changed
    connection.execute("SELECT rowid FROM fts WHERE fts MATCH 'diffusion' LIMIT 1").fetchall()
    connection.close()
    ended = time.perf_counter()
    return ended - started, ended - middle


def _fts_search(connection: sqlite3.Connection, match: str, limit: int) -> tuple[list[int], int]:
    if not match:
        rows = connection.execute(
            "SELECT rowid FROM meta ORDER BY date DESC LIMIT ?", (limit,)
        ).fetchall()
        total = connection.execute("SELECT count(*) FROM meta").fetchone()[0]
        return [r[0] for r in rows], total
    rows = connection.execute(
        "SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT ?", (match, limit)
    ).fetchall()
    total = connection.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", (match,)).fetchone()
    return [r[0] for r in rows], total[0]


def _fts_keystroke(connection: sqlite3.Connection, prefix: str, limit: int, marks: int) -> None:
    match = f'"{prefix}"*'
    _fts_search(connection, match, limit)
    connection.execute(
        "SELECT rowid, highlight(fts, 0, '[', ']'), snippet(fts, 1, '[', ']', '…', 24) "
        "FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT ?",
        (match, marks),
    ).fetchall()


def fts5(corpus: Path, repeat: int, build_repeat: int, samples: int, workdir: Path) -> Result:
    out: Result = {}
    db = workdir / "fts5.db"
    builds = []
    for _ in range(build_repeat):
        for path in workdir.glob("fts5.db*"):
            path.unlink()
        seconds, connection = timed(lambda: _fts_build(db, corpus))
        connection.close()
        builds.append(seconds)
    out["build"] = median(builds)

    reopen = [_fts_reopen(db, corpus) for _ in range(repeat)]
    out["reopen"] = median([r[0] for r in reopen])
    out["reopen_index"] = median([r[1] for r in reopen])

    connection = sqlite3.connect(db)
    for _key, _text, match in QUERIES:
        if match is not None:
            _fts_search(connection, match, TYPE_LIMIT)
    mix: list[float] = []
    for key, _text, match in QUERIES:
        if match is None:
            continue
        times = []
        for _ in range(samples):
            seconds, (_rows, total) = timed(
                lambda match=match: _fts_search(connection, match, TYPE_LIMIT)
            )
            times.append(seconds)
        out[f"q_{key}"] = median(times)
        out[f"hits_{key}"] = total
        mix.extend(times)
    out["q_mix_p50"] = median(mix)
    out["q_mix_p95"] = p95(mix)

    for name, limit, marks in (("type", TYPE_LIMIT, TYPE_HIGHLIGHTS), ("type_tui", TUI_LIMIT, 1)):
        times, first = [], []
        for _ in range(repeat):
            for length in range(1, len(TYPED) + 1):
                seconds, _ = timed(
                    lambda length=length, limit=limit, marks=marks: _fts_keystroke(
                        connection, TYPED[:length], limit, marks
                    )
                )
                times.append(seconds)
                if length == 1:
                    first.append(seconds)
        out[f"{name}_p50"] = median(times)
        out[f"{name}_p95"] = p95(times)
        out[f"{name}_first"] = median(first)

    rowids = [r[0] for r in connection.execute("SELECT rowid FROM meta ORDER BY rowid")]
    notes = []
    for number, rowid in enumerate(note_papers(rowids, samples)):
        token = f"zq{counter_word(number).lower()}bench"

        def change(rowid: int = rowid, token: str = token) -> list[int]:
            connection.execute(
                "UPDATE fts SET note = ? WHERE rowid = ?", (f"remember {token}", rowid)
            )
            connection.commit()
            return _fts_search(connection, token, 10)[0]

        seconds, hits = timed(change)
        assert hits == [rowid], (token, hits)
        notes.append(seconds)
    out["note_p50"] = median(notes)
    out["note_p95"] = p95(notes)
    connection.close()
    out["peak_mb"] = peak_mb()
    return out


# --- the TUI -------------------------------------------------------------------------------------


def tui(corpus: Path, repeat: int, keys: int) -> Result:
    started = time.perf_counter()
    from textual import events

    from paperdeck.tui.app import PaperdeckApp
    from paperdeck.tui.widgets.paper_table import PaperTable

    out: Result = {"tui_imports": time.perf_counter() - started}
    painted: dict[str, float] = {}
    original = PaperTable.render_line

    def render_line(self: PaperTable, y: int) -> Any:
        now = time.perf_counter()
        if self.rows and "at" not in painted:
            painted["at"] = now
        if y + int(self.scroll_y) == self.cursor:
            painted["cursor"] = now
        return original(self, y)

    PaperTable.render_line = render_line  # type: ignore[method-assign]

    async def _key_to_paint(app: Any, table: PaperTable, key: str) -> float:
        expected = table.cursor
        started = time.perf_counter()
        painted.pop("cursor", None)
        app._driver.send_message(events.Key(key, None))
        while table.cursor == expected or painted.get("cursor", 0.0) < started:
            if time.perf_counter() - started > 30:
                raise TimeoutError(f"{key} was not painted in 30 s")
            await asyncio.sleep(0.0005)
        return painted["cursor"] - started

    async def one_run(samples: dict[str, list[float]]) -> None:
        painted.clear()
        started = time.perf_counter()
        app = PaperdeckApp(corpus)
        async with app.run_test(size=(120, 40)) as pilot:
            library_at = ready_at = None
            while ready_at is None or "at" not in painted:
                now = time.perf_counter()
                if library_at is None and app.library_open:
                    library_at = now
                if ready_at is None and app.library_open and app.library.index_ready:
                    ready_at = now
                if now - started > 900:
                    raise TimeoutError("the TUI did not become ready in 15 minutes")
                await asyncio.sleep(0.002)
            samples["tui_library"].append(library_at - started)  # type: ignore[operator]
            samples["tui_painted"].append(painted["at"] - started)
            samples["tui_interactive"].append(ready_at - started)
            await app.workers.wait_for_complete()
            await pilot.pause()
            table = app.screen.query_one(PaperTable)
            assert table.has_focus and len(table.rows) == len(app.library.corpus.ids)
            for key, name in (("down", "tui_down"), ("pagedown", "tui_pagedown")):
                before = table.cursor
                for _ in range(keys):
                    seconds = time.perf_counter()
                    await pilot.press(key)
                    samples[name].append(time.perf_counter() - seconds)
                assert table.cursor > before, (key, before, table.cursor)
                for _ in range(keys):  # from the key event to the new cursor row painted
                    samples[f"{name}_paint"].append(await _key_to_paint(app, table, key))
                await pilot.pause()
        if app.library_open:
            app.library.close()

    samples: dict[str, list[float]] = {
        name: []
        for name in (
            "tui_library",
            "tui_painted",
            "tui_interactive",
            "tui_down",
            "tui_pagedown",
            "tui_down_paint",
            "tui_pagedown_paint",
        )
    }
    for _ in range(repeat):
        asyncio.run(one_run(samples))
    out["tui_press_floor"] = median(asyncio.run(_press_floor(keys)))
    for name, values in samples.items():
        out[name] = median(values)
    out["tui_down_p95"] = p95(samples["tui_down"])
    out["tui_pagedown_p95"] = p95(samples["tui_pagedown"])
    out["tui_peak_mb"] = peak_mb()
    return out


async def _press_floor(keys: int) -> list[float]:
    """What `pilot.press` costs in an app that does nothing on a key (it waits for idle)."""
    from textual.app import App
    from textual.binding import Binding

    class Empty(App[None]):
        BINDINGS: ClassVar = [Binding("down", "nothing", "Nothing")]

        def action_nothing(self) -> None:
            pass

    times = []
    async with Empty().run_test(size=(120, 40)) as pilot:
        for _ in range(keys):
            started = time.perf_counter()
            await pilot.press("down")
            times.append(time.perf_counter() - started)
    return times


def run_worker(kind: str, corpus: Path, repeat: int, build_repeat: int, quick: bool) -> Result:
    os.environ.setdefault("PAPERDECK_CONFIG_DIR", str(corpus.parent / "config"))
    os.environ.setdefault("PAPERDECK_CACHE_DIR", str(corpus.parent / "cache"))
    samples = 3 if quick else 5 * repeat
    if kind == "engine":
        return engine(corpus, repeat, build_repeat, samples)
    if kind == "fts5":
        return fts5(corpus, repeat, build_repeat, samples, corpus.parent)
    if kind == "tui":
        return tui(corpus, repeat, 5 if quick else 20)
    raise ValueError(kind)
