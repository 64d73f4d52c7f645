"""A refreshed searcher keeps the segment readers of segments still in the index, and sees
documents deleted from them since (a note change deletes the paper's old document)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import paperdeck.search.index as index_module
from paperdeck.corpus.corpus import Corpus
from paperdeck.notes.annotation import Annotation
from paperdeck.search.index import SearchIndex

SAMPLE = Path(__file__).resolve().parents[1] / "sample_corpus"


def leaves(index: SearchIndex) -> dict[str, object]:
    reader = index._fresh_searcher().reader()
    return {leaf.segment().segment_id(): leaf for leaf, _ in reader.leaf_readers()}


def test_refresh_keeps_segment_readers_and_their_deletions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(index_module.CACHE_ENV, str(tmp_path / "cache"))
    root = tmp_path / "corpus"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns(".*", "notes"))
    papers = Corpus.load(root).papers
    index = SearchIndex.open(root, papers, {})
    try:
        before = leaves(index)
        paper = papers[0]
        index.update(paper, Annotation(paper.id, note="zqreusedword"))
        after = leaves(index)
        assert len(after) == len(before) + 1
        for segment_id, leaf in before.items():
            assert after[segment_id] is leaf  # kept, not reopened
        assert [h.paper_id for h in index.search("zqreusedword").hits] == [paper.id]
        everything = [h.paper_id for h in index.search("", limit=None).hits]
        assert sorted(everything) == sorted(p.id for p in papers)  # the old copy is deleted
        title_word = paper.title.split()[0]
        hits = [h.paper_id for h in index.search(f"title:{title_word}", limit=None).hits]
        assert hits.count(paper.id) == 1
    finally:
        index.close()
