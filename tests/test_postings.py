"""Posting lists read from the blocks' bytes (`leaf_id_array`) are exactly Whoosh's own.

Property: for any set of documents holding a term (dense runs, gaps over 255 that make a block
sparse, several blocks, one document) and any deletions, the array equals what Whoosh's matcher
yields, and the byte reader (not the slow fallback) produced it.
"""

from __future__ import annotations

import tempfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import fields, index

from paperdeck.search import postings
from paperdeck.search.postings import leaf_id_array

_SCHEMA = fields.Schema(body=fields.TEXT(phrase=True))


@st.composite
def _layout(draw: st.DrawFn) -> tuple[int, list[int], list[int]]:
    """(documents, those holding the term, those deleted afterwards)."""
    gaps = draw(
        st.lists(
            st.one_of(st.integers(1, 3), st.integers(1, 40), st.integers(250, 700)),
            min_size=1,
            max_size=400,
        )
    )
    holders, at = [], -1
    for gap in gaps:
        at += gap
        holders.append(at)
    total = at + 1 + draw(st.integers(0, 5))
    deleted = draw(st.lists(st.integers(0, total - 1), max_size=30, unique=True))
    return total, holders, deleted


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_layout())
def test_leaf_id_array_is_whooshs_posting_list(layout: tuple[int, list[int], list[int]]) -> None:
    total, holders, deleted = layout
    marked = set(holders)
    with tempfile.TemporaryDirectory() as folder:
        ix = index.create_in(folder, _SCHEMA)
        with ix.writer() as writer:
            for docnum in range(total):
                writer.add_document(body="term other" if docnum in marked else "other")
        if deleted:
            writer = ix.writer()
            for docnum in deleted:
                writer.delete_document(docnum)
            writer.commit(merge=False)
        with ix.searcher() as searcher:
            reader = searcher.reader()
            expected = list(reader.postings("body", "term").all_ids())
            fallback_used = []
            original = postings.leaf_ids
            postings.leaf_ids = lambda m: fallback_used.append(1) or original(m)
            try:
                got = leaf_id_array(reader.postings("body", "term")).tolist()
            finally:
                postings.leaf_ids = original
            assert got == expected == sorted(marked - set(deleted))
            assert not fallback_used, "the blocks were not read from their bytes"
