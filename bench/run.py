"""Run the paperdeck benchmark and print Markdown tables (paperdeck vs an SQLite FTS5 baseline).

    python -m bench.run [--sizes 10000,100000] [--repeat N] [--build-repeat N] [--quick]

For each size a fresh synthetic corpus is generated in a temporary folder (removed afterwards
unless --keep), then three worker processes measure it one after the other: the paperdeck engine
(full build, re-open, queries, as-you-type, note changes), the FTS5 baseline on the same papers,
and the headless TUI (start-up, cursor keys). Each value is a median over the repeats; peak memory
is each worker process's own maximum RSS.
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

from bench.corpus_gen import generate

ROOT = Path(__file__).resolve().parents[1]
QUICK_SIZE = 1000


@dataclass(frozen=True)
class Row:
    label: str
    key: str  # in the paperdeck results
    unit: str  # "s", "ms", "MB" or "" (a count)
    fts: bool = True  # False: FTS5 has no equivalent (n/a)
    source: str = "engine"  # which worker measured the paperdeck value


ROWS: tuple[Row, ...] = (
    Row("full index build: Library.open + open_index, fresh corpus", "build", "s"),
    Row("re-open, nothing changed: Library.open + open_index", "reopen", "ms"),
    Row("re-open: open_index alone (fingerprint check)", "reopen_index", "ms"),
    Row("re-open: Corpus.load alone", "corpus_load", "ms", fts=False),
    Row("one note change until searchable p50", "note_p50", "ms"),
    Row("one note change until searchable p95", "note_p95", "ms"),
    Row("query mix p50 (limit 50)", "q_mix_p50", "ms"),
    Row("query mix p95 (limit 50)", "q_mix_p95", "ms"),
    Row("query `diffusion` p50", "q_word", "ms"),
    Row("query `diffusion distillation` p50", "q_two_words", "ms"),
    Row('query `"language models"` p50', "q_phrase", "ms"),
    Row("query `diffu*` p50", "q_prefix", "ms"),
    Row("query `difusion~` p50", "q_fuzzy", "ms", fts=False),
    Row("query `title:transformer` p50", "q_title", "ms"),
    Row("query `tag:llm` p50", "q_tag", "ms"),
    Row("empty query sorted by date p50", "q_empty_date", "ms"),
    Row("as-you-type `distillation`, limit 50 + 20 highlights, p50", "type_p50", "ms"),
    Row("as-you-type `distillation`, limit 50 + 20 highlights, p95", "type_p95", "ms"),
    Row("as-you-type 1st keystroke (1 character) p50", "type_first", "ms"),
    Row("as-you-type as MainScreen does (limit 500 + 1 highlight) p50", "type_tui_p50", "ms"),
    Row("as-you-type as MainScreen does (limit 500 + 1 highlight) p95", "type_tui_p95", "ms"),
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


def table(size: int, results: dict[str, dict[str, float]], seconds: float) -> str:
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
    lines += [
        "",
        f"Matches per query (paperdeck/FTS5): {counts}. "
        f"Re-open after the note changes (merges segments): "
        f"{engine['reopen_after_notes'] * 1000:,.0f} ms.",
    ]
    return "\n".join(lines) + "\n"


def run_worker(kind: str, corpus: Path, args: argparse.Namespace) -> dict[str, float]:
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
    results: dict[str, dict[str, float]] = {}
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
    parser.add_argument("--sizes", default="10000", help="comma-separated paper counts")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--build-repeat", type=int, default=None, help="full builds per size (default: --repeat)"
    )
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_SIZE} papers, 1 repeat")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", action="store_true", help="keep the generated corpora")
    parser.add_argument("--workdir", type=Path, default=None, help="where corpora are generated")
    parser.add_argument("--worker", choices=("engine", "fts5", "tui"), help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.repeat = str(QUICK_SIZE), 1
    if args.build_repeat is None:
        args.build_repeat = args.repeat
    args.size_list = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        from bench.workers import run_worker as worker

        result = worker(args.worker, args.corpus, args.repeat, args.build_repeat, args.quick)
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
