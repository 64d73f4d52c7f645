"""Run the paperdeck benchmark and print Markdown tables (paperdeck vs an SQLite FTS5 baseline).

    python -m bench.run [--sizes 10000,100000] [--repeat N] [--build-repeat N] [--typed N]
    python -m bench.run --quick

For each size a fresh synthetic corpus is generated in a temporary folder (removed afterwards
unless --keep) and queries are generated from its own words (`bench.queries`: typed queries of
1-4 words, and a full-query mix by class); then three worker processes measure it one after the
other: the paperdeck engine (full build, re-open, the full-query mix, every keystroke of the
typed queries as the app calls it, note changes), the FTS5 baseline on the same papers and
queries, and the headless TUI (start-up, cursor keys). Values are medians over the repeats (p50,
p95 and max over all samples); peak memory is each worker process's own maximum RSS.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from bench.common import make_queries
from bench.corpus_gen import generate
from bench.workers import TYPED_QUERIES

ROOT = Path(__file__).resolve().parents[1]
QUICK_SIZE = 1000
QUICK_TYPED = 8


@dataclass(frozen=True)
class Row:
    label: str
    key: str  # in the paperdeck results
    unit: str  # "s", "ms", "MB" or "" (a count)
    fts: bool = True  # False: FTS5 has no equivalent (n/a)
    source: str = "engine"  # which worker measured the paperdeck value


TYPED = "as-you-type keystroke, as the app does it (search limit 500 + 1 highlight)"
ROWS: tuple[Row, ...] = (
    Row("full index build: Library.open + open_index, fresh corpus", "build", "s"),
    Row("next command after the build: Library.open", "after_build_open", "ms", fts=False),
    Row("re-open, nothing changed: Library.open + open_index", "reopen", "ms"),
    Row("re-open: open_index alone (fingerprint check)", "reopen_index", "ms"),
    Row("re-open: Corpus.load alone", "corpus_load", "ms", fts=False),
    Row("one note change until searchable p50", "note_p50", "ms"),
    Row("one note change until searchable p95", "note_p95", "ms"),
    Row("one note change until searchable max", "note_max", "ms"),
    Row(f"{TYPED} p50", "type_p50", "ms"),
    Row(f"{TYPED} p95", "type_p95", "ms"),
    Row(f"{TYPED} max", "type_max", "ms"),
    *(Row(f"as-you-type, {n}-word queries, p95", f"type_w{n}_p95", "ms") for n in range(1, 5)),
    *(Row(f"as-you-type, {n}-word queries, max", f"type_w{n}_max", "ms") for n in range(1, 5)),
    Row("full-query mix p50 (top 50 + total)", "q_mix_p50", "ms"),
    Row("full-query mix p95 (top 50 + total)", "q_mix_p95", "ms"),
    Row("full-query mix max (top 50 + total)", "q_mix_max", "ms"),
    Row("full query: one word p50", "q_word", "ms"),
    Row("full query: two words p50", "q_two_words", "ms"),
    Row('full query: phrase `"a b"` p50', "q_phrase", "ms"),
    Row("full query: `a OR b` p50", "q_or", "ms"),
    Row("full query: `a -b` (NOT) p50", "q_not", "ms"),
    Row("full query: prefix `abc*` p50", "q_prefix", "ms"),
    Row("full query: fuzzy `word~` p50", "q_fuzzy", "ms", fts=False),
    Row("full query: field `title:a` p50", "q_field", "ms"),
    Row("full query: word + `date:YYYY` p50", "q_date", "ms"),
    Row("full query: `tag:x` p50", "q_tag", "ms"),
    Row("empty query sorted by date", "q_empty_date", "ms"),
    Row("TUI start until the library is loaded", "tui_library", "s", False, "tui"),
    Row("TUI start until the first list is painted", "tui_painted", "s", False, "tui"),
    Row("TUI start until search is interactive", "tui_interactive", "s", False, "tui"),
    Row("TUI cursor down (pilot.press) p50", "tui_down", "ms", False, "tui"),
    Row("TUI page down (pilot.press) p50", "tui_pagedown", "ms", False, "tui"),
    Row(
        "TUI pilot.press floor (an empty App, waits for idle) p50",
        "tui_press_floor",
        "ms",
        False,
        "tui",
    ),
    Row(
        "TUI cursor down, key event to cursor row painted p50", "tui_down_paint", "ms", False, "tui"
    ),
    Row(
        "TUI page down, key event to cursor row painted p50",
        "tui_pagedown_paint",
        "ms",
        False,
        "tui",
    ),
    Row("TUI imports (paperdeck.tui.app, first)", "tui_imports", "ms", False, "tui"),
    Row("peak RSS, engine process (build + search) / FTS5 process", "peak_mb", "MB"),
    Row("peak RSS, whoosh build worker processes", "build_children_peak_mb", "MB", fts=False),
    Row("peak RSS, TUI process (re-open + keys)", "tui_peak_mb", "MB", False, "tui"),
)


def machine() -> dict[str, str]:
    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "?"

    return {
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "cpus": str(os.cpu_count()),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "processor": platform.machine(),
        "whoosh": version("whoosh"),
        "textual": version("textual"),
        "sqlite": sqlite3.sqlite_version,
    }


def header(info: dict[str, str], args: argparse.Namespace) -> str:
    return (
        f"# paperdeck benchmark, {info['date']}\n\n"
        f"Machine: {info['cpus']} CPUs ({info['processor']}), {info['platform']}, "
        f"Python {info['python']}; whoosh {info['whoosh']}, textual {info['textual']}, "
        f"SQLite {info['sqlite']}.\n"
        f"Settings: repeat {args.repeat}, build repeat {args.build_repeat}"
        f"{', quick' if args.quick else ''}. Values are medians over repeats (p50/p95 over all "
        "samples); ratio = paperdeck / FTS5.\n"
    )


def format_value(value: float | None, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "ms":
        value *= 1000
    if unit == "":
        return f"{value:,.0f}"
    if value >= 100:
        return f"{value:,.0f} {unit}"
    if value >= 10:
        return f"{value:.1f} {unit}"
    return f"{value:.2f} {unit}"


def table(size: int, results: dict[str, dict[str, Any]], seconds: float) -> str:
    lines = [
        f"## {size:,} papers (measured in {seconds:.0f} s)",
        "",
        "| measurement | paperdeck | FTS5 | ratio |",
        "|---|---|---|---|",
    ]
    for row in ROWS:
        ours = results[row.source].get(row.key)
        theirs = results["fts5"].get(row.key) if row.fts else None
        ratio = f"{ours / theirs:.1f}x" if ours is not None and theirs else "n/a"
        lines.append(
            f"| {row.label} | {format_value(ours, row.unit)} | "
            f"{format_value(theirs, row.unit)} | {ratio} |"
        )
    engine, fts = results["engine"], results["fts5"]
    counts = ", ".join(
        f"{key[5:]} {engine[key]:,.0f}/{fts.get(key, float('nan')):,.0f}"
        for key in engine
        if key.startswith("hits_")
    )
    cached = "yes" if engine.get("after_build_cached") else "NO (parsed again)"
    lines += [
        "",
        f"Typed: {engine['type_keys']:,.0f} keystrokes of the generated queries (1-4 words, "
        "the last one a growing prefix). Median matches per full-query class "
        f"(paperdeck/FTS5): {counts}. The command after the build read the corpus cache: "
        f"{cached}. Re-open after the note changes: "
        f"{engine['reopen_after_notes'] * 1000:,.0f} ms.",
        "",
        f"Slowest keystrokes, paperdeck: {slowest(engine)}",
        "",
        f"Slowest keystrokes, FTS5: {slowest(fts)}",
    ]
    return "\n".join(lines) + "\n"


def slowest(result: dict[str, Any]) -> str:
    return ", ".join(
        f"`{text}` {seconds * 1000:,.0f} ms" for text, seconds in result.get("type_slowest", [])
    )


def run_worker(kind: str, corpus: Path, args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("r", suffix=".json", dir=corpus.parent) as out:
        command = [
            sys.executable,
            "-m",
            "bench.run",
            "--worker",
            kind,
            "--corpus",
            str(corpus),
            "--repeat",
            str(args.repeat),
            "--build-repeat",
            str(args.build_repeat),
            "--out",
            out.name,
            "--queries",
            str(corpus.parent / "queries.json"),
        ]
        if args.quick:
            command.append("--quick")
        subprocess.run(command, cwd=ROOT, check=True)
        return json.loads(Path(out.name).read_text())


def measure(size: int, args: argparse.Namespace, workdir: Path) -> str:
    started = time.perf_counter()
    corpus = workdir / f"corpus-{size}" / "corpus"
    print(f"[bench] generating {size:,} papers in {corpus}", file=sys.stderr, flush=True)
    generate(corpus, size, seed=args.seed)
    typed = QUICK_TYPED if args.quick else args.typed
    queries = make_queries(corpus, typed, seed=args.seed)
    (corpus.parent / "queries.json").write_text(json.dumps(queries))
    results: dict[str, dict[str, Any]] = {}
    for kind in ("engine", "fts5", "tui"):
        print(f"[bench] {size:,} papers: {kind}", file=sys.stderr, flush=True)
        kind_started = time.perf_counter()
        results[kind] = run_worker(kind, corpus, args)
        print(
            f"[bench] {size:,} papers: {kind} took {time.perf_counter() - kind_started:.0f} s",
            file=sys.stderr,
            flush=True,
        )
    if not args.keep:
        shutil.rmtree(corpus.parent, ignore_errors=True)
    return table(size, results, time.perf_counter() - started)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated paper counts")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each full query, re-opens")
    parser.add_argument(
        "--build-repeat", type=int, default=1, help="full builds per size (default 1)"
    )
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_SIZE} papers, 1 repeat")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", action="store_true", help="keep the generated corpora")
    parser.add_argument("--workdir", type=Path, default=None, help="where corpora are generated")
    parser.add_argument("--worker", choices=("engine", "fts5", "tui"), help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--queries", type=Path, help=argparse.SUPPRESS)
    parser.add_argument(
        "--typed", type=int, default=TYPED_QUERIES, help="typed queries per size (default 40)"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.repeat, args.build_repeat = str(QUICK_SIZE), 1, 1
    args.size_list = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        from bench.workers import run_worker as worker

        result = worker(
            args.worker, args.corpus, args.repeat, args.build_repeat, args.quick, args.queries
        )
        args.out.write_text(json.dumps(result))
        return 0
    print(header(machine(), args), flush=True)
    base = args.workdir or Path(tempfile.gettempdir())
    base.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="paperdeck-bench-", dir=base))
    try:
        for size in args.size_list:
            print(measure(size, args, workdir), flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
