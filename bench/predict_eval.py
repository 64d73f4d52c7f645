"""How good is the "predicted" sort? Precision at 10 on held-out papers, against newest first.

    python -m bench.predict_eval [--size 3000] [--seeds 5] [--train 0.1] [--noise 0.15]

A synthetic corpus (`bench.corpus_gen`, no annotations) gets, per seed, a hidden interest: a few
topic words of middling frequency (in 2-8% of the papers each); a paper is interesting when its
title or abstract holds one of them. A random `--train` share of the papers is triaged as a user
would, through the library's batch calls: interesting papers starred or read, the others skipped,
each decision flipped with probability `--noise`. The rest are held out, unread. The library's
"predicted" order and newest first are each cut to their first 10 held-out papers, and precision
at 10 is the share of them that are truly interesting (noise-free). Also timed: the features
(cold, then from the cache) and a retrain plus re-sort after one more decision.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.corpus_gen import write_papers

_WORD = re.compile(r"[a-z]{5,}")


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.predict_eval")
    parser.add_argument("--size", type=int, default=3000)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--train", type=float, default=0.1, help="share of papers triaged")
    parser.add_argument("--noise", type=float, default=0.15, help="chance a decision is flipped")
    parser.add_argument("--topics", type=int, default=3)
    args = parser.parse_args(argv)

    from paperdeck.library import Library

    temp = Path(tempfile.mkdtemp(prefix="paperdeck-predict-"))
    try:
        corpus = temp / "corpus"
        write_papers(corpus, args.size, seed=0)
        library = Library.open(corpus)
        started = time.perf_counter()
        library.prepare_predictions()
        cold = time.perf_counter() - started
        again = Library.open(corpus)
        started = time.perf_counter()
        again.prepare_predictions()
        warm = time.perf_counter() - started
        ids = list(library.corpus.ids)
        texts = {
            pid: _words(f"{library.paper(pid).title} {library.paper(pid).abstract}") for pid in ids
        }
        frequency = Counter(word for words in texts.values() for word in words)
        candidates = sorted(
            w for w, c in frequency.items() if 0.02 * len(ids) <= c <= 0.08 * len(ids)
        )
        rows = []
        retrain: list[float] = []
        for seed in range(args.seeds):
            rng = random.Random(seed)
            shutil.rmtree(corpus / "notes", ignore_errors=True)
            shutil.rmtree(corpus / ".paperdeck" / "undo", ignore_errors=True)
            library = Library.open(corpus)
            library.prepare_predictions()
            topics = rng.sample(candidates, args.topics)
            interesting = {pid for pid in ids if texts[pid] & set(topics)}
            trained = rng.sample(ids, round(args.train * len(ids)))
            kept, skipped = [], []
            for pid in trained:
                wanted = (pid in interesting) != (rng.random() < args.noise)
                (kept if wanted else skipped).append(pid)
            library.star_many(kept[::2], True)
            library.set_status_many(kept[1::2], "read")
            library.set_status_many(skipped, "skipped")
            held = set(ids) - set(trained)
            predicted = [pid for pid in library.sort_ids(ids, "predicted") if pid in held][:10]
            newest = [pid for pid in library.sort_ids(ids, "date") if pid in held][:10]
            base = len(interesting & held) / max(len(held), 1)
            rows.append(
                (
                    seed,
                    ", ".join(topics),
                    base,
                    sum(pid in interesting for pid in predicted) / 10,
                    sum(pid in interesting for pid in newest) / 10,
                )
            )
            started = time.perf_counter()
            library.set_status(predicted[0], "skipped")
            library.sort_ids(ids, "predicted")
            retrain.append(time.perf_counter() - started)
        shares = f"{args.train:.0%} triaged, noise {args.noise:.0%}"
        print(f"corpus: {args.size} synthetic papers; {shares}")
        print(
            f"features: {cold:.2f} s cold, {warm:.2f} s from the cache; "
            f"one decision + retrain + re-sort: {1000 * statistics.median(retrain):.0f} ms (median)"
        )
        print()
        print(
            "| seed | hidden topics | interesting (held out) | P@10 predicted | P@10 newest first |"
        )
        print("| ---: | --- | ---: | ---: | ---: |")
        for seed, topics, base, predicted_p, newest_p in rows:
            print(f"| {seed} | {topics} | {base:.0%} | {predicted_p:.1f} | {newest_p:.1f} |")
        mean = [statistics.mean(row[i] for row in rows) for i in (2, 3, 4)]
        print(f"| mean | | {mean[0]:.0%} | {mean[1]:.2f} | {mean[2]:.2f} |")
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
