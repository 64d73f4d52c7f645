"""Note changes write one small segment each and never merge; merging happens later, apart."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from whoosh.util.filelock import FileLock

import paperdeck.search.index as index_module
from paperdeck.corpus.corpus import Corpus
from paperdeck.corpus.paper import Paper
from paperdeck.notes.annotation import Annotation
from paperdeck.search.compile import PREFIX_TERMS
from paperdeck.search.index import LOCK_FILE, SearchIndex
from paperdeck.search.writing import SEGMENTS_BEFORE_MERGE

SAMPLE = Path(__file__).resolve().parents[1] / "sample_corpus"
CHANGES = SEGMENTS_BEFORE_MERGE + 6


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("built") / "corpus"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns(".*", "notes"))
    SearchIndex.open(root, Corpus.load(root).papers, {}).close()
    return root


@pytest.fixture
def papers(built: Path) -> list[Paper]:
    return Corpus.load(built).papers


@pytest.fixture
def index(
    built: Path, tmp_path: Path, papers: list[Paper], monkeypatch: pytest.MonkeyPatch
) -> Iterator[SearchIndex]:
    monkeypatch.setenv(index_module.CACHE_ENV, str(tmp_path / "cache"))
    root = tmp_path / "corpus"
    shutil.copytree(built, root)
    opened = SearchIndex.open(root, papers, {})
    opened.merge_delay = 3600.0  # no background merge unless a test asks for one
    yield opened
    opened.close()


def segments(index: SearchIndex) -> int:
    return len(index._ix._segments())


def change_notes(index: SearchIndex, papers: list[Paper], count: int) -> list[str]:
    """Give `count` papers a note with a word of their own; returns those words."""
    words = []
    for number, paper in enumerate(papers[:count]):
        word = f"zqmerge{chr(ord('a') + number)}word"
        index.update(paper, Annotation(paper.id, note=f"remember {word}"))
        words.append(word)
    return words


def found(index: SearchIndex, query: str) -> list[str]:
    return [hit.paper_id for hit in index.search(query, limit=None).hits]


def test_note_changes_never_merge_on_the_way(index: SearchIndex, papers: list[Paper]) -> None:
    before = segments(index)
    change_notes(index, papers, CHANGES)
    assert segments(index) == before + CHANGES  # one small segment per change, none merged


def test_merge_joins_the_small_segments_and_keeps_every_answer(
    index: SearchIndex, papers: list[Paper]
) -> None:
    before = segments(index)
    words = change_notes(index, papers, CHANGES)
    assert index.merge()
    assert segments(index) <= before + 1  # (the sample's own segment is small too)
    for paper, word in zip(papers, words, strict=False):
        assert found(index, word) == [paper.id]
    assert len(found(index, "")) == len(papers)  # nothing lost, nothing duplicated
    assert not index.merge()  # nothing left to merge


def test_a_prefix_means_the_same_whatever_the_segments(
    index: SearchIndex, papers: list[Paper]
) -> None:
    """`co*` has more completions than are kept: it expands to the most frequent ones in the
    whole index. A paper whose note changed sits alone in a small segment, where its own
    rare `co...` words are that segment's most frequent: it must not match through them
    (Whoosh expands per segment), nor stop matching after a merge."""
    reader = index._fresh_searcher().reader()
    frequency = {
        text.decode(): info.doc_frequency() for text, info in reader.iter_prefix("abstract", "co")
    }
    assert len(frequency) > PREFIX_TERMS + 10
    kept = sorted(((df, text) for text, df in frequency.items()), reverse=True)[:PREFIX_TERMS]
    floor = kept[-1][0]
    kept_words = {text for _, text in kept}

    def co_words(paper: Paper) -> set[str]:  # the terms its abstract is indexed as
        terms = reader.schema["abstract"].process_text(paper.abstract, mode="index")
        return {term for term in terms if term.startswith("co")}

    # a paper whose `co...` words are all well below the kept ones (its changed note counts
    # its words twice until a merge: the old copy is deleted, not yet gone)
    lonely = next(
        paper
        for paper in papers
        if (words := co_words(paper))
        and not words & kept_words
        and all(frequency[w] + 1 < floor for w in words)
    )
    query = "abstract:co*"
    before = set(found(index, query))  # (the order may move: the statistics change a little)
    assert lonely.id not in before
    index.update(lonely, Annotation(lonely.id, note="a note of its own"))
    assert segments(index) > 1
    assert set(found(index, query)) == before
    assert index.merge()
    assert set(found(index, query)) == before


def test_a_quiet_period_merges_in_the_background(index: SearchIndex, papers: list[Paper]) -> None:
    before = segments(index)
    index.merge_delay = 0.05
    words = change_notes(index, papers, CHANGES)
    deadline = time.monotonic() + 30
    while segments(index) > before + 1 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert segments(index) <= before + 1
    assert found(index, words[-1]) == [papers[CHANGES - 1].id]


def test_a_merge_the_busy_index_refused_is_tried_again_after_a_quiet_period(
    index: SearchIndex, papers: list[Paper]
) -> None:
    """ "A busy index is merged later" must not depend on another change coming."""
    before = segments(index)
    index.merge_delay = 0.05
    assert index.location is not None
    lock = FileLock(str(index.location.parent / LOCK_FILE))
    change_notes(index, papers, CHANGES)
    assert lock.acquire()  # as the CLI would hold it, when the quiet period ends
    try:
        time.sleep(0.3)  # the background merge finds the index busy (several times)
        assert segments(index) > before + 1
    finally:
        lock.release()
    deadline = time.monotonic() + 30
    while segments(index) > before + 1 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert segments(index) <= before + 1


def test_merge_waits_for_another_process_holding_the_index(
    index: SearchIndex, papers: list[Paper]
) -> None:
    change_notes(index, papers, CHANGES)
    assert index.location is not None
    lock = FileLock(str(index.location.parent / LOCK_FILE))
    assert lock.acquire()  # as the CLI would hold it
    try:
        started = time.monotonic()
        assert not index.merge()
        assert time.monotonic() - started < 0.5  # it does not wait for the other process
    finally:
        lock.release()
    assert index.merge()


def test_a_reopen_after_changes_sees_them_merged_or_not(
    index: SearchIndex, papers: list[Paper]
) -> None:
    words = change_notes(index, papers, 3)
    root = index.location.parents[1] if index.location else None
    index.close()
    assert root is not None
    notes = {
        p.id: Annotation(p.id, note=f"remember {w}") for p, w in zip(papers, words, strict=False)
    }
    again = SearchIndex.open(root, papers, notes)
    try:
        assert again.last_refresh.unchanged == len(papers)  # the record was kept in step
        assert found(again, words[0]) == [papers[0].id]
    finally:
        again.close()


def test_segments_left_by_earlier_runs_are_merged_on_open(
    index: SearchIndex, papers: list[Paper]
) -> None:
    before = segments(index)
    words = change_notes(index, papers, CHANGES)
    assert index.location is not None
    root = index.location.parents[1]
    index.close()  # exits before any quiet period: the segments stay
    notes = {
        p.id: Annotation(p.id, note=f"remember {w}") for p, w in zip(papers, words, strict=False)
    }
    again = SearchIndex.open(root, papers, notes)
    try:
        assert again.last_refresh.unchanged == len(papers)
        assert segments(again) <= before + 1
        assert found(again, words[-1]) == [papers[CHANGES - 1].id]
    finally:
        again.close()
