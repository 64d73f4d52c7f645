"""The fast build writer writes exactly the segment Whoosh's own writer would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from whoosh import index as windex
from whoosh.writing import SegmentWriter

from paperdeck.corpus.corpus import Corpus
from paperdeck.search import build as index_build
from paperdeck.search.build import FastSegmentWriter
from paperdeck.search.schema import build_schema, document


def _build(folder: Path, writer_class: Any, docs: list[dict[str, Any]]) -> Any:
    folder.mkdir()
    ix = windex.create_in(str(folder), build_schema())
    writer = writer_class(ix)
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()
    return ix


def _postings(reader: Any, fieldname: str, text: bytes) -> list[tuple[Any, ...]]:
    matcher = reader.postings(fieldname, text)
    found = []
    while matcher.is_active():
        found.append(
            (
                matcher.id(),
                matcher.weight(),
                matcher.value(),
                matcher.block_min_length(),
                matcher.block_max_length(),
                matcher.block_max_weight(),
            )
        )
        matcher.next()
    return found


def test_fast_writer_matches_whoosh(
    tmp_path: Path, sample_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_build, "RUN_POSTINGS", 5000)  # several spilled runs to merge
    spilled: list[int] = []
    save = index_build.FastPool.save

    def counting_save(pool: index_build.FastPool) -> None:
        spilled.append(pool.count)
        save(pool)

    monkeypatch.setattr(index_build.FastPool, "save", counting_save)
    docs = [document(paper, None) for paper in Corpus.load(sample_corpus).papers]
    expected = _build(tmp_path / "whoosh", SegmentWriter, docs).reader()
    reader = _build(tmp_path / "fast", FastSegmentWriter, docs).reader()
    assert len(spilled) >= 2  # the merge of spilled runs and the buffer is what is compared
    terms = list(expected.all_terms())
    assert list(reader.all_terms()) == terms
    for fieldname, text in terms:
        assert _postings(reader, fieldname, text) == _postings(expected, fieldname, text)
        assert reader.frequency(fieldname, text) == expected.frequency(fieldname, text)
    for docnum in range(len(docs)):
        assert reader.stored_fields(docnum) == expected.stored_fields(docnum)
        for fieldname in ("title", "abstract", "complete"):
            length = expected.doc_field_length(docnum, fieldname)
            assert reader.doc_field_length(docnum, fieldname) == length
