"""Markdown captures of Hugging Face papers pages: read exactly, or reported, never junk."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from paperdeck.readers import hf_markdown, read

DATA = Path(__file__).parent / "data"


def page() -> str:
    return (DATA / "hf_papers_page.md").read_text(encoding="utf-8")


def test_only_the_papers_are_read_no_front_matter_navigation_or_chrome() -> None:
    result = read(page(), "Daily Papers - Hugging Face.md")
    assert result.format == "hf-papers-markdown"
    assert [r.title for r in result.records] == [
        "Tracking Everything Everywhere All at Once",
        "Direct Preference Optimization: Your Language Model is Secretly a Reward Model",
        "Gemini: A Family of Highly Capable Multimodal Models [Technical Report]",
    ]
    lines = page().splitlines()
    assert [r.line for r in result.records] == [
        next(i for i, line in enumerate(lines, 1) if line.startswith("### [Tracking")),
        next(i for i, line in enumerate(lines, 1) if line.startswith("### [Direct")),
        next(i for i, line in enumerate(lines, 1) if line.startswith("### [Gemini")),
    ]


def test_upvotes_before_the_title_comments_after_the_date_id_from_the_link() -> None:
    first, second, third = hf_markdown.read(page()).records
    assert (first.arxiv_id, first.upvotes, first.comments) == ("2306.05422", 101, 6)
    assert first.published == date(2023, 6, 8)
    assert (second.arxiv_id, second.upvotes, second.comments) == ("2305.18290", 58, 3)
    assert second.published == date(2023, 5, 29)
    assert (third.upvotes, third.comments) == (1204, None)
    assert third.published == date(2024, 1, 3)  # a December 2023 ID shown on "Jan 3"
    assert first.links.other == ("https://huggingface.co/papers/2306.05422",)


def test_abstracts_stay_with_their_paper() -> None:
    first, second, third = hf_markdown.read(page()).records
    assert first.abstract == (
        "We present a new test-time optimization method for estimating dense and long-range "
        "motion from a video sequence."
    )
    assert second.abstract.startswith("While large-scale unsupervised language models")
    assert third.abstract == ""  # the footer and the unreadable card are not its abstract


def test_a_paper_link_without_an_exact_title_is_reported() -> None:
    result = hf_markdown.read(page())
    (warning,) = result.warnings
    assert "2306.09999" in warning.message
    assert (
        warning.line == page().splitlines().index("](https://huggingface.co/papers/2306.09999)") + 1
    )


def test_bracket_paragraphs_never_merge_papers() -> None:
    text = "\n\n[\n\n".join(
        f"[{n}](https://huggingface.co/login?next=%2Fpapers%2F2306.0000{n})\n\n"
        f"### [Paper {n}](https://huggingface.co/papers/2306.0000{n})\n\n"
        f"Jun {n}\n\nAbstract number {n} says enough words to be taken as prose here."
        for n in range(1, 10)
    )
    result = read(text, "capture.md")
    assert [r.title for r in result.records] == [f"Paper {n}" for n in range(1, 10)]
    assert [r.upvotes for r in result.records] == list(range(1, 10))
    assert all(
        r.abstract == f"Abstract number {n} says enough words to be taken as prose here."
        for n, r in enumerate(result.records, 1)
    )


def test_cards_without_exact_titles_are_not_read_and_say_so() -> None:
    result = read((DATA / "hf_papers_cards_only.md").read_text(encoding="utf-8"), "cards.md")
    assert result.format == "hf-papers-markdown"
    assert result.records == ()
    (warning,) = result.warnings
    assert "reads exactly" in warning.message and "nothing was read" in warning.message


def test_front_matter_title_is_never_a_paper() -> None:
    text = '---\ntitle: "### [Fake](https://huggingface.co/papers/2306.05422)"\n---\n\nhello\n'
    assert hf_markdown.read(text).records == ()


def test_firecrawl_search_capture_link_wrapped_abstracts_and_hard_breaks() -> None:
    text = (DATA / "hf_search_firecrawl.md").read_text(encoding="utf-8")
    result = read(text, "search.md")
    assert result.warnings == ()
    first, second, third = result.records
    assert (first.arxiv_id, first.upvotes, first.comments) == ("2606.01234", 87, 4)
    assert first.published == date(2026, 5, 29)  # a June 2026 ID shown on "May 29"
    assert first.abstract.startswith("Language models invent references that look plausible.")
    assert "Université" not in first.abstract and "Oct 2" not in first.abstract
    assert second.title == "How Scholars Engage with Past Research: A Large-Scale Study"
    assert second.upvotes is None  # `[-]` is no count
    assert second.published == date(2025, 2, 27)
    assert second.abstract == (
        "Academic citations are widely used for evaluating research and tracing knowledge "
        "flows. In this study we introduce a pipeline that measures how faithfully citing "
        "papers report [12] the claims of the papers they cite."
    )
    assert (third.published, third.upvotes) == (date(2026, 8, 30), 12)


def test_html_to_text_capture_upvotes_after_the_title_and_wrapped_title() -> None:
    text = (DATA / "hf_trending_html2text.md").read_text(encoding="utf-8")
    result = read(text, "trending.md")
    assert result.warnings == ()
    kandinsky, paged = result.records
    assert kandinsky.title == (
        "Kandinsky 6.0 Video: Foundation Models for Synchronized Video and Audio Generation"
    )
    assert (kandinsky.upvotes, kandinsky.published) == (117, date(2026, 10, 4))
    assert kandinsky.abstract.startswith("We present Kandinsky 6.0 Video")
    assert paged.title == (
        "Efficient Memory Management for Large Language Model Serving with PagedAttention"
    )
    assert (
        paged.line
        == text.splitlines().index(
            "### [Efficient Memory Management for Large Language Model Serving with"
        )
        + 1
    )
    assert (paged.arxiv_id, paged.upvotes, paged.published) == ("2309.06180", 76, date(2023, 9, 12))
    assert paged.abstract.startswith("PagedAttention and the vLLM system")
    assert "akhaliq" not in kandinsky.abstract and "System theme" not in paged.abstract


def test_a_single_paper_page_authors_abstract_and_no_related_papers() -> None:
    text = (DATA / "hf_paper_page.md").read_text(encoding="utf-8")
    result = read(text, "Paper page - MetaMath.md")
    assert result.format == "hf-papers-markdown"
    assert result.warnings == ()
    (paper,) = result.records  # the recommended papers in the community section are not read
    assert paper.title == (
        "MetaMath: Bootstrap Your Own Mathematical Questions for Large Language Models"
    )
    assert paper.line == text.splitlines().index("arxiv:2309.12284") + 1
    assert paper.authors == (
        "Longhui Yu",
        "Weisen Jiang",
        "Yu Zhang",
        "James T. Kwok",
        "Adrian Weller",
        "Zoë Müller-Øberg",
    )
    assert (paper.published, paper.upvotes, paper.arxiv_id) == (date(2023, 9, 21), 19, "2309.12284")
    assert paper.abstract.startswith("Large language models (LLMs) have pushed the limits")
    assert paper.abstract.endswith("the models and the training code.")
    assert paper.links.pdf == "https://arxiv.org/pdf/2309.12284"


def test_paper_page_with_atx_title_and_checkbox_upvote_link() -> None:
    text = (
        "[Papers](https://huggingface.co/papers)\n\narxiv:2410.02675 \n\nCopy markdown\n\n"
        "# FAN: Fourier Analysis Networks\n\nPublished on Oct 3, 2024\n\n"
        "[- [x] Upvote 29](https://huggingface.co/login?next=%2Fpapers%2F2410.02675)\n\n"
        "Authors:\n\n[Yihong Dong](https://huggingface.co/x) ,\n\nGe Li\n\n## Abstract\n\n"
        "Periodicity is not modelled well by MLPs.\n\n"
        "[View arXiv page](https://arxiv.org/abs/2410.02675)\n"
    )
    (paper,) = read(text, "fan.md").records
    assert (paper.title, paper.authors) == (
        "FAN: Fourier Analysis Networks",
        ("Yihong Dong", "Ge Li"),
    )
    assert (paper.upvotes, paper.published) == (29, date(2024, 10, 3))
    assert paper.abstract == "Periodicity is not modelled well by MLPs."


def test_a_paper_shown_twice_is_one_record_completed_from_both() -> None:
    text = (
        "### [Twice Shown](https://huggingface.co/papers/2610.05608)\n\n"
        "Mixture-of-experts inference on consumer hardware is bounded by weight memory today.\n\n"
        "[Upvote\n\n25](https://huggingface.co/login?next=%2Fpapers%2F2610.05608)\n\n"
        "### [Twice Shown](https://huggingface.co/papers/2610.05608)\n\n"
        "[Org](https://huggingface.co/org) · Oct 4, 2026\n"
    )
    (paper,) = read(text, "trending.md").records
    assert (paper.line, paper.upvotes, paper.published) == (1, 25, date(2026, 10, 4))
    assert paper.abstract.startswith("Mixture-of-experts inference")
