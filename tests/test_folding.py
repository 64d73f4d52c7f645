"""Accents are folded in the index and in every query (`Müller` is `muller`), and an explicit
prefix with punctuation in it (`text-to-im*`) is split as the index splits words."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paperdeck.library import Library
from paperdeck.search.query import partial_words
from paperdeck.search.words import WORD, _accent, _fold_char, fold, match_spans

BIB = """\
@article{schr2026,
  title = {Schr{\\"o}dinger Bridges for Na\\"ive Generative Modelling},
  author = {M{\\"u}ller, J{\\"u}rgen and Erd\\H{o}s, P{\\'a}l},
  abstract = {We revisit the r\\'esum\\'e of diffusion as a Schr\\"odinger bridge problem.},
  year = {2026},
  month = {mar},
  day = {2},
}

@article{muller2025,
  title = {Muller Transforms Without Accents},
  author = {Muller, Anna},
  abstract = {A plain ASCII abstract about cafe menus and text-to-image models.},
  year = {2025},
  month = {jan},
  day = {5},
}

@article{unicode2024,
  title = {Café Résumé Models: Text-to-Image Generation},
  author = {Zoë Šimić},
  abstract = {Written with the accented letters themselves: naïve café résumé.},
  year = {2024},
  month = {may},
  day = {9},
}
"""


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    root = tmp_path_factory.mktemp("folding")
    (root / "papers.bib").write_text(BIB, encoding="utf-8")
    library = Library.open(root, with_index=True)
    assert not library.problems(), library.problems()
    yield library
    library.close()


def _found(library: Library, query: str, **options: object) -> set[str]:
    titles = {p.id: p.title for p in library.papers}
    return {titles[h.paper_id].split()[0] for h in library.search(query, **options).hits}  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("schrodinger", {"Schrödinger"}),
        ("Schrödinger", {"Schrödinger"}),
        ("SCHRÖDINGER", {"Schrödinger"}),
        ("author:muller", {"Schrödinger", "Muller"}),
        ("author:müller", {"Schrödinger", "Muller"}),
        ("author:erdos", {"Schrödinger"}),
        ("author:simic", {"Café"}),
        ("author:zoe", {"Café"}),
        ("cafe", {"Muller", "Café"}),
        ("café", {"Muller", "Café"}),
        ("resume", {"Schrödinger", "Café"}),
        ("naive", {"Schrödinger", "Café"}),
        ("schrö*", {"Schrödinger"}),
        ("schro*", {"Schrödinger"}),
        ("schrodingr~", {"Schrödinger"}),
        ('"cafe résumé"', {"Café"}),
        ("title:resume", {"Café"}),
        ("text-to-im*", {"Muller", "Café"}),
        ("title:text-to-im*", {"Café"}),
        ("text-to-image", {"Muller", "Café"}),
    ],
)
def test_accents_never_matter(library: Library, query: str, expected: set[str]) -> None:
    assert _found(library, query) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("schrö", {"Schrödinger"}),
        ("schro", {"Schrödinger"}),
        ("bridges schrod", {"Schrödinger"}),
        ("caf", {"Muller", "Café"}),
        ("café rés", {"Café"}),
        ("text-to-im", {"Muller", "Café"}),
    ],
)
def test_as_you_type_folds_too(library: Library, typed: str, expected: set[str]) -> None:
    assert _found(library, typed, as_you_type=True, limit=500) == expected


def test_highlights_mark_the_accented_words(library: Library) -> None:
    [paper] = [p for p in library.papers if p.title.startswith("Schrödinger")]
    marked = library.highlights("schrodinger naive", [paper.id])[paper.id]
    words = {text for text, hit in marked.title if hit}
    assert {"Schrödinger", "Naïve"} <= words, marked.title


@given(st.text(max_size=30))
def test_fold_is_idempotent_and_ascii_is_only_lowered(text: str) -> None:
    once = fold(text)
    assert fold(once) == once
    if not all(unicodedata.combining(char) for char in once):  # marks alone stay as they are
        assert not any(_accent(char) for char in once)
        assert once == unicodedata.normalize("NFC", once)
    if text.isascii():
        assert once == text.lower()


@given(st.text(max_size=40))
def test_typed_words_come_out_folded(text: str) -> None:
    finished, last = partial_words(text)
    assert all(fold(word) == word for word in [*finished, last])
    assert len(finished) + bool(last) <= len(WORD.findall(text))


DECOMPOSED = """\
@article{nfd2026,
  title = {Mu\u0308ller Spaces and Schro\u0308dinger Operators},
  author = {Jose\u0301 Nu\u0301n\u0303ez},
  abstract = {हिन्दी भाषा में एक सार, with a decomposed re\u0301sume\u0301.},
  year = {2026},
}
"""


@pytest.fixture(scope="module")
def decomposed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    """Text in Unicode's decomposed form (a letter, then its accent as a combining mark), as
    macOS file names and some pages write it, and Hindi, whose vowel signs are marks too."""
    root = tmp_path_factory.mktemp("decomposed")
    (root / "papers.bib").write_text(DECOMPOSED, encoding="utf-8")
    library = Library.open(root, with_index=True)
    assert not library.problems(), library.problems()
    yield library
    library.close()


@pytest.mark.parametrize(
    "query",
    ["muller", "Müller", "schrödinger", "author:jose", "author:núñez", "resume", "हिन्दी", "भाषा"],
)
def test_combining_marks_stay_inside_their_word(decomposed: Library, query: str) -> None:
    assert len(decomposed.search(query).hits) == 1, query
    assert len(decomposed.search(query, as_you_type=True, limit=500).hits) == 1, query


def test_decomposed_words_are_one_word_each() -> None:
    assert WORD.findall("Mu\u0308ller हिन्दी") == ["Mu\u0308ller", "हिन्दी"]
    assert fold("Mu\u0308ller") == fold("Müller") == "muller"


@pytest.mark.parametrize(
    ("written", "typed"),
    [
        ("Straße", "strasse"),
        ("Łódź", "lodz"),
        ("Øresund", "oresund"),
        ("Đà Nẵng", "da nang"),
        ("Ørsted", "orsted"),
        ("Æsir", "aesir"),
        ("Œuvre", "oeuvre"),
        ("Işık", "isik"),
        ("İstanbul", "istanbul"),
        ("Þórr", "thorr"),
        ("ΟΔΟΣ", "οδος"),  # a capital sigma at the end is the final ς
        ("ﬁnal", "final"),
    ],
)
def test_letters_without_a_decomposition_fold_too(written: str, typed: str) -> None:
    assert fold(written) == fold(typed) == fold(written.upper())


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("バス", "ハス"),  # bus and lotus: the voicing mark makes another letter
        ("パン", "ハン"),
        ("हिन्दी", "हिनदी"),  # a virama joins two consonants
        ("क़लम", "कलम"),  # a nukta makes another consonant
        ("ไก่", "ไก"),  # a Thai tone mark
    ],
)
def test_marks_that_make_another_letter_are_kept(one: str, other: str) -> None:
    assert fold(one) != fold(other)
    assert fold(one) == fold(unicodedata.normalize("NFD", one))


ACCENTS_AWAY = """@article{heb2026,
  title = {שָׁלוֹם and مُحَمَّد with their vowel points},
  year = {2026},
}
"""


def test_hebrew_and_arabic_vowel_points_fold_away(tmp_path: Path) -> None:
    (tmp_path / "papers.bib").write_text(ACCENTS_AWAY, encoding="utf-8")
    library = Library.open(tmp_path, with_index=True)
    try:
        assert len(library.search("שלום").hits) == 1  # written without
        assert len(library.search("محمد").hits) == 1
    finally:
        library.close()


def test_tags_are_folded_like_words(library: Library) -> None:
    [paper] = [p for p in library.papers if p.title.startswith("Café")]
    library.tag(paper.id, add=["Café-Crème", "Straße"])
    for query in ["tag:cafe-creme", "tag:café-crème", "tag:CAFE-CREME", "tag:caf*", "cafe-creme",
                  "tag:strasse", "tag:straße"]:  # fmt: skip
        assert paper.id in {h.paper_id for h in library.search(query).hits}, query
    for typed in ["cafe-cr", "strass"]:
        hits = library.search(typed, as_you_type=True, limit=500).hits
        assert paper.id in {h.paper_id for h in hits}, typed
    assert library.annotation(paper.id).tags == ("café-crème", "straße")  # stored as written


@pytest.mark.parametrize("query", ["e.*", "u\u0308*", "text-to-i*"])
def test_a_prefix_too_short_once_folded_is_refused(library: Library, query: str) -> None:
    results = library.search(query)
    assert not results.hits and results.error and "at least 2 letters" in results.error


def test_a_ligature_prefix_is_two_letters(library: Library) -> None:
    assert library.search("ﬁ*").error is None


@pytest.mark.parametrize(
    ("title", "word", "marked"),
    [
        ("Schrödinger Bridges", "schrodinger", ["Schrödinger"]),
        ("Schro\u0308dinger Bridges", "schro", ["Schro\u0308"]),  # the mark goes with its letter
        ("Straße Models", "models", ["Models"]),  # `ß` folds to two letters: nothing shifts
        ("Straße Models", "strasse", ["Straße"]),
        ("ﬁne-tuning", "fine", ["ﬁne"]),
        ("Graph graph GRAPH", "Graph", ["Graph", "graph", "GRAPH"]),
        ("Łódź", "ło", ["Łó"]),
        ("한국어 자연어 처리", "한구", []),  # Hangul syllables match whole, as the search does
        ("한국어 자연어 처리", "하", []),
        ("한국어 자연어 처리", "한국", ["한국"]),
        ("Graph Neural Nets", "neural", ["Neural"]),
    ],
)
def test_match_spans_compare_folded(title: str, word: str, marked: list[str]) -> None:
    assert [title[a:b] for a, b in match_spans(title, [word])] == marked


@given(st.text(max_size=30), st.text(min_size=1, max_size=4))
def test_every_match_span_folds_to_the_word(title: str, word: str) -> None:
    for start, end in match_spans(title, [word]):
        assert 0 <= start < end <= len(title)
        marked = "".join(_fold_char(char) for char in title[start:end])
        assert "".join(_fold_char(char) for char in word) in marked


SOFT = """\
@article{soft2026,
  title = {Inter\u00adnational Multi\u00adscale Benchmarks},
  abstract = {Hyphenation points from a page: a gener\u00adative model, with one word\u00ad.},
  year = {2026},
}
"""


def test_soft_hyphens_and_joiners_never_split_a_word(tmp_path: Path) -> None:
    assert WORD.findall("inter\u00adnational \u00ad x") == ["inter\u00adnational", "x"]
    assert fold("inter\u00adnational") == "international"
    assert fold("\u0645\u06cc\u200c\u062e\u0648") == fold("\u0645\u06cc\u062e\u0648")
    (tmp_path / "papers.bib").write_text(SOFT, encoding="utf-8")
    library = Library.open(tmp_path, with_index=True)
    try:
        for query in ["international", "multiscale", "generative", '"generative model"']:
            assert len(library.search(query).hits) == 1, query
            assert len(library.search(query.strip('"'), as_you_type=True).hits) == 1, query
        assert not library.search("national").hits  # half a word is not a word
        [paper] = library.papers
        marked = library.highlights("international generative", [paper.id])[paper.id]
        assert {text for text, hit in marked.title if hit} == {"Inter\u00adnational"}
        marked_abstract = {text for part in marked.abstract for text, hit in part if hit}
        assert marked_abstract == {"gener\u00adative"}
    finally:
        library.close()


CJK = """\
@article{cjk2026,
  title = {Benchmarks Without Those Words},
  abstract = {We compare 模型 sizes and the バス dataset.},
  year = {2026},
}
"""


def test_two_cjk_characters_are_enough_to_search_abstracts_as_you_type(tmp_path: Path) -> None:
    (tmp_path / "papers.bib").write_text(CJK, encoding="utf-8")
    library = Library.open(tmp_path, with_index=True)
    try:
        for typed in ["模型", "バス", "dat"]:
            assert len(library.search(typed, as_you_type=True, limit=50).hits) == 1, typed
        assert not library.search("da", as_you_type=True, limit=50).hits  # titles only, still
    finally:
        library.close()


@pytest.mark.parametrize("tag", ["机器学习，图", "ᏣᎳᎩ", "ꮳꮃꭹ", "Ǆungla", "ﬁne-tuning"])
def test_a_tag_is_found_as_written_whatever_folding_does_to_it(library: Library, tag: str) -> None:
    """A fullwidth comma folds to `,` (the index splits tags there); Cherokee case-folds to
    capitals, which lower-casing again undid."""
    [paper] = [p for p in library.papers if p.title.startswith("Muller")]
    library.tag(paper.id, add=[tag])
    try:
        for query in [f'tag:"{tag}"', f'tag:"{tag.upper()}"', f"tag:{tag[:2]}*"]:
            assert paper.id in {h.paper_id for h in library.search(query).hits}, query
    finally:
        library.tag(paper.id, remove=[tag])
