"""cProfile one benchmark step on a synthetic corpus and print the hottest functions.

    python -m bench.profile_step --size 10000 --step reopen [--corpus DIR] [--top 25]

Steps: build (fresh index; `--procs 1` builds in this process, so the profile sees the writer's
own work, not just the parent feeding two writer processes), reopen (Library.open + open_index,
nothing changed), load (Corpus.load), type (every keystroke of generated typed queries, as the
app does it), query (the generated full-query mix), note (set_note then search), keys (20
cursor-down and 10 page-down presses in the headless TUI at 120x40, after it is ready). With
--corpus an existing corpus is reused (it is indexed first when needed), else one is generated
in a temporary folder.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import shutil
import tempfile
from pathlib import Path

from bench.common import QUERY_LIMIT, TUI_LIMIT, load_queries
from bench.corpus_gen import counter_word, generate
from bench.queries import keystrokes

STEPS = ("build", "reopen", "load", "type", "query", "note", "keys")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile_step")
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--step", choices=STEPS, required=True)
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="cumulative", choices=("cumulative", "tottime"))
    parser.add_argument("--procs", type=int, default=None, help="build: writer processes")
    parser.add_argument("--typed", type=int, default=20, help="type: typed queries")
    args = parser.parse_args(argv)

    from paperdeck.corpus.corpus import Corpus
    from paperdeck.library import Library

    temp = None
    corpus = args.corpus
    if corpus is None:
        temp = Path(tempfile.mkdtemp(prefix="paperdeck-profile-"))
        corpus = generate(temp / "corpus", args.size)
    try:
        if args.step == "keys":
            _profile_keys(corpus, args.top, args.sort)
            return 0
        if args.step == "build":
            if args.procs is not None:
                from paperdeck.search import store

                store.BUILD_PROCS = args.procs
                if args.procs == 1:
                    store.PARALLEL_BUILD_MIN = 1 << 62
            shutil.rmtree(corpus / ".paperdeck" / "index", ignore_errors=True)
            library = Library.open(corpus)

            def step() -> None:
                library.open_index()

        elif args.step == "load":

            def step() -> None:
                Corpus.load(corpus)

        elif args.step == "reopen":
            Library.open(corpus, with_index=True).close()

            def step() -> None:
                Library.open(corpus, with_index=True).close()

        else:
            library = Library.open(corpus, with_index=True)
            index = library.index
            assert index is not None
            library.search("warm up")

            typed, full = load_queries(None, corpus, args.typed)
            if args.step == "type":

                def step() -> None:
                    for query in typed:
                        for text in keystrokes(query):
                            results = library.search(text, limit=TUI_LIMIT, as_you_type=True)
                            library.highlights(text, [hit.paper_id for hit in results.hits[:1]])

            elif args.step == "query":

                def step() -> None:
                    for query in full:
                        library.search(query.text, limit=QUERY_LIMIT)

            else:
                papers = library.papers[:: max(1, len(library.papers) // 10)][:10]

                def step() -> None:
                    for number, paper in enumerate(papers):
                        token = f"zq{counter_word(number).lower()}prof"
                        library.set_note(paper.id, f"remember {token}")
                        library.search(token, limit=10)

        profile = cProfile.Profile()
        profile.runcall(step)
        _print(profile, args.top, args.sort)
    finally:
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)
    return 0


def _profile_keys(corpus: Path, top: int, sort: str) -> None:
    import asyncio

    from paperdeck.tui.app import PaperdeckApp

    _index_once(corpus)
    profile = cProfile.Profile()

    async def run() -> None:
        app = PaperdeckApp(corpus)
        async with app.run_test(size=(120, 40)) as pilot:
            while not (app.library_open and app.library.index_ready):
                await asyncio.sleep(0.01)
            await app.workers.wait_for_complete()
            await pilot.pause()
            profile.enable()
            for key in ["down"] * 20 + ["pagedown"] * 10:
                await pilot.press(key)
            profile.disable()
        if app.library_open:
            app.library.close()

    asyncio.run(run())
    _print(profile, top, sort)


def _index_once(corpus: Path) -> None:
    from paperdeck.library import Library

    Library.open(corpus, with_index=True).close()


def _print(profile: cProfile.Profile, top: int, sort: str) -> None:
    text = io.StringIO()
    pstats.Stats(profile, stream=text).strip_dirs().sort_stats(sort).print_stats(top)
    print(text.getvalue())


if __name__ == "__main__":
    raise SystemExit(main())
