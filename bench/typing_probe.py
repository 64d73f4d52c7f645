"""Multi-word queries typed one character at a time, timed as the app runs each keystroke.

The official bench typed one word; the slow keystrokes were those after the first word of two-
and three-word queries of common words. This probe builds 1-4 word queries from a corpus's own
vocabulary (common and rare words), types each one character at a time through
`Library.search(q, as_you_type=True, limit=500)` plus the highlights the search box asks for,
and reports p50/p95/max per class and the slowest prefixes. It can also time a full-query mix
(`full_queries`) and write a Zipfian corpus with a made-up vocabulary (`write_zipf_corpus`), so
the fast paths are not tuned to one generator's words.

    python -m bench.typing_probe CORPUS [--queries 40] [--seed 1] [--full]
    python -m bench.typing_probe --zipf FOLDER --papers 10000
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.corpus_gen import Material, annotate, write_papers
from paperdeck.search.schema import WORD

SEARCH_LIMIT = 500  # MainScreen's SEARCH_LIMIT
COMMON = 60  # the most frequent words are the "common" ones
RARE_DF = (3, 60)  # document frequencies of "rare" words
RARE_MIN = 200


@dataclass
class Timings:
    """Seconds per keystroke, by class, and the prefixes that took them."""

    by_class: dict[str, list[float]] = field(default_factory=dict)
    prefixes: list[tuple[float, str]] = field(default_factory=list)

    def add(self, kind: str, prefix: str, seconds: float) -> None:
        self.by_class.setdefault(kind, []).append(seconds)
        self.by_class.setdefault("all", []).append(seconds)
        self.prefixes.append((seconds, prefix))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def vocabulary(papers: Iterable[Any]) -> tuple[list[str], list[str]]:
    """The common and the rare words of titles and abstracts (by document frequency)."""
    counts: Counter[str] = Counter()
    for paper in papers:
        counts.update({w.lower() for w in WORD.findall(f"{paper.title} {paper.abstract}")})
    words = [(df, w) for w, df in counts.items() if w.isalpha() and len(w) >= 3]
    words.sort(reverse=True)
    common = [w for _df, w in words[:COMMON]]
    rare = [w for df, w in words if RARE_DF[0] <= df <= RARE_DF[1]]
    if len(rare) < RARE_MIN:  # a recombined vocabulary: the least frequent words seen thrice
        rare = [w for df, w in words if df >= RARE_DF[0]][-RARE_MIN:]
    return common, rare


def typed_queries(common: list[str], rare: list[str], count: int, seed: int) -> list[str]:
    """`count` queries of 1-4 words, mostly common words (what people type), some rare."""
    rng = random.Random(seed)
    queries = []
    for number in range(count):
        size = 1 + number % 4
        pools = [common if rng.random() < 0.7 or not rare else rare for _ in range(size)]
        queries.append(" ".join(rng.choice(pool) for pool in pools))
    return queries


def keystrokes(query: str) -> list[tuple[str, str]]:
    """(class, prefix) for every keystroke of `query` typed from its first character."""
    out = []
    for length in range(1, len(query) + 1):
        prefix = query[:length]
        words = prefix.split()
        kind = f"word{len(words)}" + ("_space" if prefix.endswith(" ") else "")
        out.append((kind.replace("_space", "+"), prefix))
    return out


def type_all(library: Any, queries: list[str]) -> Timings:
    """Type every query one character at a time, as the search box does."""
    timings = Timings()
    for query in queries:
        for kind, prefix in keystrokes(query):
            started = time.perf_counter()
            results = library.search(prefix, limit=SEARCH_LIMIT, as_you_type=True)
            wanted = [hit.paper_id for hit in results.hits[:1]]
            library.highlights(prefix, wanted)
            timings.add(kind, prefix, time.perf_counter() - started)
    return timings


def full_queries(common: list[str], rare: list[str], seed: int) -> list[str]:
    """A mix of full queries: words, phrases, fields, OR, NOT, prefixes, fuzzy, dates."""
    rng = random.Random(seed)

    def word() -> str:
        return rng.choice(common if rng.random() < 0.6 else rare)

    makers: list[Callable[[], str]] = [
        lambda: word(),
        lambda: f"{word()} {word()}",
        lambda: f"{word()} {word()} {word()}",
        lambda: f'"{word()} {word()}"',
        lambda: f"title:{word()}",
        lambda: f"{word()} OR {word()}",
        lambda: f"({word()} OR {word()}) {word()}",
        lambda: f"{word()} -{word()}",
        lambda: f"{word()[:4]}*",
        lambda: f"{word()}~",
        lambda: f"{word()} year:2024",
        lambda: f"abstract:{word()} {word()}",
    ]
    return [maker() for _ in range(3) for maker in makers]


def time_full(library: Any, queries: list[str], limit: int = 50) -> list[tuple[float, str]]:
    out = []
    for query in queries:
        started = time.perf_counter()
        library.search(query, limit=limit)
        out.append((time.perf_counter() - started, query))
    return out


def official_mix(library: Any, corpus: Path, samples: int = 5) -> None:
    """bench/workers.py's query mix, here and in SQLite FTS5 (built in a temporary folder)."""
    import tempfile

    from bench.workers import QUERIES, TYPE_LIMIT, _fts_build, _fts_search

    def run(text: str) -> Any:
        if text:
            return library.search(text, limit=TYPE_LIMIT)
        return library.search("", sort="date", limit=TYPE_LIMIT)

    with tempfile.TemporaryDirectory() as folder:
        connection = _fts_build(Path(folder) / "fts5.db", corpus)
        ours: list[float] = []
        theirs: list[float] = []
        for key, text, match in QUERIES:
            run(text)  # warm, as bench/workers.py does
            mine = [_timed(lambda text=text: run(text)) for _ in range(samples)]
            ours.extend(mine)
            line = f"{key:12} paperdeck {statistics.median(mine) * 1000:7.1f} ms"
            if match is not None:
                _fts_search(connection, match, TYPE_LIMIT)
                fts = [
                    _timed(lambda match=match: _fts_search(connection, match, TYPE_LIMIT))
                    for _ in range(samples)
                ]
                theirs.extend(fts)
                line += f"  fts5 {statistics.median(fts) * 1000:7.1f} ms"
            print(line)
        connection.close()
    print(report("mix", ours))
    print(report("mix fts5", theirs))
    print(f"p50 ratio {statistics.median(ours) / statistics.median(theirs):.1f}x")


def _timed(call: Callable[[], Any]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def report(name: str, values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return (
        f"{name:10} n={len(ms):4}  p50 {statistics.median(ms):7.1f}  "
        f"p95 {percentile(ms, 0.95):7.1f}  max {max(ms):7.1f} ms"
    )


def write_zipf_corpus(folder: Path, papers: int, seed: int = 7) -> Path:
    """A corpus whose words are made up and Zipf-distributed (a vocabulary no test has seen)."""
    rng = random.Random(seed)
    letters = "abcdefghiklmnoprstuvy"
    vocab = sorted(
        {"".join(rng.choice(letters) for _ in range(rng.randint(3, 11))) for _ in range(30_000)}
    )
    rng.shuffle(vocab)
    weights = [1 / (rank + 1) ** 1.05 for rank in range(len(vocab))]

    def words(n: int) -> list[str]:
        return rng.choices(vocab, weights=weights, k=n)

    titles = tuple(" ".join(words(rng.randint(5, 12))).capitalize() for _ in range(3000))
    sentences = tuple(" ".join(words(rng.randint(8, 25))).capitalize() + "." for _ in range(20_000))
    write_papers(folder, papers, seed, Material(titles, sentences))
    annotate(folder, seed)
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.typing_probe")
    parser.add_argument("corpus", type=Path, nargs="?")
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--full", action="store_true", help="also time a full-query mix")
    parser.add_argument("--fts", action="store_true", help="bench/workers.py's mix and FTS5")
    parser.add_argument("--zipf", type=Path, help="write a Zipfian corpus into this folder")
    parser.add_argument("--papers", type=int, default=10_000)
    args = parser.parse_args(argv)
    if args.zipf:
        write_zipf_corpus(args.zipf, args.papers, args.seed)
        return 0
    from paperdeck.library import Library

    started = time.perf_counter()
    library = Library.open(args.corpus, with_index=True)
    print(f"open {time.perf_counter() - started:.1f} s")
    common, rare = vocabulary(library.papers)
    queries = typed_queries(common, rare, args.queries, args.seed)
    type_all(library, queries[:4])  # warm up
    timings = type_all(library, queries)
    for name in sorted(timings.by_class):
        print(report(name, timings.by_class[name]))
    print("slowest:", ", ".join(f"{p!r} {s * 1000:.0f}" for s, p in sorted(timings.prefixes)[-8:]))
    if args.full:
        mix = full_queries(common, rare, args.seed)
        cold = time_full(library, mix)  # the first time each query runs: nothing kept yet
        print(report("full cold", [s for s, _ in cold]))
        print("slowest:", ", ".join(f"{q!r} {s * 1000:.0f}" for s, q in sorted(cold)[-6:]))
        timed = time_full(library, mix)
        print(report("full", [s for s, _ in timed]))
        print("slowest:", ", ".join(f"{q!r} {s * 1000:.0f}" for s, q in sorted(timed)[-6:]))
    if args.fts:
        official_mix(library, args.corpus)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MB")
    library.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
