"""Words with hyphens and punctuation typed in the search box: split into words as the index
splits text, so as you type they find what `paperdeck search` finds (they found nothing)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperdeck.corpus.corpus import Corpus
from paperdeck.library import Library
from paperdeck.notes.annotation import Annotation
from paperdeck.search.compile import PARTIAL_MIN_BODY, compile_tree
from paperdeck.search.index import SearchIndex
from paperdeck.search.query import parse
from paperdeck.search.schema import stem_word
from paperdeck.search.words import WORD

SAMPLE = Path(__file__).resolve().parents[1] / "sample_corpus"
PAPERS = {paper.id: paper for paper in Corpus.load(SAMPLE).papers}
TEXT_TO_IMAGE = "the-stable-diffusion-model-is-a-067cde7c"  # "… text-to-image generation model …"


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    root = tmp_path_factory.mktemp("typed") / "corpus"
    ignore = shutil.ignore_patterns(".*", "notes")
    shutil.copytree(SAMPLE, root, ignore=ignore, copy_function=shutil.copyfile)
    library = Library.open(root)
    library.open_index()
    yield library
    library.close()


def found(library: Library, query: str, as_you_type: bool) -> set[str]:
    results = library.search(query, limit=None, as_you_type=as_you_type)
    assert results.exact and results.total == len(results.hits)
    return {hit.paper_id for hit in results.hits}


def index_found(index: SearchIndex, query: str, as_you_type: bool) -> set[str]:
    """Through the index itself: `Library.search` strips a trailing space (it ends a word)."""
    results = index.search(query, limit=None, as_you_type=as_you_type)
    assert results.exact and results.total == len(results.hits)
    return {hit.paper_id for hit in results.hits}


def whoosh_found(index: SearchIndex, query: str) -> set[str]:
    """What Whoosh itself matches for the as-you-type query (not the fast path)."""
    searcher = index._fresh_searcher()
    compiled = compile_tree(parse(query, as_you_type=True).tree, searcher.schema)
    return {index._ids[hit.docnum] for hit in searcher.search(compiled, limit=None)}


# --- the reviewer's table ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "full_count"),
    [("text-to-image", 47), ("U-Net", 3), ("graph.", 5), ("Eulerian.", 1), ("/graph", 5)],
)
def test_punctuated_words_find_what_the_full_search_finds(
    library: Library, typed: str, full_count: int
) -> None:
    full = found(library, typed, as_you_type=False)
    assert len(full) == full_count
    typing = found(library, typed, as_you_type=True)
    # the last word is still a prefix (`image` may become `images`), so it may find more
    assert typing >= full
    assert typing == whoosh_found(library.open_index(), typed)
    # once the word is finished (a space, or the `.` of `graph.`), exactly the same papers
    assert index_found(library.open_index(), f"{typed} ", as_you_type=True) == full
    if typed.endswith("."):
        assert typing == full


def test_each_word_of_a_punctuated_word_must_match(library: Library) -> None:
    typing = found(library, "text-to-im", as_you_type=True)
    assert TEXT_TO_IMAGE in typing
    assert all(_typed_in(paper_id, ["text", "to"], "im") for paper_id in typing)
    assert found(library, "text-to-i", as_you_type=True) >= typing  # `i`: waits for a letter


def test_partial_tag_keeps_its_hyphen(tmp_path: Path) -> None:
    """Tags are indexed whole, so `to-rea` still completes the tag `to-read`."""
    root = tmp_path / "corpus"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns(".*", "notes"))
    notes = {TEXT_TO_IMAGE: Annotation(TEXT_TO_IMAGE, tags=("to-read",))}
    index = SearchIndex.open(root, Corpus.load(root).papers, notes)
    try:
        assert TEXT_TO_IMAGE in index_found(index, "to-rea", as_you_type=True)
        assert TEXT_TO_IMAGE in index_found(index, "tag:to-rea", as_you_type=True)
    finally:
        index.close()


def test_highlights_mark_the_words_of_a_punctuated_word(library: Library) -> None:
    index = library.open_index()
    marks = index.highlights("text-to-ima", TEXT_TO_IMAGE, as_you_type=True)
    assert [text for text, matched in marks.title if matched] == ["text", "to", "image"]
    finished = index.highlights("model.", TEXT_TO_IMAGE, as_you_type=True)
    assert [text.lower() for text, matched in finished.title if matched] == ["model", "model"]


# --- the property: real title words joined with punctuation ------------------------------------

TITLE_WORDS = sorted({w.lower() for p in PAPERS.values() for w in WORD.findall(p.title)})
PUNCTUATION = ("-", ".", "/", "'", ":")


@st.composite
def punctuated_queries(draw: st.DrawFn) -> str:
    """One or two terms, each one to three title words joined by punctuation."""
    terms = []
    for _ in range(draw(st.integers(1, 2))):
        words = draw(st.lists(st.sampled_from(TITLE_WORDS), min_size=1, max_size=3))
        joins = [draw(st.sampled_from(PUNCTUATION)) for _ in words[1:]]
        term = words[0] + "".join(j + w for j, w in zip(joins, words[1:], strict=True))
        terms.append(term + draw(st.sampled_from(("", *PUNCTUATION))))
    return " ".join(terms)


def _field_matches(
    text: str,
    finished: list[str],
    last: str,
    min_last: int,
    *,
    stems_too: bool = False,
    phrase: bool = False,
) -> bool:
    """Whether a field holds every finished word (as stems, like the index) and a word starting
    with `last` (ignored when shorter than `min_last`): what a typed word looks for. Text fields
    also index stems, which a prefix may match (`studi` of study) when `stems_too`; a finished
    word of several words (`phrase`) must hold them in a row."""
    words = [w.lower() for w in WORD.findall(text)]
    stems = {stem_word(w) for w in words}
    held = [{w, stem_word(w)} for w in words]  # the index holds both at each position
    wanted = [stem_word(w) for w in finished]  # a query looks for the stem
    if not all(term in stems or term in words for term in wanted):
        return False
    if phrase and len(wanted) > 1:  # a finished `text-to-image` is a phrase, as in Whoosh
        size = len(wanted)
        return any(
            all(term in at for term, at in zip(wanted, held[i : i + size], strict=True))
            for i in range(len(held) - size + 1)
        )
    starts = (*words, *stems) if stems_too else words
    return len(last) < min_last or any(w.startswith(last) for w in starts)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(punctuated_queries(), st.data())
def test_typed_punctuated_words_agree_with_whoosh(library: Library, query: str, data) -> None:
    index = library.open_index()
    # the last word finished: the same papers as the full query
    assert index_found(index, f"{query} ", as_you_type=True) == index_found(index, query, False)
    # while typing the last word: what Whoosh finds for the typed query, every typed word in
    # a field of each paper found, and every paper whose title holds them all among them
    last_term = query.split()[-1]
    cut = data.draw(st.integers(len(query) - len(last_term) + 1, len(query)), label="cut")
    typed = query[:cut]
    if parse(typed, as_you_type=True).tree is None:
        return  # nothing to search yet (e.g. `is:2d 2`: a bad filter and one letter)
    typing = index_found(index, typed, as_you_type=True)
    assert typing == whoosh_found(index, typed)
    if ":" in typed:
        return  # a field name such as `title:` changed what the words look for
    typed_words = typed.split()
    words = [_typed_word(w, i == len(typed_words) - 1) for i, w in enumerate(typed_words)]
    in_titles = {
        pid
        for pid, paper in PAPERS.items()
        if all(_field_matches(paper.title, *w, 2, phrase=not w[1]) for w in words)
    }
    assert in_titles <= typing
    for paper_id in typing:
        for finished, last in words:
            assert _typed_in(paper_id, finished, last), (paper_id, finished, last)


def _typed_in(paper_id: str, finished: list[str], last: str) -> bool:
    """Whether the title, or the abstract (where prefixes need 3 letters), has the typed word."""
    paper = PAPERS[paper_id]
    return _field_matches(paper.title, finished, last, 2, stems_too=True) or _field_matches(
        paper.abstract, finished, last, PARTIAL_MIN_BODY, stems_too=True
    )


def _typed_word(word: str, is_last: bool) -> tuple[list[str], str]:
    """A typed word's finished words and unfinished last one, found here independently."""
    tokens = [t.lower() for t in WORD.findall(word)]
    if is_last and tokens and re.match(r"\w", word[-1]):
        return tokens[:-1], tokens[-1]
    return tokens, ""
