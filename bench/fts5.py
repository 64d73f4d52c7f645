"""The SQLite FTS5 baseline: the same papers, the same queries, the same work where FTS5 has an
equivalent (top 50 by bm25 plus a count; per keystroke 500 rows, a count and one highlight)."""

from __future__ import annotations

import re
import sqlite3
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.common import (
    QUERY_LIMIT,
    TUI_LIMIT,
    Result,
    median,
    note_papers,
    p95,
    peak_mb,
    summarise_keystrokes,
    timed,
)
from bench.corpus_gen import counter_word
from bench.queries import FullQuery, keystrokes
from paperdeck.search.query import MIN_PREFIX  # shorter unfinished words wait for the next key

_TOKEN = re.compile(r"\w+")


def _docs(corpus: Path) -> list[tuple[str, dict[str, Any]]]:
    """The same papers and notes paperdeck indexes, with the same fingerprints."""
    from paperdeck.corpus.corpus import Corpus
    from paperdeck.notes.store import NotesStore
    from paperdeck.search.schema import document

    papers = Corpus.load(corpus).papers
    store = NotesStore(corpus)
    store.load()
    notes = store.all()
    return [(p.id, document(p, notes.get(p.id))) for p in papers]


def _build(db: Path, corpus: Path) -> sqlite3.Connection:
    docs = _docs(corpus)
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


def _reopen(db: Path, corpus: Path) -> tuple[float, float]:
    """Read the corpus and check every fingerprint, like paperdeck's refresh; (total, index)."""
    started = time.perf_counter()
    docs = _docs(corpus)
    middle = time.perf_counter()
    connection = sqlite3.connect(db)
    known = dict(connection.execute("SELECT pid, fingerprint FROM meta"))
    changed = [pid for pid, d in docs if known.get(pid) != d["fingerprint"]]
    assert not changed
    connection.execute("SELECT rowid FROM fts WHERE fts MATCH 'diffusion' LIMIT 1").fetchall()
    connection.close()
    ended = time.perf_counter()
    return ended - started, ended - middle


def search(
    connection: sqlite3.Connection, match: str, limit: int, years: tuple[int, int] | None = None
) -> tuple[list[int], int]:
    """The top `limit` rowids by bm25 and the number of matches."""
    source, where, arguments = "fts", "fts MATCH ?", (match,)
    if years is not None:
        source = "fts JOIN meta ON meta.rowid = fts.rowid"
        where += " AND meta.date BETWEEN ? AND ?"
        arguments = (match, years[0] * 10000, years[1] * 10000 + 1231)
    rows = connection.execute(
        f"SELECT fts.rowid FROM {source} WHERE {where} ORDER BY rank LIMIT ?", (*arguments, limit)
    ).fetchall()
    total = connection.execute(f"SELECT count(*) FROM {source} WHERE {where}", arguments)
    return [r[0] for r in rows], total.fetchone()[0]


def typed_match(text: str) -> str | None:
    """A keystroke as FTS5 MATCH: finished words, the last one unfinished a prefix. As in the
    app, an unfinished word of one letter waits for the next key (`query.MIN_PREFIX`)."""
    words = _TOKEN.findall(text)
    unfinished = bool(words) and text[-1].isalnum()
    if unfinished and len(words[-1]) < MIN_PREFIX:
        words.pop()
        unfinished = False
    if not words:
        return None
    parts = [f'"{word}"' for word in words]
    if unfinished:
        parts[-1] += "*"
    return " ".join(parts)


def _keystroke(connection: sqlite3.Connection, text: str) -> None:
    match = typed_match(text)
    if match is None:
        return
    search(connection, match, TUI_LIMIT)
    connection.execute(
        "SELECT rowid, highlight(fts, 0, '[', ']'), highlight(fts, 1, '[', ']') "
        "FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT 1",
        (match,),
    ).fetchall()


def fts5(
    corpus: Path,
    repeat: int,
    build_repeat: int,
    typed: list[str],
    full: list[FullQuery],
    notes: int,
    workdir: Path,
) -> Result:
    out: Result = {}
    db = workdir / "fts5.db"
    builds = []
    for _ in range(build_repeat):
        for path in workdir.glob("fts5.db*"):
            path.unlink()
        seconds, connection = timed(lambda: _build(db, corpus))
        connection.close()
        builds.append(seconds)
    out["build"] = median(builds)
    reopen = [_reopen(db, corpus) for _ in range(repeat)]
    out["reopen"] = median([r[0] for r in reopen])
    out["reopen_index"] = median([r[1] for r in reopen])

    connection = sqlite3.connect(db)
    by_kind: dict[str, list[float]] = defaultdict(list)
    hits: dict[str, list[float]] = defaultdict(list)
    for query in full:
        if query.fts is not None:
            search(connection, query.fts, QUERY_LIMIT, query.years)  # warm up
    for query in full:
        if query.fts is None:
            continue
        for _ in range(repeat):
            seconds, (_rows, total) = timed(
                lambda q=query: search(connection, q.fts or "", QUERY_LIMIT, q.years)
            )
            by_kind[query.kind].append(seconds)
        hits[query.kind].append(float(total))
    everything: list[float] = []
    for kind, times in by_kind.items():
        out[f"q_{kind}"] = median(times)
        out[f"q_{kind}_p95"] = p95(times)
        out[f"hits_{kind}"] = median(hits[kind])
        everything += times
    out["q_mix_p50"] = median(everything)
    out["q_mix_p95"] = p95(everything)
    out["q_mix_max"] = max(everything)
    out["q_empty_date"] = timed(
        lambda: connection.execute(
            "SELECT rowid FROM meta ORDER BY date DESC LIMIT ?", (QUERY_LIMIT,)
        ).fetchall()
    )[0]

    samples = []
    for query in typed:
        words = len(query.split())
        for text in keystrokes(query):
            samples.append((text, words, timed(lambda t=text: _keystroke(connection, t))[0]))
    out.update(summarise_keystrokes("type", samples))

    rowids = [r[0] for r in connection.execute("SELECT rowid FROM meta ORDER BY rowid")]
    changes = []
    for number, rowid in enumerate(note_papers(rowids, notes)):
        token = f"zq{counter_word(number).lower()}bench"

        def change(rowid: int = rowid, token: str = token) -> list[int]:
            connection.execute(
                "UPDATE fts SET note = ? WHERE rowid = ?", (f"remember {token}", rowid)
            )
            connection.commit()
            return search(connection, token, 10)[0]

        seconds, found = timed(change)
        assert found == [rowid], (token, found)
        changes.append(seconds)
    out.update(note_p50=median(changes), note_p95=p95(changes), note_max=max(changes))
    connection.close()
    out["peak_mb"] = peak_mb()
    return out
