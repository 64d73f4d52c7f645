"""Hugging Face daily-papers JSON (api/daily_papers): paper fields, upvotes and comment counts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from paperdeck.readers import hf_json, read

DATA = Path(__file__).parent / "data"


def papers() -> str:
    return (DATA / "hf_daily_papers.json").read_text(encoding="utf-8")


def test_papers_in_order_and_a_stray_item_as_a_warning() -> None:
    result = read(papers(), "daily_papers.json")
    assert result.format == "hf-daily-papers-json"
    assert [r.arxiv_id for r in result.records] == ["2306.05422", "2305.18290", "2306.01234"]
    assert [r.line for r in result.records] == [2, 24, 43]
    assert [w.line for w in result.warnings] == [56]


def test_first_paper_every_field() -> None:
    paper = hf_json.read(papers()).records[0]
    assert paper.title == "Tracking Everything Everywhere All at Once"
    assert paper.abstract == (
        "We present a new test-time optimization method for estimating dense and "
        "long-range motion from a video sequence."
    )
    assert paper.authors == ("Qianqian Wang", "Yen-Yu Chang", "Noah Snavely")
    assert paper.published == date(2023, 6, 8)  # the paper's date, not the day it was featured
    assert (paper.upvotes, paper.comments) == (101, 6)
    assert paper.links.other == (
        "https://huggingface.co/papers/2306.05422",
        "https://omnimotion.github.io/",
    )
    assert paper.links.pdf == "https://arxiv.org/pdf/2306.05422"


def test_non_ascii_and_zero_counts() -> None:
    paper = hf_json.read(papers()).records[2]
    assert paper.title == "Ünïcödé Everywhere"
    assert paper.authors == ("Zoë Ångström-Núñez",)
    assert (paper.upvotes, paper.comments) == (0, 0)


def test_bare_paper_object_as_the_papers_api_answers() -> None:
    text = (
        '{"id": "2305.18290", "title": "Direct Preference Optimization", "summary": "DPO.",'
        ' "authors": [{"name": "Rafael Rafailov"}], "publishedAt": "2023-05-29T17:57:46.000Z",'
        ' "upvotes": "many"}'
    )
    result = read(text)
    assert result.format == "hf-daily-papers-json"
    (paper,) = result.records
    assert (paper.arxiv_id, paper.authors, paper.upvotes) == (
        "2305.18290",
        ("Rafael Rafailov",),
        None,
    )
