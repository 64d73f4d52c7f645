"""The as-you-type fast path (bitsets) gives Whoosh's answer on random typed queries.

The reference is built from Whoosh alone: the documents the compiled as-you-type query matches,
each word's title matches through the compiled `title:` query, and Whoosh's own newest-first
sort. Two generated corpora with different vocabularies, with note changes (so several
segments and deleted documents), and every prefix of random 1-4 word queries.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import query as wq

from paperdeck.library import Library
from paperdeck.search.compile import compile_tree, sort_facets
from paperdeck.search.index import SearchIndex
from paperdeck.search.query import parse
from paperdeck.search.syntax import And, Text
from paperdeck.search.words import WORD

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.corpus_gen import generate  # noqa: E402
from bench.typing_probe import write_zipf_corpus  # noqa: E402


@pytest.fixture(scope="module", params=["recombined", "zipf"])
def library(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Library]:
    root = tmp_path_factory.mktemp(request.param) / "corpus"
    if request.param == "zipf":
        write_zipf_corpus(root, 700, seed=11)
    else:
        generate(root, 700, seed=5)
    library = Library.open(root, with_index=True)
    # No background merge while the tests run: it would change the segments (and, with the
    # deleted documents gone, the statistics) between a fast answer and Whoosh's reference,
    # and the corpus is meant to keep several segments and deletions.
    library.open_index().merge_delay = 24 * 3600.0
    rng = random.Random(3)
    words = vocabulary(library)
    for paper in rng.sample(library.papers, 12):  # new segments, deleted documents
        library.set_note(paper.id, " ".join(rng.sample(words, 4)))
    library.tag(library.papers[0].id, add=["to-read", "topics"])
    yield library
    library.close()


def vocabulary(library: Library) -> list[str]:
    found = {w.lower() for p in library.papers for w in WORD.findall(f"{p.title} {p.abstract}")}
    return sorted(found)


Key = tuple[int, int, str]  # (title words matched, date, title)


def reference(index: SearchIndex, query: str, sort: str) -> tuple[list[Key], dict[int, Key]]:
    """The key of every match in the order the fast path must give, and by document number."""
    searcher = index._fresh_searcher()
    tree = parse(query, as_you_type=True).tree
    compiled = compile_tree(tree, searcher.schema)
    matched = {hit.docnum for hit in searcher.search(compiled, limit=None)}
    items = tree.items if isinstance(tree, And) else (tree,)
    titles = []
    for item in items:
        assert isinstance(item, Text)
        title_query = compile_tree(Text("title", item.text, item.mode), searcher.schema)
        titles.append({hit.docnum for hit in searcher.search(title_query, limit=None)})
    newest = searcher.search(wq.Every(), sortedby=sort_facets("date", True), limit=None)
    dates = searcher.reader().column_reader("date")
    names = searcher.reader().column_reader("title_sort")
    key_of: dict[int, Key] = {}
    for hit in newest:
        if hit.docnum in matched:
            count = sum(hit.docnum in title for title in titles) if sort == "relevance" else 0
            key_of[hit.docnum] = (count, dates[hit.docnum], names[hit.docnum])
    ordered = sorted(key_of.values(), key=lambda key: -key[0])  # stable: newest first in a count
    return ordered, key_of


@st.composite
def typed(draw: st.DrawFn, words: list[str]) -> str:
    """1-4 words, the last cut anywhere (a prefix typed so far), sometimes a trailing space."""
    chosen = draw(st.lists(st.sampled_from(words), min_size=1, max_size=4))
    joiner = draw(st.sampled_from([" ", " ", " ", "-"]))
    text = joiner.join(chosen)
    cut = draw(st.integers(1, len(text)))
    return text[:cut] + draw(st.sampled_from(["", "", " "]))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_fast_path_matches_whoosh_on_random_typed_queries(
    library: Library, data: st.DataObject
) -> None:
    index = library.open_index()
    words = vocabulary(library)
    common = [*words[:: max(1, len(words) // 40)], "to-read", "topics", "the", "model"]
    query = data.draw(
        typed(sorted(set(common) | set(data.draw(st.lists(st.sampled_from(words), max_size=3)))))
    )
    tree = parse(query, as_you_type=True).tree
    if tree is None:
        return
    sort = data.draw(st.sampled_from(["relevance", "date"]))
    limit = data.draw(st.sampled_from([1, 7, 50, None]))
    fast = index.search(query, limit=limit, sort=sort, as_you_type=True)
    assert fast.error is None
    expected, key_of = reference(index, query, sort)
    if fast.exact:
        assert fast.total == len(expected), query
    else:  # a lower bound: the papers with every word in their title filled the limit
        assert limit is not None and sort == "relevance", query
        assert limit <= fast.total <= len(expected), query
    searcher = index._fresh_searcher()
    docnums = [searcher.document_number(id=hit.paper_id) for hit in fast.hits]
    assert all(docnum in key_of for docnum in docnums), query
    assert [key_of[docnum] for docnum in docnums] == expected[:limit], query


def test_fast_path_is_the_one_answering(library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    """The property above must test the bitsets, not a fall back to Whoosh."""
    index = library.open_index()
    calls = []
    original = SearchIndex._timed_search

    def spy(self: SearchIndex, *args: Any) -> Any:
        calls.append(args)
        return original(self, *args)

    monkeypatch.setattr(SearchIndex, "_timed_search", spy)
    first, second = WORD.findall(library.papers[0].title)[:2]
    results = index.search(f"{first} {second[:3]}", limit=5, as_you_type=True)
    assert results.hits and not calls


def test_many_titles_with_every_word_give_a_lower_bound(library: Library) -> None:
    """Two words that share many titles: those fill the limit, the other fields are not read."""
    titles = [{w.lower() for w in WORD.findall(p.title)} for p in library.papers]
    counts: dict[tuple[str, str], int] = {}
    for words in titles:
        for a in words:
            for b in words:
                if a < b and len(a) > 2 and len(b) > 2:
                    counts[(a, b)] = counts.get((a, b), 0) + 1
    (first, second), together = max(counts.items(), key=lambda item: item[1])
    assert together > 5
    query = f"{first} {second[:3]}"
    few = library.open_index().search(query, limit=5, as_you_type=True)
    assert not few.exact and few.total >= 5 and few.total_text.endswith("+")
    everything = library.open_index().search(query, limit=None, as_you_type=True)
    assert everything.exact and few.total <= everything.total
    assert [h.paper_id for h in few.hits] == [h.paper_id for h in everything.hits[:5]]


# --- full queries: BM25F on arrays against Whoosh scoring every match ---------------------------


def phrases(library: Library) -> list[str]:
    """Two- and three-word runs from titles and abstracts (phrases that match something)."""
    found = []
    for paper in library.papers[::25]:
        text = WORD.findall(f"{paper.title} {paper.abstract}")
        for start in range(0, len(text) - 3, 7):
            found.append(" ".join(text[start : start + 2 + start % 2]))
    return found


@st.composite
def full_query(draw: st.DrawFn, words: list[str], runs: list[str]) -> str:
    """Words, prefixes, typos, phrases, `field:word`, filters, OR groups and NOT, nested a
    little."""
    word = st.sampled_from(words)
    field = st.sampled_from(["", "", "", "title:", "abstract:", "tag:"])
    suffix = st.sampled_from(["", "", "", "*", "~"])
    term = st.builds(lambda f, w, x: f + (w[:3] if x == "*" else w) + x, field, word, suffix)
    phrase = st.builds(lambda f, r: f'{f}"{r}"', field, st.sampled_from(runs))
    joined = st.builds(lambda f, a, b: f"{f}{a}-{b[:3]}*", field, word, word)  # `text-to-im*`
    term = st.one_of(term, term, phrase, joined)
    group = st.builds(lambda a, b: f"({a} OR {b})", term, term)
    positive = draw(st.lists(st.one_of(term, term, group), min_size=1, max_size=3))
    if draw(st.booleans()):
        return " OR ".join(positive)
    filters = st.sampled_from(["date:2024", "date:2023..2024", "is:starred", "comments:>5"])
    negative = draw(st.lists(st.builds(lambda t: f"-{t}", st.one_of(term, filters)), max_size=2))
    positive += draw(st.lists(filters, max_size=1))
    return " ".join(positive + negative)  # (NOT inside OR: Whoosh's own count disagrees)


def whoosh_ranking(index: SearchIndex, query: str) -> list[tuple[float, str]]:
    """Whoosh's score for every match (no top-k shortcuts), best first, ties by number."""
    searcher = index._fresh_searcher()
    compiled = compile_tree(parse(query).tree, searcher.schema)
    hits = [(hit.score, hit.docnum) for hit in searcher.search(compiled, limit=None)]
    return [
        (score, index._ids[docnum]) for score, docnum in sorted(hits, key=lambda h: (-h[0], h[1]))
    ]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_array_bm25_ranks_as_whoosh_on_random_full_queries(
    library: Library, data: st.DataObject
) -> None:
    index = library.open_index()
    words = vocabulary(library)
    common = [*words[:: max(1, len(words) // 40)], "to-read", "the", "model", "llm"]
    query = data.draw(full_query(common, phrases(library)))
    limit = data.draw(st.sampled_from([1, 10, 50, None]))
    if parse(query).errors or parse(query).tree is None:
        return  # e.g. a prefix too short: nothing is searched
    fast = index.search(query, limit=limit)
    expected = whoosh_ranking(index, query)
    assert fast.exact and fast.total == len(expected), query
    assert len(fast.hits) == len(expected[:limit]), query
    for hit, (score, paper_id) in zip(fast.hits, expected, strict=False):
        assert hit.score == pytest.approx(score, rel=1e-9), query
        if hit.paper_id != paper_id:  # only a tie (sums in another order) may swap places
            tied = {pid for s, pid in expected if s == pytest.approx(score, rel=1e-9)}
            assert hit.paper_id in tied, query


def test_array_bm25_answers_plain_words_and_whoosh_the_rest(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = library.open_index()
    calls = []
    original = SearchIndex._timed_search

    def spy(self: SearchIndex, *args: Any) -> Any:
        calls.append(args)
        return original(self, *args)

    monkeypatch.setattr(SearchIndex, "_timed_search", spy)
    first, second = WORD.findall(library.papers[0].title)[:2]
    assert index.search(f"{first} OR -{second} title:{first}", limit=5).hits
    assert not calls
    assert index.search(f'"{first} {second}"', limit=5).hits  # a phrase: candidates' positions
    assert not calls
    assert index.search(f"{first} date:2020..2030 -is:starred", limit=5).hits  # filters: sets
    assert not calls
    index.search(f"{first} OR id:zz*", limit=5)  # `id:`: Whoosh
    assert calls


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_sort_by_date_lists_the_matches_as_whoosh_sorts_them(
    library: Library, data: st.DataObject
) -> None:
    index = library.open_index()
    words = vocabulary(library)
    common = [*words[:: max(1, len(words) // 40)], "the", "model"]
    query = data.draw(full_query(common, phrases(library)))
    if parse(query).errors or parse(query).tree is None:
        return
    limit = data.draw(st.sampled_from([3, 50, None]))
    fast = index.search(query, limit=limit, sort="date")
    searcher = index._fresh_searcher()
    compiled = compile_tree(parse(query).tree, searcher.schema)
    whoosh = searcher.search(compiled, limit=None, sortedby=sort_facets("date", False))
    expected = [index._ids[hit.docnum] for hit in whoosh]
    assert fast.total == len(expected), query
    assert [hit.paper_id for hit in fast.hits] == expected[:limit], query
