"""The query language: the parser alone, then every syntax element on the sample corpus."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from paperdeck.corpus.corpus import Corpus
from paperdeck.notes.annotation import Annotation
from paperdeck.search.index import SearchIndex
from paperdeck.search.query import And, Filter, Not, Or, Text, parse, parse_date_range

SAMPLE = Path(__file__).resolve().parents[1] / "sample_corpus"
GRAPHGPT = "graphgpt-generative-pre-trained-graph-07091733"
GRAPHMAE = "graphmae-self-supervised-masked-graph-dd3ad554"
SVD = "stable-video-diffusion-scaling-latent-f1be4691"  # 2023-11-25, 8 comments
DREAMTUNER = "dreamtuner-single-image-is-enough-for-93be8bde"  # 2023-12-21, 6 comments
MINILM = "minilm-deep-self-attention-distillation-15a5eae7"  # 2020-02-25
TEACHER = "teacher-algorithms-for-curriculum-bd8147eb"  # 2019-10-16, the oldest
CLEAR = "clear-conv-like-linearization-revs-pre-97e20a59"  # 2024-12-20, the newest
DECODER = "decoder-only-llms-are-better-controllers-d0626584"  # --02-06: no year
IMPROVING = "improving-diffusion-based-image-41cf07cb"  # 2024-01-03
BOOT = "boot-data-free-distillation-of-denoising-5e69af63"  # 2023-06-08

ANNOTATIONS = {
    GRAPHGPT: Annotation(
        GRAPHGPT,
        starred=True,
        status="reading",
        tags=("graph-learning", "to-read"),
        note="Eulerian paths are neat",
    ),
    SVD: Annotation(SVD, status="later", tags=("video",), note="compare with Sora"),
    DREAMTUNER: Annotation(DREAMTUNER, starred=True, status="read"),
    MINILM: Annotation(MINILM, status="skipped", tags=("compression",)),
}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    root = tmp_path_factory.mktemp("query") / "corpus"
    ignore = shutil.ignore_patterns(".*", "notes")
    shutil.copytree(SAMPLE, root, ignore=ignore, copy_function=shutil.copyfile)
    corpus = Corpus.load(root)
    index = SearchIndex.open(root, corpus.papers, ANNOTATIONS)
    yield index
    index.close()


def ids(index: SearchIndex, query: str, **options: object) -> list[str]:
    results = index.search(query, limit=None, **options)  # type: ignore[arg-type]
    assert results.error is None, results.error
    return [hit.paper_id for hit in results.hits]


# --- the parser ------------------------------------------------------------------------------


def test_bare_words_are_anded() -> None:
    assert parse("graph learning").tree == And((Text(None, "graph"), Text(None, "learning")))


def test_operators_groups_and_negation() -> None:
    tree = parse("(graph OR video) NOT diffusion -gan").tree
    assert tree == And(
        (
            Or((Text(None, "graph"), Text(None, "video"))),
            Not(Text(None, "diffusion")),
            Not(Text(None, "gan")),
        )
    )


def test_fields_phrases_prefix_fuzzy() -> None:
    tree = parse('title:"graph transformer" abstract:diffu* difusion~ note:x~2').tree
    assert tree == And(
        (
            Text("title", "graph transformer", "phrase"),
            Text("abstract", "diffu", "prefix"),
            Text(None, "difusion", "fuzzy", 1),
            Text("note", "x", "fuzzy", 2),
        )
    )


def test_field_applies_to_a_group() -> None:
    assert parse("title:(graph OR video)").tree == Or(
        (Text("title", "graph"), Text("title", "video"))
    )


def test_filters() -> None:
    tree = parse("is:starred -is:read status:later comments:>5 upvotes:>5 tag:ML").tree
    assert tree == And(
        (
            Filter("starred", True),
            Not(Filter("status", "read")),
            Filter("status", "later"),
            Filter("comments", 6, None),
            Filter("upvotes", 6, None),
            Text("tags", "ML"),
        )
    )


@pytest.mark.parametrize(
    ("text", "bounds"),
    [
        ("2024", (20240101, 20241231)),
        ("2024-03", (20240301, 20240331)),
        ("2024-03-15", (20240315, 20240315)),
        ("2023-06..2024-01", (20230601, 20240131)),
        ("2023..", (20230101, 99991231)),
        ("..2023", (10000, 20231231)),
        (">2024-03", (20240332, 99991231)),
        (">=2024-03", (20240301, 99991231)),
        ("<2024", (10000, 20240100)),  # nothing lies between 20231231 and it
        ("<=2024", (10000, 20241231)),
        ("unknown", (0, 9999)),
    ],
)
def test_date_ranges(text: str, bounds: tuple[int, int]) -> None:
    assert parse_date_range(text) == bounds


@pytest.mark.parametrize("text", ["banana", "2024-13", "..", "24", ">x", "2024-01-40"])
def test_bad_dates(text: str) -> None:
    assert parse_date_range(text) is None


def test_inline_sort_is_taken_out_of_the_query() -> None:
    parsed = parse("graph sort:date")
    assert parsed.sort == "date"
    assert parsed.tree == Text(None, "graph")


def test_as_you_type_marks_only_the_unfinished_last_word() -> None:
    assert parse("graph le", as_you_type=True).tree == And(
        (Text(None, "graph"), Text(None, "le", "partial"))
    )
    assert parse("graph le ", as_you_type=True).tree == And((Text(None, "graph"), Text(None, "le")))
    assert parse("graph l", as_you_type=True).tree == Text(None, "graph")
    assert parse('"graph le"', as_you_type=True).tree == Text(None, "graph le", "phrase")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"graph transformer', "unclosed quote"),
        ("(graph OR video", "missing ')'"),
        ("graph)", "unexpected ')'"),
        ("date:banana", "date:banana"),
        ("AND", "AND needs"),
        ("graph AND", "AND needs"),
        ("OR graph", "OR needs"),
        ("graph NOT", "NOT needs"),
        ("is:famous", "is:famous"),
        ("status:done", "status:done"),
        ("comments:many", "comments:many"),
        ("upvotes:many", "upvotes:many"),
        ("sort:random", "sort:random"),
        ("d*", "at least 2"),
        ("*tion", "trailing *"),
        ("titel:graph", "unknown field titel:"),
        ("title:", "needs a value"),
    ],
)
def test_malformed_queries_report_an_error(query: str, message: str) -> None:
    parsed = parse(query)
    assert parsed.error is not None and message in parsed.error


# --- the language against the sample corpus ---------------------------------------------------


def test_title_field(index: SearchIndex) -> None:
    assert ids(index, "title:graphgpt") == [GRAPHGPT]


def test_bare_words_match_title_and_abstract_with_stemming(index: SearchIndex) -> None:
    found = ids(index, "graphs eulerian")  # "graphs" stems to graph; Eulerian only in GraphGPT
    assert found == [GRAPHGPT]


def test_bare_words_match_tags_and_notes(index: SearchIndex) -> None:
    assert ids(index, "sora") == [SVD]
    assert GRAPHGPT in ids(index, "to-read")


def test_title_and_abstract_fields_look_only_there(index: SearchIndex) -> None:
    papers = Corpus.load(SAMPLE).papers
    word = re.compile(r"\bgraphs?\b", re.IGNORECASE)
    in_titles = {p.id for p in papers if word.search(p.title)}
    in_abstracts = {p.id for p in papers if word.search(p.abstract)}
    assert in_titles != in_abstracts
    assert set(ids(index, "title:graph")) == in_titles
    assert set(ids(index, "abstract:graph")) == in_abstracts
    assert set(ids(index, "graph")) == in_titles | in_abstracts


def test_tag_field_normalises_like_annotations(index: SearchIndex) -> None:
    assert ids(index, 'tag:"Graph Learning"') == [GRAPHGPT]
    assert ids(index, "tag:VIDEO") == [SVD]
    assert ids(index, "tag:graph*") == [GRAPHGPT]


def test_note_field(index: SearchIndex) -> None:
    assert ids(index, "note:eulerian") == [GRAPHGPT]
    assert ids(index, "note:sora") == [SVD]


def test_status_and_is(index: SearchIndex) -> None:
    assert ids(index, "status:later") == [SVD]
    assert ids(index, "is:later") == [SVD]
    assert ids(index, "is:reading") == [GRAPHGPT]
    assert ids(index, "is:read") == [DREAMTUNER]
    assert ids(index, "is:skipped") == [MINILM]
    assert sorted(ids(index, "is:starred")) == sorted([GRAPHGPT, DREAMTUNER])
    unread = ids(index, "is:unread")
    assert len(unread) == 187 - 4 and GRAPHGPT not in unread


def test_not_starred(index: SearchIndex) -> None:
    for query in ("-is:starred", "NOT is:starred"):
        found = ids(index, query)
        assert len(found) == 185 and GRAPHGPT not in found and DREAMTUNER not in found


def test_phrase(index: SearchIndex) -> None:
    phrase = ids(index, '"single image is enough"')
    assert phrase == [DREAMTUNER]
    assert len(ids(index, '"diffusion models"')) < len(ids(index, "diffusion models"))


def test_and_or_not_parentheses(index: SearchIndex) -> None:
    graph = set(ids(index, "graph"))
    video = set(ids(index, "video"))
    assert set(ids(index, "graph OR video")) == graph | video
    assert set(ids(index, "graph AND video")) == graph & video
    assert set(ids(index, "graph NOT video")) == graph - video
    assert set(ids(index, "graph -video")) == graph - video
    both = set(ids(index, "(graph OR video) -is:starred"))
    assert both == (graph | video) - {GRAPHGPT, DREAMTUNER}


def test_prefix(index: SearchIndex) -> None:
    assert set(ids(index, "graphg*")) == {GRAPHGPT}
    assert set(ids(index, "diffu*")) >= set(ids(index, "diffusion"))
    assert GRAPHGPT in ids(index, "generati*")  # prefixes see words, not only their stems


def test_typo_tolerance(index: SearchIndex) -> None:
    # a swap of two neighbouring letters is one edit (Damerau, as in Lucene)
    assert ids(index, "eulerain~") == ids(index, "eulerian") == [GRAPHGPT]
    assert ids(index, "eulerain~2") == [GRAPHGPT]
    assert ids(index, "eluerain~") == []  # two swaps
    assert ids(index, "eluerain~2") == [GRAPHGPT]
    assert ids(index, "eulrian~") == [GRAPHGPT]
    assert ids(index, "elrian~") == []
    assert ids(index, "elrian~2") == [GRAPHGPT]
    assert set(ids(index, "difusion~")) >= set(ids(index, "diffusion"))


def test_dates(index: SearchIndex) -> None:
    assert len(ids(index, "date:2024")) == 32
    in_range = ids(index, "date:2023-06..2024-01", sort="date")
    assert in_range[0] == "bayes-conditional-distribution-abebc231"  # 2024-01-16
    assert in_range[-1] == BOOT and IMPROVING in in_range and len(in_range) == 17
    after = ids(index, "date:>2024-03")
    assert CLEAR in after and IMPROVING not in after and len(after) == 24
    assert ids(index, "date:<2020") == [TEACHER]
    assert ids(index, "date:2020-02-25") == [MINILM]


def test_papers_without_a_known_year_match_only_date_unknown(index: SearchIndex) -> None:
    unknown = ids(index, "date:unknown")
    assert DECODER in unknown and len(unknown) == 187 - 60
    assert DECODER not in ids(index, "date:..2030")


def test_comments(index: SearchIndex) -> None:
    assert ids(index, "comments:>5", sort="comments") == [SVD, DREAMTUNER]
    assert set(ids(index, "comments:5..6")) == {
        DREAMTUNER,
        CLEAR,
        "revolutionizing-reinforcement-learning-ac8c06e8",
    }
    assert len(ids(index, "comments:0")) == 165


def test_upvotes_match_nothing_while_no_source_gives_them(index: SearchIndex) -> None:
    """The count after a daily-papers date is comments: it must not answer `upvotes:`."""
    for query in ("upvotes:>5", "upvotes:0", "upvotes:..1000"):
        results = index.search(query, limit=None)
        assert results.hits == [] and results.error is None, query
    assert len(ids(index, "", sort="upvotes")) == 187  # a valid sort, all papers tied


def test_empty_query_lists_every_paper_newest_first(index: SearchIndex) -> None:
    results = index.search("", limit=None)
    assert results.total == 187 and len(results.hits) == 187 and results.error is None
    assert results.hits[0].paper_id == CLEAR


def test_sorts(index: SearchIndex) -> None:
    by_date = ids(index, "")
    assert ids(index, "", sort="date") == by_date
    assert by_date[0] == CLEAR and by_date.index(DECODER) > by_date.index(TEACHER)
    oldest = ids(index, "", sort="-date")
    assert oldest[0] == TEACHER and oldest.index(DECODER) > oldest.index(CLEAR)
    assert ids(index, "", sort="comments")[:2] == [SVD, DREAMTUNER]
    title_of = {p.id: p.title.casefold() for p in Corpus.load(SAMPLE).papers}
    titles = [title_of[pid] for pid in ids(index, "diffusion", sort="title")]
    assert titles == sorted(titles) and len(titles) > 50
    inline = [title_of[pid] for pid in ids(index, "graph sort:title")]  # inline sort wins
    assert inline == sorted(inline)
    assert [title_of[pid] for pid in ids(index, "graph sort:-title")] == inline[::-1]
    assert ids(index, "sort:comments")[:2] == [SVD, DREAMTUNER]


def test_relevance_puts_title_matches_first(index: SearchIndex) -> None:
    assert set(ids(index, "graph")[:2]) <= {
        GRAPHGPT,
        GRAPHMAE,
        "self-supervised-learning-on-graphs-deep-51903bfb",
    }


def test_unknown_sort_is_an_error_but_still_searches(index: SearchIndex) -> None:
    results = index.search("graph", sort="colour")
    assert results.error and "colour" in results.error and results.hits


def test_limit_and_total(index: SearchIndex) -> None:
    results = index.search("diffusion", limit=5)
    assert len(results.hits) == 5 and results.total > 5
    assert [hit.rank for hit in results.hits] == [0, 1, 2, 3, 4]


@pytest.mark.parametrize(
    "query",
    [
        '"graph transformer',
        "(graph OR video",
        "graph)",
        "date:banana",
        "AND",
        "OR",
        "NOT",
        "-",
        "((",
        "))",
        '"',
        "title:",
        "*",
        "~",
        "a*",
        "is:",
        "upvotes:>x",
        "sort:",
        "graph AND AND video",
        "graph OR OR",
        ":",
        "::",
        "tag:",
        "date:..",
        "\\",
        "graph~9",
    ],
)
def test_malformed_queries_never_raise(index: SearchIndex, query: str) -> None:
    results = index.search(query)
    assert isinstance(results.hits, list)
    assert results.error is not None or query in ("-", "~", "\\", ":", "::")


def test_best_effort_hits_alongside_an_error(index: SearchIndex) -> None:
    results = index.search("title:graphgpt date:banana")
    assert results.error and "date:banana" in results.error
    assert [hit.paper_id for hit in results.hits] == [GRAPHGPT]
    unclosed = index.search('"graphgpt generative')
    assert unclosed.error and [hit.paper_id for hit in unclosed.hits] == [GRAPHGPT]
    assert index.search("date:banana").hits == []  # nothing understood: no hits, not all


def test_as_you_type(index: SearchIndex) -> None:
    partial = index.search("eulerian gra", as_you_type=True)
    assert [hit.paper_id for hit in partial.hits] == [GRAPHGPT]
    assert GRAPHGPT in [h.paper_id for h in index.search("graphg", as_you_type=True).hits]
    # one letter is not sent to Whoosh at all: the query is what was typed before it
    one = index.search("eulerian g", as_you_type=True)
    assert [hit.paper_id for hit in one.hits] == [GRAPHGPT]
    assert index.search("g", as_you_type=True).total == 187
    # a partial word also matches abstracts once it has 3 letters
    assert GRAPHGPT in [h.paper_id for h in index.search("euler", as_you_type=True).hits]
    # a finished word (followed by a space) is an ordinary word again
    assert index.search("eulerian gra ", as_you_type=True).hits == []


# --- the fast paths and capped totals ----------------------------------------------------------


def _whoosh_ids(index: SearchIndex, query: str, as_you_type: bool = False) -> set[str]:
    """What Whoosh itself matches for a query, every paper (the slow path)."""
    from paperdeck.search.compile import compile_tree

    searcher = index._fresh_searcher()
    compiled = compile_tree(parse(query, as_you_type=as_you_type).tree, searcher.schema)
    return {index._ids[hit.docnum] for hit in searcher.search(compiled, limit=None)}


@pytest.mark.parametrize("query", ["gra", "graph le", "diffusion mod", "diffusion ", "eule"])
def test_as_you_type_fast_path_matches_what_whoosh_matches(index: SearchIndex, query: str) -> None:
    results = index.search(query, limit=None, as_you_type=True)
    assert results.exact and results.total == len(results.hits)
    assert {hit.paper_id for hit in results.hits} == _whoosh_ids(index, query, True)
    by_date = index.search(query, limit=None, sort="date", as_you_type=True)
    assert [h.paper_id for h in by_date.hits] == [
        pid for pid in ids(index, "") if pid in {h.paper_id for h in results.hits}
    ]


def test_as_you_type_ranks_title_matches_first_then_newest(index: SearchIndex) -> None:
    title_of = {p.id: p.title.lower() for p in Corpus.load(SAMPLE).papers}
    hits = [h.paper_id for h in index.search("eule", limit=None, as_you_type=True).hits]
    in_title = [pid for pid in hits if re.search(r"\beule", title_of[pid])]
    assert in_title and hits[: len(in_title)] == in_title
    newest = ids(index, "")
    assert in_title == sorted(in_title, key=newest.index)


def test_as_you_type_total_is_a_lower_bound_once_titles_fill_the_limit(index: SearchIndex) -> None:
    everything = index.search("diff", limit=None, as_you_type=True)
    assert everything.exact and everything.total_text == f"{everything.total:,}"
    few = index.search("diff", limit=3, as_you_type=True)
    assert not few.exact and 3 <= few.total <= everything.total
    assert few.total_text == f"{few.total:,}+"
    assert [h.paper_id for h in few.hits] == [h.paper_id for h in everything.hits[:3]]


def test_counting_stops_at_the_cap(index: SearchIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    query = "diffusion OR id:zz*"  # an `id:` prefix: Whoosh ranks and counts it
    exact = index.search(query, limit=2)
    assert exact.exact and exact.total == len(_whoosh_ids(index, query)) > 5
    monkeypatch.setattr("paperdeck.search.index.COUNT_CAP", 5)
    capped = index.search(query, limit=2)
    assert not capped.exact and capped.total == 5 and capped.total_text == "5+"
    assert [h.paper_id for h in capped.hits] == [h.paper_id for h in exact.hits]
    phrase = index.search('"diffusion models"', limit=2)  # phrases too are counted exactly
    assert phrase.exact and phrase.total == len(_whoosh_ids(index, '"diffusion models"')) > 5
    plain = index.search("diffusion", limit=2)  # plain words are counted exactly, cheaply
    assert plain.exact and plain.total == len(_whoosh_ids(index, "diffusion"))
