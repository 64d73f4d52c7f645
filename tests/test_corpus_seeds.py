"""Pin concrete papers of every seed file of the sample corpus.

Every expected value here was read from the seed files by hand (sed/grep), not printed from
paperdeck: IDs were computed with `tr`/`sha256sum` from the README's rule. Where a value is the
verbatim text of a line, the test reads that line itself from the file, independently of the
reader under test.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from paperdeck.corpus.corpus import Corpus
from paperdeck.corpus.paper import Paper, Source

SAMPLE = Path(__file__).resolve().parents[1] / "sample_corpus"

F000 = "000_1baa1a46657d523b.txt"
F001 = "001_5d22787c68a1584e.txt"
F002 = "002_872f613ddb38270d.txt"
F003 = "003_93456e08bd80bb73.txt"
F004 = "004_672472eb05abb3ab.txt"
SEEDS = (F000, F001, F002, F003, F004)

# Lines of page furniture in each daily-papers page (1-based), read with `sed -n 1,12p`.
PAGE_HEADER_LINES = {F002: range(1, 11), F003: range(1, 11), F004: range(1, 13)}
PAGE_DATE_LINES = {F002: (9, "Jul 9"), F003: (9, "Mar 13"), F004: (11, "Nov 13")}

_DATE = re.compile(r"^[A-Z][a-z]{2} \d{1,2}(, \d{4})?( \d+)?$")
_AUTHORS = re.compile(r"^\s*• (\d+) authors$")


@cache
def seed_lines(name: str) -> tuple[str, ...]:
    return tuple((SAMPLE / name).read_text(encoding="utf-8").split("\n"))


def raw(name: str, line: int) -> str:
    return seed_lines(name)[line - 1]


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus.load(SAMPLE)


@pytest.fixture(scope="module")
def by_source(corpus: Corpus) -> dict[tuple[str, int], Paper]:
    return {(s.path, s.line): paper for paper in corpus for s in paper.sources}


def at(by_source: dict[tuple[str, int], Paper], name: str, line: int) -> Paper:
    assert (name, line) in by_source, f"no paper read from {name}:{line}"
    return by_source[(name, line)]


# --- totals ------------------------------------------------------------------------------------


def test_total_counts(corpus: Corpus) -> None:
    papers = list(corpus)
    assert len(papers) == 187
    assert sum(not p.title_derived for p in papers) == 168
    assert sum(p.title_derived for p in papers) == 19
    assert len({p.id for p in papers}) == 187
    assert corpus.problems == []


def test_copies_per_file(corpus: Corpus) -> None:
    # 000: 9 non-empty lines, 001: 11, 002: 64 title/abstract pairs, 003: 45, 004: 73.
    per_file: dict[str, int] = {}
    for paper in corpus:
        for source in paper.sources:
            per_file[source.path] = per_file.get(source.path, 0) + 1
    assert per_file == {F000: 9, F001: 11, F002: 64, F003: 45, F004: 73}


def test_multi_source_papers(corpus: Corpus) -> None:
    multi = [p for p in corpus if len(p.sources) > 1]
    assert sum(not p.title_derived for p in multi) == 13
    assert sum(p.title_derived for p in multi) == 1
    assert sorted(len(p.sources) for p in multi) == [2] * 13 + [3]


def test_every_source_points_at_its_title_or_abstract_line(corpus: Corpus) -> None:
    for paper in corpus:
        assert list(paper.sources) == sorted(paper.sources), paper.id
        for source in paper.sources:
            line = raw(source.path, source.line).strip()
            if paper.title_derived:
                assert line == paper.abstract, source
            else:
                assert line == paper.title, source
                # A daily page: title line, blank line, abstract line.
                assert raw(source.path, source.line + 1).strip() == ""
                assert raw(source.path, source.line + 2).strip() == paper.abstract


def test_titled_sources_are_exactly_the_title_lines() -> None:
    """Scan the pages independently: a title is a non-blank line right after a blank line that
    is followed by a blank line and a long abstract line."""
    corpus = Corpus.load(SAMPLE)
    expected: set[tuple[str, int]] = set()
    for name in (F002, F003, F004):
        lines = seed_lines(name)
        for index, text in enumerate(lines):
            number = index + 1
            if number in PAGE_HEADER_LINES[name] or not text.strip():
                continue
            if _AUTHORS.match(text) or text == "·" or _DATE.match(text) or len(text) > 300:
                continue
            assert lines[index + 1] == "" and len(lines[index + 2]) > 300, (name, number)
            expected.add((name, number))
    got = {(s.path, s.line) for p in corpus if not p.title_derived for s in p.sources}
    assert got == expected
    assert len(expected) == 64 + 45 + 73


def test_metadata_of_every_004_paper_matches_its_block(corpus: Corpus) -> None:
    """Each 004 title is followed by its abstract and optionally `• N authors`, `·`, a date."""
    for paper in corpus:
        for source in paper.sources:
            if source.path != F004:
                continue
            n = source.line
            authors = _AUTHORS.match(raw(F004, n + 4)) if n + 4 <= len(seed_lines(F004)) else None
            if authors is None:
                assert paper.author_count is None and paper.date is None, paper.title
                continue
            assert paper.author_count == int(authors.group(1)), paper.title
            assert raw(F004, n + 5) == "·"
            assert _DATE.match(raw(F004, n + 6)), paper.title
            parts = raw(F004, n + 6).replace(",", "").split()
            assert paper.date is not None
            assert paper.date.month == [
                "",
                "Jan",
                "Feb",
                "Mar",
                "Apr",
                "May",
                "Jun",
                "Jul",
                "Aug",
                "Sep",
                "Oct",
                "Nov",
                "Dec",
            ].index(parts[0])
            assert paper.date.day == int(parts[1])
            has_year = "," in raw(F004, n + 6)
            assert paper.date.year_known is has_year
            if has_year:
                assert paper.date.year == int(parts[2])
            comment_part = parts[3:] if has_year else parts[2:]
            assert paper.comments == (int(comment_part[0]) if comment_part else 0), paper.title
            assert paper.upvotes is None, paper.title


# --- page chrome -------------------------------------------------------------------------------

CHROME = {
    "new",
    "Subscribe",
    "Daily Papers",
    "Get trending papers in your email inbox!",
    "byAK and the research community",
    "Jul 9",
    "Mar 13",
    "Nov 13",
}


def test_page_chrome_never_becomes_a_paper(corpus: Corpus) -> None:
    for paper in corpus:
        assert paper.title not in CHROME
        assert paper.abstract not in CHROME
        assert not _DATE.match(paper.title), paper.title
        for source in paper.sources:
            if source.path in PAGE_HEADER_LINES:
                assert source.line not in PAGE_HEADER_LINES[source.path], source


def test_page_date_line_is_not_a_paper_date(corpus: Corpus) -> None:
    """`Jul 9` at the top of 002 is the page's date; no paper of 002/003 has a date."""
    for paper in corpus:
        paths = {s.path for s in paper.sources}
        if paths <= {F002, F003}:
            assert paper.date is None, paper.title
            assert paper.author_count is None, paper.title
            assert paper.comments == 0, paper.title
    for name, (line, text) in PAGE_DATE_LINES.items():
        assert raw(name, line) == text


def test_no_paper_dated_like_the_004_page(by_source: dict[tuple[str, int], Paper]) -> None:
    # The first paper after `Nov 13` carries its own date, Jun 8, 2023.
    boot = at(by_source, F004, 13)
    assert boot.date is not None and boot.date.iso() == "2023-06-08"


# --- 000: one abstract per line ----------------------------------------------------------------


def test_000_first(by_source: dict[tuple[str, int], Paper]) -> None:
    paper = at(by_source, F000, 1)
    assert paper.id == "the-recent-progress-of-diffusion-models-18351d2a"
    assert paper.title_derived is True
    assert paper.title == (
        "The recent progress of diffusion models in terms of image quality has led to a…"
    )
    assert paper.abstract == raw(F000, 1)
    assert paper.abstract.startswith("The recent progress of diffusion models in terms of image")
    assert paper.abstract.endswith("will be available at //github.com/MischaD/chest-distillation.")
    assert len(paper.abstract) == 1160
    assert paper.author_count is None
    assert paper.date is None
    assert paper.comments == 0
    # Scheme-less link made openable, trailing full stop dropped.
    assert paper.links == ("https://github.com/MischaD/chest-distillation",)
    assert paper.sources == (Source(F000, 1),)


def test_000_middle_line(by_source: dict[tuple[str, int], Paper]) -> None:
    paper = at(by_source, F000, 7)
    assert paper.id == "diffusion-models-such-as-stable-78a4e9ab"
    assert paper.title_derived is True
    assert paper.abstract == raw(F000, 7)
    assert paper.links == ()
    assert paper.sources == (Source(F000, 7),)


def test_000_last_is_shared_with_001(by_source: dict[tuple[str, int], Paper]) -> None:
    """000:9 (no final newline) and 001:7 hold the same CoOp abstract: one untitled paper."""
    paper = at(by_source, F000, 9)
    assert at(by_source, F001, 7) is paper
    assert raw(F000, 9) == raw(F001, 7)
    assert paper.id == "with-the-rise-of-powerful-pre-trained-f56bf08d"
    assert paper.title_derived is True
    assert paper.title == (
        "With the rise of powerful pre-trained vision-language models like CLIP, it…"
    )
    assert paper.abstract == raw(F000, 9)
    assert paper.abstract.endswith("Code is available at //github.com/KaiyangZhou/CoOp.")
    assert paper.links == ("https://github.com/KaiyangZhou/CoOp",)
    assert paper.sources == (Source(F000, 9), Source(F001, 7))
    assert paper.author_count is None and paper.date is None and paper.comments == 0


# --- 001: one abstract per line ----------------------------------------------------------------


def test_001_first(by_source: dict[tuple[str, int], Paper]) -> None:
    paper = at(by_source, F001, 1)
    assert paper.id == "text-to-image-diffusion-models-have-6860aad2"
    assert paper.title_derived is True
    assert paper.title.startswith("Text-to-image diffusion models have demonstrated")
    assert paper.title.endswith("…") and len(paper.title) <= 80
    assert paper.abstract == raw(F001, 1)
    assert paper.abstract.endswith("will be available at: //hila-chefer.github.io/Conceptor/")
    assert paper.links == ("https://hila-chefer.github.io/Conceptor/",)
    assert paper.sources == (Source(F001, 1),)


def test_001_last(by_source: dict[tuple[str, int], Paper]) -> None:
    paper = at(by_source, F001, 11)
    assert paper.id == "the-goal-of-text-generation-is-to-make-502ca353"
    assert paper.title_derived is True
    # The whole first sentence fits in 80 characters: no ellipsis.
    assert paper.title.rstrip(".") == (
        "The goal of text generation is to make machines express in human language"
    )
    assert paper.abstract == raw(F001, 11)
    assert paper.abstract.endswith("researchers and practitioners, in academia and industry.")
    assert paper.links == ()
    assert paper.sources == (Source(F001, 11),)


def test_001_short_first_sentence_title(by_source: dict[tuple[str, int], Paper]) -> None:
    paper = at(by_source, F001, 4)
    assert paper.title.rstrip(".") == "Knowledge plays a critical role in artificial intelligence"
    assert paper.title_derived is True


def test_001_long_first_sentence_cut_at_word(by_source: dict[tuple[str, int], Paper]) -> None:
    paper = at(by_source, F001, 9)
    assert paper.title == (
        "In humans, Attention is a core property of all perceptual and cognitive…"
    )


def test_001_scheme_less_link_inside_text(by_source: dict[tuple[str, int], Paper]) -> None:
    paper = at(by_source, F001, 8)
    assert paper.links == ("https://pretrain.nlpedia.ai/",)


# --- 002: daily page without metadata -----------------------------------------------------------


def test_002_first(by_source: dict[tuple[str, int], Paper]) -> None:
    paper = at(by_source, F002, 11)
    assert paper.id == "graphgpt-generative-pre-trained-graph-07091733"  # the README's example
    assert paper.title == "GraphGPT: Generative Pre-trained Graph Eulerian Transformer"
    assert paper.title_derived is False
    assert paper.abstract == raw(F002, 13)
    assert paper.abstract.startswith("We introduceGraphGPT, a novel self-supervised generative")
    assert paper.abstract.endswith(
        "(https://github.com/alibaba/graph-gpt) and pre-trained checkpoints."
    )
    assert paper.links == ("https://github.com/alibaba/graph-gpt",)
    assert paper.author_count is None
    assert paper.date is None  # not the page's `Jul 9`
    assert paper.comments == 0
    assert paper.sources == (Source(F002, 11),)


def test_002_last(by_source: dict[tuple[str, int], Paper]) -> None:
    paper = at(by_source, F002, 263)
    assert paper.id == "learning-transferable-visual-models-from-f86c3d1d"
    assert paper.title == "Learning Transferable Visual Models From Natural Language Supervision"
    assert paper.abstract == raw(F002, 265)
    assert paper.abstract.startswith("State-of-the-art computer vision systems are trained")
    assert paper.abstract.endswith("model weights at https://github.com/OpenAI/CLIP.")
    assert paper.links == ("https://github.com/OpenAI/CLIP",)
    assert paper.author_count is None and paper.date is None and paper.comments == 0
    assert paper.sources == (Source(F002, 263),)


def test_002_two_links_in_order(by_source: dict[tuple[str, int], Paper]) -> None:
    paper = at(by_source, F002, 195)
    assert paper.links == (
        "https://github.com/thunil/TecoGAN",
        "https://ge.in.tum.de/publications/2019-tecogan-chu/",
    )


def test_002_dot_git_link_keeps_git(by_source: dict[tuple[str, int], Paper]) -> None:
    # `https://github.com/VinAIResearch/LFM.git.` at the end of a sentence.
    paper = at(by_source, F002, 155)
    assert paper.links == ("https://github.com/VinAIResearch/LFM.git",)


# --- 003: daily page without metadata -----------------------------------------------------------


def test_003_first(by_source: dict[tuple[str, int], Paper]) -> None:
    paper = at(by_source, F003, 11)
    assert paper.id == "binary-latent-diffusion-3af8fb5f"
    assert paper.title == "Binary Latent Diffusion"
    assert paper.title_derived is False
    assert paper.abstract == raw(F003, 13)
    assert paper.abstract.startswith("In this paper, we show that a binary latent space")
    assert paper.abstract.endswith(
        "without resorting to latent hierarchy or multi-stage refinements."
    )
    assert paper.links == ()
    assert paper.author_count is None and paper.date is None and paper.comments == 0
    assert paper.sources == (Source(F003, 11),)


def test_003_last(by_source: dict[tuple[str, int], Paper]) -> None:
    paper = at(by_source, F003, 187)
    assert paper.id == "classdiffusion-more-aligned-1f31df7d"
    assert paper.title == (
        "ClassDiffusion: More Aligned Personalization Tuning with Explicit Class Guidance"
    )
    assert paper.abstract == raw(F003, 189)
    assert paper.abstract.endswith("personalized video generation, demonstrating its flexibility.")
    assert paper.links == ()
    assert paper.sources == (Source(F003, 187),)


def test_003_link_in_parentheses_then_full_stop(by_source: dict[tuple[str, int], Paper]) -> None:
    # `(codebase available at: https://github.com/stypoumic/BECLR).`
    paper = at(by_source, F003, 67)
    assert raw(F003, 69).endswith("https://github.com/stypoumic/BECLR).")
    assert paper.links == ("https://github.com/stypoumic/BECLR",)


def test_003_link_with_path_slash_before_full_stop(by_source: dict[tuple[str, int], Paper]) -> None:
    paper = at(by_source, F003, 51)
    assert paper.links == ("https://koutilya-pnvr.github.io/LD-ZNet/",)


# --- 004: daily page with metadata --------------------------------------------------------------


def test_004_first(by_source: dict[tuple[str, int], Paper]) -> None:
    """The README's JSON example, field for field."""
    paper = at(by_source, F004, 13)
    d = paper.to_dict()
    assert d["id"] == "boot-data-free-distillation-of-denoising-5e69af63"
    assert d["title"] == (
        "BOOT: Data-free Distillation of Denoising Diffusion Models with Bootstrapping"
    )
    assert d["title_derived"] is False
    assert d["abstract"] == raw(F004, 15)
    assert d["abstract"].startswith("Diffusion models have demonstrated excellent potential")
    assert d["author_count"] == 5
    assert d["date"] == "2023-06-08"
    assert d["year_known"] is True
    assert d["comments"] == 1  # `Jun 8, 2023 1`: the count after the date is comments
    assert d["upvotes"] is None  # plain-text pages give no upvotes
    assert d["links"] == []
    assert d["sources"] == [{"path": F004, "line": 13}]


def test_004_last(by_source: dict[tuple[str, int], Paper]) -> None:
    paper = at(by_source, F004, 577)
    assert paper.id == "openhumanvid-a-large-scale-high-quality-3947c7e4"
    assert paper.title == (
        "OpenHumanVid: A Large-Scale High-Quality Dataset for Enhancing Human-Centric Video "
        "Generation"
    )
    assert paper.abstract == raw(F004, 579)
    assert paper.author_count == 11
    assert paper.date is not None and paper.date.iso() == "2024-11-28"
    assert paper.date.year_known is True
    assert paper.comments == 0  # `Nov 28, 2024` has no count; the file has no final newline
    assert paper.links == ("https://fudan-generative-vision.github.io/OpenHumanVid",)
    assert paper.sources == (Source(F004, 577),)


def test_004_with_comments(by_source: dict[tuple[str, int], Paper]) -> None:
    paper = at(by_source, F004, 21)
    assert paper.title == "FlashSpeech: Efficient Zero-Shot Speech Synthesis"
    assert paper.author_count == 13
    assert paper.date is not None and paper.date.iso() == "2024-04-22"
    assert paper.comments == 4
    assert paper.links == ("https://flashspeech.github.io/",)


def test_004_date_without_year(by_source: dict[tuple[str, int], Paper]) -> None:
    paper = at(by_source, F004, 85)  # `Oct 23 1`
    assert paper.id == "echodistill-bidirectional-concept-fc2b11e3"
    assert paper.title == (
        "EchoDistill: Bidirectional Concept Distillation for One-Step Diffusion Personalization"
    )
    assert paper.author_count == 7
    assert paper.date is not None
    assert paper.date.year is None and paper.date.year_known is False
    assert (paper.date.month, paper.date.day) == (10, 23)
    assert paper.comments == 1
    d = paper.to_dict()
    assert d["date"] == "--10-23" and d["year_known"] is False


def test_004_date_without_year_with_comments(by_source: dict[tuple[str, int], Paper]) -> None:
    paper = at(by_source, F004, 369)  # `Sep 8 5`
    assert paper.title == (
        "Revolutionizing Reinforcement Learning Framework for Diffusion Large Language Models"
    )
    assert paper.author_count == 6
    assert paper.to_dict()["date"] == "--09-08"
    assert paper.to_dict()["year_known"] is False
    assert paper.comments == 5
    assert paper.links == ("https://github.com/Gen-Verse/dLLM-RL",)


def test_004_date_without_year_without_comments(by_source: dict[tuple[str, int], Paper]) -> None:
    paper = at(by_source, F004, 169)  # `Sep 29`
    assert paper.title.startswith("SDPose: Exploiting Diffusion Priors")
    assert paper.to_dict()["date"] == "--09-29"
    assert paper.comments == 0
    assert paper.author_count == 7


def test_004_paper_without_metadata(by_source: dict[tuple[str, int], Paper]) -> None:
    paper = at(by_source, F004, 125)
    assert paper.id == "self-forcing-towards-minute-scale-high-5d26be9b"
    assert paper.title == "Self-Forcing++: Towards Minute-Scale High-Quality Video Generation"
    assert paper.abstract == raw(F004, 127)
    assert paper.author_count is None
    assert paper.date is None
    assert paper.comments == 0
    assert paper.links == ("https://self-forcing-plus-plus.github.io/",)
    d = paper.to_dict()
    assert d["date"] is None and d["year_known"] is None and d["author_count"] is None
    # ...and the next paper keeps its own metadata.
    following = at(by_source, F004, 129)
    assert following.title == "Unleashing Text-to-Image Diffusion Models for Visual Perception"
    assert following.author_count == 6
    assert following.date is not None and following.date.iso() == "2023-03-03"


@pytest.mark.parametrize(
    ("bare", "bare_abstract", "nxt", "authors", "date", "comments"),
    [
        (417, 419, 421, 6, "2023-12-21", 6),  # Diffusion Transformers w/ RAE, then DreamTuner
        (541, 543, 545, 4, "2023-11-14", 0),  # Skill-Targeted Adaptive Training, Unlock the Power
    ],
)
def test_004_metadata_not_shifted_across_bare_paper(
    by_source: dict[tuple[str, int], Paper],
    bare: int,
    bare_abstract: int,
    nxt: int,
    authors: int,
    date: str,
    comments: int,
) -> None:
    paper = at(by_source, F004, bare)
    assert paper.abstract == raw(F004, bare_abstract)
    assert paper.author_count is None and paper.date is None and paper.comments == 0
    following = at(by_source, F004, nxt)
    assert following.abstract == raw(F004, nxt + 2)
    assert following.author_count == authors
    assert following.date is not None and following.date.iso() == date
    assert following.comments == comments


# --- duplicates across files --------------------------------------------------------------------


def test_diffusion_models_beat_gans_in_three_files(by_source: dict[tuple[str, int], Paper]) -> None:
    paper = at(by_source, F002, 227)
    assert at(by_source, F003, 63) is paper
    assert at(by_source, F004, 145) is paper
    assert paper.id == "diffusion-models-beat-gans-on-image-ab4ca86b"
    assert paper.title == "Diffusion Models Beat GANs on Image Classification"
    assert paper.abstract == raw(F004, 147) == raw(F002, 229) == raw(F003, 65)
    # Fields from the richest copy (004: `• 8 authors`, `Jul 17, 2023 1`).
    assert paper.author_count == 8
    assert paper.date is not None and paper.date.iso() == "2023-07-17"
    assert paper.comments == 1
    assert paper.sources == (Source(F002, 227), Source(F003, 63), Source(F004, 145))
    assert paper.to_dict()["sources"] == [
        {"path": F002, "line": 227},
        {"path": F003, "line": 63},
        {"path": F004, "line": 145},
    ]


def test_duplicate_richest_copy_is_later_in_source_order(
    by_source: dict[tuple[str, int], Paper],
) -> None:
    """003:179 comes first but has no metadata; 004:61 (`• 9 authors`, `May 30, 2024`) wins."""
    paper = at(by_source, F003, 179)
    assert at(by_source, F004, 61) is paper
    assert paper.title == "Slight Corruption in Pre-training Data Makes Better Diffusion Models"
    assert paper.author_count == 9
    assert paper.date is not None and paper.date.iso() == "2024-05-30"
    assert paper.sources == (Source(F003, 179), Source(F004, 61))


def test_duplicate_with_yearless_date(by_source: dict[tuple[str, int], Paper]) -> None:
    """002:191 has nothing; 004:409 has `• 4 authors` and `May 16` (no year)."""
    paper = at(by_source, F002, 191)
    assert at(by_source, F004, 409) is paper
    assert paper.id == "ddae-enhancing-diffusion-models-towards-ae65c24e"
    assert paper.title == (
        "DDAE++: Enhancing Diffusion Models Towards Unified Generative and Discriminative Learning"
    )
    assert paper.author_count == 4
    assert paper.to_dict()["date"] == "--05-16"
    assert paper.to_dict()["year_known"] is False
    assert paper.comments == 0
    assert paper.sources == (Source(F002, 191), Source(F004, 409))


@pytest.mark.parametrize(
    ("first", "second", "title", "authors", "date", "comments", "links"),
    [
        (
            (F002, 51),
            (F004, 109),
            "Self-Distillation for Further Pre-training of Transformers",
            5,
            "2022-09-29",
            0,
            (),
        ),
        (
            (F002, 131),
            (F004, 353),
            "InstructCV: Instruction-Tuned Text-to-Image Diffusion Models as Vision Generalists",
            5,
            "2023-09-30",
            2,
            (),
        ),
        (
            (F002, 159),
            (F004, 161),
            "Towards Practical Plug-and-Play Diffusion Models",
            7,
            "2022-12-12",
            0,
            ("https://github.com/riiid/PPAP",),
        ),
        (
            (F003, 171),
            (F004, 297),
            "Your Diffusion Model is Secretly a Zero-Shot Classifier",
            5,
            "2023-03-28",
            0,
            ("https://diffusion-classifier.github.io/",),
        ),
        (
            (F002, 127),
            (F003, 43),
            "Exposing flaws of generative model evaluation metrics and their unfair treatment of "
            "diffusion models",
            None,
            None,
            0,
            ("https://github.com/layer6ai-labs/dgm-eval",),
        ),
        (
            (F002, 259),
            (F003, 75),
            "ITI-GEN: Inclusive Text-to-Image Generation",
            None,
            None,
            0,
            ("https://czhang0528.github.io/iti-gen",),
        ),
        (
            (F002, 203),
            (F003, 39),
            "Learning Structured Output Representations from Attributes using Deep Conditional "
            "Generative Models",
            None,
            None,
            0,
            (),
        ),
        (
            (F002, 43),
            (F003, 47),
            "Plug & Play Generative Networks: Conditional Iterative Generation of Images in Latent "
            "Space",
            None,
            None,
            0,
            None,
        ),
        (
            (F002, 143),
            (F003, 19),
            "Stabilize the Latent Space for Image Autoregressive Modeling: A Unified Perspective",
            None,
            None,
            0,
            ("https://github.com/DAMO-NLP-SG/DiGIT",),
        ),
        (
            (F002, 215),
            (F003, 147),
            "Unified Generative and Discriminative Training for Multi-modal Large Language Models",
            None,
            None,
            0,
            None,
        ),
    ],
)
def test_two_copy_duplicates(
    by_source: dict[tuple[str, int], Paper],
    first: tuple[str, int],
    second: tuple[str, int],
    title: str,
    authors: int | None,
    date: str | None,
    comments: int,
    links: tuple[str, ...] | None,
) -> None:
    paper = at(by_source, *first)
    assert at(by_source, *second) is paper
    assert paper.title == title
    assert paper.title_derived is False
    assert paper.abstract == raw(first[0], first[1] + 2) == raw(second[0], second[1] + 2)
    assert paper.author_count == authors
    assert (paper.date.iso() if paper.date else None) == date
    assert paper.comments == comments
    if links is not None:
        assert paper.links == links
    assert paper.sources == (Source(*first), Source(*second))


def test_titled_and_untitled_never_merged(corpus: Corpus) -> None:
    for paper in corpus:
        paths = {s.path for s in paper.sources}
        if paper.title_derived:
            assert paths <= {F000, F001}
        else:
            assert paths <= {F002, F003, F004}


def test_links_have_no_trailing_punctuation_and_a_scheme(corpus: Corpus) -> None:
    links = [link for paper in corpus for link in paper.links]
    assert links
    for link in links:
        assert link.startswith(("https://", "http://")), link
        assert not link.endswith((".", ",", ")", ";", ":")), link


# --- the duplicate rule on constructed copies ---------------------------------------------------

_ABSTRACT = (
    "Diffusion models have demonstrated excellent potential for generating diverse images. "
    "However, their performance often suffers from slow generation due to iterative denoising. "
    "Code is at https://github.com/example/boot."
)


def _write(root: Path, files: dict[str, str]) -> Corpus:
    root.mkdir()
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return Corpus.load(root)


def test_lacking_field_comes_from_next_copy_in_richness_order(tmp_path: Path) -> None:
    """README: the richest copy first (most precise date, then author count, then source
    order); "a field that copy lacks comes from the next copy in that order that has it"."""
    corpus = _write(
        tmp_path / "c",
        {
            # (no date, authors): least rich, but first by path.
            "a.txt": f"new\n\nSome Paper\n\n{_ABSTRACT}\n\n  • 3 authors\n",
            # (date without year, authors): second in richness order.
            "b.txt": f"new\n\nSome Paper\n\n{_ABSTRACT}\n\n  • 5 authors\n·\nFeb 2\n",
            # (date with year, no authors): the richest copy.
            "c.txt": f"new\n\nSome Paper\n\n{_ABSTRACT}\n\n·\nJan 1, 2024 2\n",
        },
    )
    [paper] = corpus.papers
    assert paper.date is not None and paper.date.iso() == "2024-01-01"
    assert paper.comments == 2
    assert paper.author_count == 5  # from b.txt, next in richness order (not a.txt's 3)
    assert [s.path for s in paper.sources] == ["a.txt", "b.txt", "c.txt"]


def test_richest_copy_without_abstract_takes_it_from_another_copy(tmp_path: Path) -> None:
    corpus = _write(
        tmp_path / "c",
        {
            # The richest copy (year and authors) lost its abstract in scraping.
            "a.txt": "new\n\nSome Paper\n\n  • 4 authors\n·\nJan 1, 2024\n",
            "b.txt": f"new\n\nSome Paper\n\n{_ABSTRACT}\n",
        },
    )
    [paper] = corpus.papers
    assert paper.author_count == 4
    assert paper.date is not None and paper.date.iso() == "2024-01-01"
    assert paper.abstract == _ABSTRACT
    assert paper.links == ("https://github.com/example/boot",)
    assert corpus.problems  # the missing abstract is still reported


def test_richest_copy_wins_even_when_later_in_source_order(tmp_path: Path) -> None:
    corpus = _write(
        tmp_path / "c",
        {
            "a.txt": f"new\n\nsome   PAPER\n\n{_ABSTRACT}\n\n  • 9 authors\n·\nMar 3 40\n",
            "b.txt": (
                f"new\n\nSome Paper\n\n{_ABSTRACT} Extra.\n\n  • 2 authors\n·\nMar 3, 2023 1\n"
            ),
        },
    )
    [paper] = corpus.papers
    assert paper.title == "Some Paper"  # b has a year
    assert paper.abstract.endswith("Extra.")
    assert paper.author_count == 2
    assert paper.date is not None and paper.date.iso() == "2023-03-03"
    assert paper.comments == 40  # the largest count of any copy
