"""The benchmark's generated queries: typed one key at a time, 1-4 words of the corpus's own
vocabulary, the same for the same seed; FTS5 gets the same keystrokes as prefix queries."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.fts5 import typed_match  # noqa: E402
from bench.queries import (  # noqa: E402
    KINDS,
    full_queries,
    keystrokes,
    typeable,
    typed_queries,
    vocabulary,
)

from paperdeck.corpus.corpus import Corpus  # noqa: E402


def sample_vocabulary() -> tuple[list[str], list[str]]:
    papers = Corpus.load(ROOT / "sample_corpus").papers
    return [p.title for p in papers], [p.abstract for p in papers]


def test_keystrokes_type_every_character_including_spaces() -> None:
    assert keystrokes("ab cd") == ["a", "ab", "ab ", "ab c", "ab cd"]


def test_typed_queries_are_corpus_words_of_every_length_and_reproducible() -> None:
    titles, abstracts = sample_vocabulary()
    vocab = vocabulary(titles, abstracts)
    words = {w for text in titles + abstracts for w in typeable(text)}
    queries = typed_queries(vocab, 16, seed=3)
    assert queries == typed_queries(vocabulary(titles, abstracts), 16, seed=3)
    assert queries != typed_queries(vocab, 16, seed=4)
    assert sorted({len(q.split()) for q in queries}) == [1, 2, 3, 4]
    assert all(word in words for q in queries for word in q.split())
    title_words = [" ".join(typeable(t)) for t in titles]
    from_titles = queries[::2]  # every other query is a run of one title's words
    assert all(any(q in t for t in title_words) for q in from_titles)
    assert set(vocab.common) & {w for q in queries for w in q.split()}  # common words typed


def test_full_queries_cover_every_class_with_fts5_equivalents() -> None:
    titles, abstracts = sample_vocabulary()
    queries = full_queries(vocabulary(titles, abstracts), ["llm"], seed=1)
    assert {q.kind for q in queries} == set(KINDS)
    assert all((q.fts is None) == (q.kind == "fuzzy") for q in queries)
    assert all(q.years is not None for q in queries if q.kind == "date")


def test_fts5_keystrokes_are_prefix_queries_until_a_space() -> None:
    assert typed_match("graph tra") == '"graph" "tra"*'
    assert typed_match("graph ") == '"graph"'
    assert typed_match("  ") is None
    assert typed_match("g") is None and typed_match("graph t") == '"graph"'  # as the app waits
