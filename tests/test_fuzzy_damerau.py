"""`word~` counts a swap of two neighbouring letters as one edit (Damerau, as Lucene does).

The automaton's answer is checked against a brute-force distance over every word the index
holds (issue 10).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from whoosh import query as wq

from paperdeck.library import Library
from paperdeck.search.compile import FUZZY_TERMS, damerau_dfa

SAMPLE_CORPUS = Path(__file__).resolve().parents[1] / "sample_corpus"
EULERIAN = "graphgpt-generative-pre-trained-graph-07091733"
LETTERS = "abcdeilmnorstu"


def osa(a: str, b: str) -> int:
    """Optimal string alignment distance, the plain dynamic programme."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    target = tmp_path_factory.mktemp("fuzzy") / "corpus"
    shutil.copytree(
        SAMPLE_CORPUS,
        target,
        ignore=shutil.ignore_patterns(".*", "notes"),
        copy_function=shutil.copyfile,
    )
    library = Library.open(target, with_index=True)
    yield library
    library.close()


@pytest.fixture(scope="module")
def title_words(library: Library) -> list[str]:
    assert library.index is not None
    reader = library.index._searcher.reader()
    return sorted(reader.field_terms("title"))


def test_a_swap_of_two_letters_is_one_typo(library: Library) -> None:
    assert [h.paper_id for h in library.search("eulerain~").hits] == [EULERIAN]
    assert [h.paper_id for h in library.search("title:eulerain~1").hits] == [EULERIAN]
    assert library.search("eluerain~").hits == []  # two swaps are two typos
    assert library.index is not None
    title = library.index.highlights("eulerain~", EULERIAN).title
    assert [text for text, matched in title if matched] == ["Eulerian"]  # and it is marked


def test_the_automaton_agrees_with_the_distance_on_a_few_words() -> None:
    for word, other in [("eulerain", "eulerian"), ("ab", "ba"), ("ca", "abc"), ("abcd", "acbd")]:
        for distance in (0, 1, 2):
            dfa = damerau_dfa(word, distance)
            assert dfa.accept(other) == (osa(word, other) <= distance), (word, other, distance)


@st.composite
def typed_words(draw: st.DrawFn, words: list[str]) -> str:
    """A word of the index with up to three typos (the first letter kept), or a made-up one."""
    if draw(st.booleans()):
        return draw(st.text(LETTERS, min_size=2, max_size=9))
    word = list(draw(st.sampled_from(words)))
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["swap", "insert", "delete", "change"]))
        at = draw(st.integers(1, max(len(word) - 1, 1)))
        letter = draw(st.sampled_from(LETTERS))
        if kind == "swap" and at + 1 < len(word):
            word[at], word[at + 1] = word[at + 1], word[at]
        elif kind == "insert":
            word.insert(at, letter)
        elif kind == "delete" and len(word) > 2:
            del word[at]
        elif at < len(word):
            word[at] = letter
    return "".join(word)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), distance=st.sampled_from([1, 2]))
def test_fuzzy_results_match_a_brute_force_damerau_distance(
    library: Library, title_words: list[str], data: st.DataObject, distance: int
) -> None:
    words = [w for w in title_words if w.isalpha() and w.isascii() and len(w) > 1]
    word = data.draw(typed_words(words)).lower()
    within = [t for t in title_words if t[:1] == word[:1] and osa(word, t) <= distance]
    assume(len(within) <= FUZZY_TERMS)  # past that only the most frequent are kept
    index = library.index
    assert index is not None
    expected: set[str] = set()
    if within:
        found = index._searcher.search(wq.Or([wq.Term("title", t) for t in within]), limit=None)
        expected = {index._ids[hit.docnum] for hit in found}
    results = library.search(f"title:{word}~{distance}", limit=None)
    assert results.error is None
    assert {hit.paper_id for hit in results.hits} == expected, (word, within)
