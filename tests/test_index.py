"""The index as derived data: building, incremental refresh, rebuilds, updates, locking."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from whoosh.util.filelock import FileLock

import paperdeck.search.index as index_module
import paperdeck.search.store as index_store
from paperdeck.corpus.corpus import Corpus
from paperdeck.corpus.paper import Paper
from paperdeck.notes.annotation import Annotation
from paperdeck.search.highlight import _Wanted, highlight_abstract
from paperdeck.search.index import LOCK_FILE, META_FILE, SearchIndex, index_locations

SAMPLE = Path(__file__).resolve().parents[1] / "sample_corpus"
GRAPHGPT = "graphgpt-generative-pre-trained-graph-07091733"
GRAPHGPT_TITLE = "GraphGPT: Generative Pre-trained Graph Eulerian Transformer"


def copy_sample(target: Path) -> Path:
    """The paper files only (no hidden folders, no notes), writable."""
    ignore = shutil.ignore_patterns(".*", "notes")
    shutil.copytree(SAMPLE, target, ignore=ignore, copy_function=shutil.copyfile)
    return target


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A corpus copy with its index built once; tests copy it (a build takes seconds)."""
    root = copy_sample(tmp_path_factory.mktemp("built") / "corpus")
    SearchIndex.open(root, Corpus.load(root).papers, {}).close()
    return root


@pytest.fixture
def fresh_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A corpus copy with no index yet."""
    monkeypatch.setenv(index_module.CACHE_ENV, str(tmp_path / "cache"))
    return copy_sample(tmp_path / "corpus")


@pytest.fixture
def corpus_root(fresh_root: Path, built: Path) -> Path:
    """A corpus copy whose index is already built and up to date."""
    shutil.copytree(built / ".paperdeck", fresh_root / ".paperdeck")
    return fresh_root


@pytest.fixture(scope="session")
def papers() -> list[Paper]:
    return Corpus.load(SAMPLE).papers


@pytest.fixture
def index(corpus_root: Path, papers: list[Paper]) -> Iterator[SearchIndex]:
    opened = SearchIndex.open(corpus_root, papers, {})
    yield opened
    opened.close()


def paper(papers: list[Paper], paper_id: str) -> Paper:
    return next(p for p in papers if p.id == paper_id)


def found(index: SearchIndex, query: str) -> list[str]:
    return [hit.paper_id for hit in index.search(query, limit=None).hits]


def test_first_open_builds_in_the_corpus_with_a_message(
    fresh_root: Path, papers: list[Paper]
) -> None:
    corpus_root = fresh_root
    index = SearchIndex.open(corpus_root, papers, {})
    assert index.location == corpus_root / ".paperdeck" / "index"
    assert (index.location / META_FILE).exists()
    assert index.last_refresh.rebuilt and index.last_refresh.added == 187
    assert any("no search index yet" in m for m in index.messages)
    assert Corpus.load(corpus_root).papers  # the corpus reader ignores the hidden folder
    assert len(Corpus.load(corpus_root)) == 187


def test_title_search_finds_graphgpt(index: SearchIndex, papers: list[Paper]) -> None:
    hits = index.search("title:graphgpt").hits
    assert [paper(papers, h.paper_id).title for h in hits] == [GRAPHGPT_TITLE]


def test_progress_is_reported(fresh_root: Path, papers: list[Paper]) -> None:
    calls: list[tuple[int, int]] = []
    SearchIndex.open(fresh_root, papers, {}, progress=lambda d, t: calls.append((d, t))).close()
    assert calls[-1] == (187, 187) and len(calls) > 10


def test_reopen_reindexes_only_what_changed(corpus_root: Path, papers: list[Paper]) -> None:
    same = SearchIndex.open(corpus_root, papers, {})
    assert same.last_refresh == dataclasses.replace(
        same.last_refresh, added=0, updated=0, removed=0, unchanged=187, rebuilt=False
    )
    assert same.messages == []
    same.close()

    gone, retitled, *rest = papers
    retitled = dataclasses.replace(retitled, title="Zyzzyva quasar bandicoot")
    notes = {GRAPHGPT: Annotation(GRAPHGPT, note="wombat"), rest[5].id: Annotation(rest[5].id)}
    changed = SearchIndex.open(corpus_root, [retitled, *rest], notes)
    stats = changed.last_refresh
    # the empty annotation indexes exactly as no annotation: it is not a change
    assert (stats.added, stats.updated, stats.removed, stats.unchanged) == (0, 2, 1, 184)
    assert found(changed, "zyzzyva") == [retitled.id]
    assert found(changed, "wombat") == [GRAPHGPT]
    assert gone.id not in found(changed, "")
    changed.close()

    back = SearchIndex.open(corpus_root, papers, {})
    assert (back.last_refresh.added, back.last_refresh.updated) == (1, 2)
    back.close()


def test_garbage_in_the_index_folder_means_a_rebuild(
    corpus_root: Path, papers: list[Paper]
) -> None:
    location = SearchIndex.open(corpus_root, papers, {}).location
    assert location is not None
    for file in location.iterdir():
        if file.name != META_FILE:
            file.write_bytes(b"\x00garbage\xff" * 10)
    (location / "_MAIN_99.toc").write_bytes(b"not a toc")
    rebuilt = SearchIndex.open(corpus_root, papers, {})
    assert rebuilt.last_refresh.rebuilt
    assert any("damaged" in m for m in rebuilt.messages)
    assert found(rebuilt, "title:graphgpt") == [GRAPHGPT]


def test_truncated_segments_mean_a_rebuild(corpus_root: Path, papers: list[Paper]) -> None:
    location = SearchIndex.open(corpus_root, papers, {}).location
    assert location is not None
    for file in location.glob("*.seg"):
        file.write_bytes(file.read_bytes()[:100])
    rebuilt = SearchIndex.open(corpus_root, papers, {})
    assert rebuilt.last_refresh.rebuilt and found(rebuilt, "title:graphgpt") == [GRAPHGPT]


def test_schema_version_change_means_a_rebuild(corpus_root: Path, papers: list[Paper]) -> None:
    location = SearchIndex.open(corpus_root, papers, {}).location
    assert location is not None
    (location / META_FILE).write_text(json.dumps({"schema_version": 0}))
    rebuilt = SearchIndex.open(corpus_root, papers, {})
    assert rebuilt.last_refresh.rebuilt
    assert any("format changed (version 0 -> " in m for m in rebuilt.messages)


def test_unwritable_corpus_keeps_the_index_in_the_cache(
    fresh_root: Path, tmp_path: Path, papers: list[Paper]
) -> None:
    corpus_root = fresh_root
    (corpus_root / ".paperdeck").write_text("a file where the folder should be")
    cached = SearchIndex.open(corpus_root, papers, {})
    assert cached.location == index_locations(corpus_root)[1]
    assert cached.location is not None and tmp_path / "cache" in cached.location.parents
    assert any("cannot keep the search index" in m for m in cached.messages)
    assert found(cached, "title:graphgpt") == [GRAPHGPT]
    cached.close()
    again = SearchIndex.open(corpus_root, papers, {})
    assert not again.last_refresh.rebuilt and again.location == cached.location


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores permissions")
def test_read_only_corpus_folder(fresh_root: Path, papers: list[Paper]) -> None:
    corpus_root = fresh_root
    corpus_root.chmod(0o555)
    try:
        cached = SearchIndex.open(corpus_root, papers, {})
        assert cached.location == index_locations(corpus_root)[1]
    finally:
        corpus_root.chmod(0o755)


def test_nowhere_writable_means_an_index_in_memory(
    fresh_root: Path, tmp_path: Path, papers: list[Paper], monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus_root = fresh_root
    (corpus_root / ".paperdeck").write_text("blocked")
    (tmp_path / "blocked-cache").write_text("blocked")
    monkeypatch.setenv(index_module.CACHE_ENV, str(tmp_path / "blocked-cache"))
    memory = SearchIndex.open(corpus_root, papers, {})
    assert memory.location is None and any("in memory" in m for m in memory.messages)
    assert found(memory, "title:graphgpt") == [GRAPHGPT]
    memory.update(paper(papers, GRAPHGPT), Annotation(GRAPHGPT, tags=("ram",)))
    assert found(memory, "tag:ram") == [GRAPHGPT]


def test_update_is_searchable_at_once(index: SearchIndex, papers: list[Paper]) -> None:
    graphgpt = paper(papers, GRAPHGPT)
    assert found(index, "tag:eulerian-paths") == [] and found(index, "is:starred") == []
    note = Annotation(
        GRAPHGPT,
        starred=True,
        status="later",
        tags=("Eulerian Paths",),
        note="read with the platypus group",
    )
    index.update(graphgpt, note)
    assert found(index, "tag:eulerian-paths") == [GRAPHGPT]
    assert found(index, "is:starred") == [GRAPHGPT]
    assert found(index, "is:later") == [GRAPHGPT]
    assert found(index, "platypus") == [GRAPHGPT]
    assert found(index, "note:platypus") == [GRAPHGPT]
    index.update(graphgpt, note.with_star(False))
    assert found(index, "is:starred") == []
    assert len(found(index, "")) == 187  # updated, not duplicated


def test_updates_survive_a_reopen_and_count_as_changes(
    corpus_root: Path, papers: list[Paper]
) -> None:
    first = SearchIndex.open(corpus_root, papers, {})
    note = Annotation(GRAPHGPT, tags=("kept",))
    first.update(paper(papers, GRAPHGPT), note)
    first.close()
    again = SearchIndex.open(corpus_root, papers, {GRAPHGPT: note})
    assert again.last_refresh.unchanged == 187 and found(again, "tag:kept") == [GRAPHGPT]


def test_highlights_mark_matched_words(index: SearchIndex) -> None:
    marked = index.highlights("eulerian graphs -transformer", GRAPHGPT)
    title_marks = [text for text, is_match in marked.title if is_match]
    assert title_marks == ["Graph", "Eulerian"]
    assert "".join(text for text, _ in marked.title) == GRAPHGPT_TITLE
    abstract_marks = {text.lower() for f in marked.abstract for text, m in f if m}
    assert {"graph", "graphs", "eulerian"} <= abstract_marks
    assert "transformer" not in abstract_marks  # excluded words are not marked
    assert 1 <= len(marked.abstract) <= 3 and marked.matched


def test_highlights_for_prefix_fuzzy_and_partial(index: SearchIndex) -> None:
    fuzzy = index.highlights("eulrian~", GRAPHGPT)
    assert [t for t, m in fuzzy.title if m] == ["Eulerian"]
    prefix = index.highlights("title:genera*", GRAPHGPT)
    assert [t for t, m in prefix.title if m] == ["Generative"] and not any(
        m for f in prefix.abstract for _, m in f
    )
    typing = index.highlights("eule", GRAPHGPT, as_you_type=True)
    assert [t for t, m in typing.title if m] == ["Eulerian"]
    nothing = index.highlights("", GRAPHGPT)
    assert not nothing.matched and nothing.abstract


def test_highlights_of_an_abstract_without_words_are_one_fragment() -> None:
    """Found by mypy: such an abstract came back as one span, not one fragment of spans."""
    for whole in (False, True):
        fragments = highlight_abstract("— … ?", _Wanted(), whole=whole)
        assert [[(text, marked) for text, marked in f] for f in fragments] == [[("— … ?", False)]]
    assert highlight_abstract("", _Wanted()) == ()


def test_similar_returns_related_papers_not_itself(index: SearchIndex) -> None:
    hits = index.similar(GRAPHGPT, limit=5)
    related = [hit.paper_id for hit in hits]
    assert GRAPHGPT not in related and len(related) == 5
    assert {
        "graphmae-self-supervised-masked-graph-dd3ad554",
        "self-supervised-learning-on-graphs-deep-51903bfb",
    } & set(related[:3])
    assert index.similar("no-such-paper") == []


def test_threads_can_search_while_another_updates(index: SearchIndex, papers: list[Paper]) -> None:
    failures: list[BaseException] = []

    def searching() -> None:
        try:
            for _ in range(30):
                assert index.search("diffusion").total > 50
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=searching) for _ in range(3)]
    for thread in threads:
        thread.start()
    for number, item in enumerate(papers[:10]):
        index.update(item, Annotation(item.id, tags=(f"thread{number}",)))
    for thread in threads:
        thread.join()
    assert failures == []
    assert found(index, "tag:thread*") and len(found(index, "tag:thread*")) == 10


def test_a_locked_index_still_searches_and_retries_updates(
    corpus_root: Path, papers: list[Paper]
) -> None:
    lock = FileLock(str(corpus_root / ".paperdeck" / LOCK_FILE))
    assert lock.acquire()  # as another paperdeck process would hold it
    try:
        SearchIndex.lock_timeout = 0.2
        locked = SearchIndex.open(
            corpus_root, papers, {GRAPHGPT: Annotation(GRAPHGPT, tags=("x",))}
        )
        assert any("another paperdeck process" in m for m in locked.messages)
        assert found(locked, "title:graphgpt") == [GRAPHGPT]
        locked.update(paper(papers, GRAPHGPT), Annotation(GRAPHGPT, tags=("later-tag",)))
        assert any("indexed later" in m for m in locked.messages)
        assert found(locked, "tag:later-tag") == []
    finally:
        SearchIndex.lock_timeout = 10.0
        lock.release()
    assert locked.flush()
    assert found(locked, "tag:later-tag") == [GRAPHGPT]


def test_a_lock_held_before_any_index_exists_means_memory(
    fresh_root: Path, papers: list[Paper]
) -> None:
    corpus_root = fresh_root
    (corpus_root / ".paperdeck").mkdir()
    lock = FileLock(str(corpus_root / ".paperdeck" / LOCK_FILE))
    assert lock.acquire()
    try:
        SearchIndex.lock_timeout = 0.2
        memory = SearchIndex.open(corpus_root, papers, {})
    finally:
        SearchIndex.lock_timeout = 10.0
        lock.release()
    assert memory.location is None and found(memory, "title:graphgpt") == [GRAPHGPT]


def test_a_damaged_index_under_an_open_searcher_reports_not_raises(index: SearchIndex) -> None:
    assert index.location is not None
    for file in index.location.iterdir():
        if file.suffix != ".json":
            file.write_bytes(b"junk")
    index._dirty = True  # make it look for a new generation now
    results = index.search("graph")
    assert isinstance(results.hits, list)


def test_parallel_build_matches_the_simple_one(
    fresh_root: Path, papers: list[Paper], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_store, "PARALLEL_BUILD_MIN", 1)
    parallel = SearchIndex.open(fresh_root, papers, {})
    assert found(parallel, "title:graphgpt") == [GRAPHGPT]
    assert parallel.search("").total == 187


PROCESS = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from paperdeck.notes.annotation import Annotation
    from paperdeck.corpus.corpus import Corpus
    from paperdeck.search.index import SearchIndex
    root, name, start, barrier = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
    papers = Corpus.load(root).papers
    index = SearchIndex.open(root, papers, {})
    print(index.last_refresh.rebuilt, index.search("").total)
    if barrier.name != "none":  # start updating together, after both have opened
        (barrier / name).touch()
        while len(list(barrier.iterdir())) < 2:
            time.sleep(0.01)
        for paper in papers[start:start + 15]:
            index.update(paper, Annotation(paper.id, tags=(name,)))
            assert index.search("diffusion").total > 0
        assert index.flush(), index.messages
        print(index.search("tag:" + name).total)
""")


def run_two(root: Path, barrier: Path) -> list[list[str]]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", PROCESS, str(root), name, start, str(barrier)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for name, start in (("proc-a", "0"), ("proc-b", "100"))
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    for run, (_, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err
    return [out.split() for out, _ in outputs]


def test_two_processes_build_at_once(fresh_root: Path, tmp_path: Path) -> None:
    outputs = run_two(fresh_root, tmp_path / "none")
    assert sorted(out[0] for out in outputs) == ["False", "True"]  # one built, one waited
    assert [out[1] for out in outputs] == ["187", "187"]


def test_two_processes_update_at_once(
    corpus_root: Path, tmp_path: Path, papers: list[Paper]
) -> None:
    (tmp_path / "barrier").mkdir()
    outputs = run_two(corpus_root, tmp_path / "barrier")
    assert [out[1:] for out in outputs] == [["187", "15"], ["187", "15"]]
    after = SearchIndex.open(
        corpus_root,
        papers,
        {p.id: Annotation(p.id, tags=("proc-a",)) for p in papers[:15]}
        | {p.id: Annotation(p.id, tags=("proc-b",)) for p in papers[100:115]},
    )
    assert not after.last_refresh.rebuilt and after.last_refresh.updated == 0
    assert len(found(after, "tag:proc-a")) == 15 and len(found(after, "tag:proc-b")) == 15


# --- the recorded state: re-opening an unchanged index checks nothing per paper --------------


def no_full_check(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(reader):  # type: ignore[no-untyped-def]
        raise AssertionError("read every fingerprint although the record says nothing changed")

    monkeypatch.setattr(index_store, "fingerprints", refuse)


def test_unchanged_reopen_reads_no_fingerprints(
    corpus_root: Path, papers: list[Paper], monkeypatch: pytest.MonkeyPatch
) -> None:
    SearchIndex.open(corpus_root, papers, {}).close()  # writes the record
    no_full_check(monkeypatch)
    again = SearchIndex.open(corpus_root, papers, {})
    assert again.last_refresh.unchanged == 187 and found(again, "graphgpt") == [GRAPHGPT]
    # our own note changes keep the record in step: the next open is still instant
    paper_ = paper(papers, GRAPHGPT)
    again.update(paper_, Annotation(GRAPHGPT, note="okapi"))
    again.close()
    notes = {GRAPHGPT: Annotation(GRAPHGPT, note="okapi")}
    third = SearchIndex.open(corpus_root, papers, notes)
    assert found(third, "okapi") == [GRAPHGPT]
    third.close()


def test_another_writer_invalidates_the_record(
    corpus_root: Path, papers: list[Paper], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = SearchIndex.open(corpus_root, papers, {})
    second = SearchIndex.open(corpus_root, papers, {})
    paper_ = paper(papers, GRAPHGPT)
    second.update(paper_, Annotation(GRAPHGPT, note="capybara"))  # another process, say
    first.update(paper_, Annotation(GRAPHGPT, note="capybara"))  # same content: no write
    other = paper(papers, papers[3].id)
    first.update(other, Annotation(other.id, tags=("x",)))
    first.close()
    second.close()
    notes = {
        GRAPHGPT: Annotation(GRAPHGPT, note="capybara"),
        other.id: Annotation(other.id, tags=("x",)),
    }
    reopened = SearchIndex.open(corpus_root, papers, notes)
    assert found(reopened, "capybara") == [GRAPHGPT] and found(reopened, "tag:x") == [other.id]
    assert reopened.last_refresh.updated == 0  # everything was already indexed
    reopened.close()


def test_a_wrong_record_costs_a_full_check_never_a_wrong_index(
    corpus_root: Path, papers: list[Paper]
) -> None:
    location = SearchIndex.open(corpus_root, papers, {}).location
    meta = json.loads((location / META_FILE).read_text())
    # the record claims the index already holds a note it has never seen
    notes = {GRAPHGPT: Annotation(GRAPHGPT, note="narwhal")}
    expected = {p.id: p for p in papers}
    from paperdeck.corpus.rows import content_digest
    from paperdeck.search.schema import fingerprint

    state = index_store.state_of(
        {pid: fingerprint(content_digest(p), notes.get(pid)) for pid, p in expected.items()}
    )
    (location / META_FILE).write_text(json.dumps({**meta, "state": state, "generation": -1}))
    index = SearchIndex.open(corpus_root, papers, notes)
    assert index.last_refresh.updated == 1 and found(index, "narwhal") == [GRAPHGPT]
    index.close()


def test_a_missing_version_record_is_worded_plainly(corpus_root: Path, papers) -> None:
    location = SearchIndex.open(corpus_root, papers, {}).location
    (location / META_FILE).unlink()
    index = SearchIndex.open(corpus_root, papers, {})
    assert any("no version record" in m for m in index.messages)
    assert not any("None" in m for m in index.messages)
    index.close()


def test_newest_first_order_is_carried_across_note_changes(
    corpus_root: Path, papers: list[Paper]
) -> None:
    from paperdeck.search.as_you_type import QuickSearcher

    index = SearchIndex.open(corpus_root, papers, {})
    index.search("", sort="date")  # computes the order once
    for number, paper_ in enumerate(papers[:120:5]):  # enough changes to merge segments
        index.update(paper_, Annotation(paper_.id, tags=(f"t{number}",)))
        index.search("", sort="date")
        quick = index._quick()
        fresh = QuickSearcher(quick.searcher, quick.schema)
        assert quick._by_date == fresh.by_date()
    assert len(index._quick().by_date()) == 187
    index.close()


def test_notes_moving_between_papers_while_closed_are_seen(
    corpus_root: Path, papers: list[Paper]
) -> None:
    """The record weighs each fingerprint by its paper: swapped states change it."""
    a, b = papers[3].id, papers[4].id
    first = {a: Annotation(a, starred=True, tags=("x",))}
    SearchIndex.open(corpus_root, papers, first).close()
    moved = {b: Annotation(b, starred=True, tags=("x",))}
    index = SearchIndex.open(corpus_root, papers, moved)
    assert found(index, "tag:x") == [b] and found(index, "is:starred") == [b]
    assert index.last_refresh.updated == 2
    index.close()
