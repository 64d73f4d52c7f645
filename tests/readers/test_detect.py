"""Formats are recognised from content; the file name only breaks ties; unknown input is a
warning, never an exception."""

from __future__ import annotations

from pathlib import Path

import pytest

from paperdeck.readers import FORMATS, detect, read

DATA = Path(__file__).parent / "data"
EXPECTED = {
    "arxiv_api.xml": "arxiv-atom",
    "arxiv_api_error.xml": "arxiv-atom",
    "arxiv_listing.txt": "arxiv-email",
    "refs.bib": "bibtex",
    "zotero.json": "csl-json",
    "hf_daily_papers.json": "hf-daily-papers-json",
    "hf_papers_page.md": "hf-papers-markdown",
    "hf_papers_cards_only.md": "hf-papers-markdown",
    "hf_search_firecrawl.md": "hf-papers-markdown",
    "hf_trending_html2text.md": "hf-papers-markdown",
    "hf_paper_page.md": "hf-papers-markdown",
}


@pytest.mark.parametrize(("name", "expected"), sorted(EXPECTED.items()))
def test_content_decides_whatever_the_file_is_called(name: str, expected: str) -> None:
    text = (DATA / name).read_text(encoding="utf-8")
    assert detect(text, name) == expected
    assert detect(text, "download") == expected
    assert detect(text, "misnamed.bib" if expected != "bibtex" else "misnamed.md") == expected
    assert read(text, "download").format == expected


def test_every_format_has_a_data_file() -> None:
    assert set(EXPECTED.values()) == set(FORMATS)


def test_extension_breaks_a_tie() -> None:
    # An email that quotes a BibTeX entry matches both; the name says which was meant.
    email = (DATA / "arxiv_listing.txt").read_text(encoding="utf-8")
    both = email + "\n@misc{x, title = {Quoted}}\n"
    assert detect(both, "digest.txt") == "arxiv-email"
    assert detect(both, "refs.bib") == "bibtex"


@pytest.mark.parametrize(
    "text",
    ["", "   \n\n", "just some notes\nabout papers\n", '{"a": 1}', "<html><body/></html>"],
)
def test_unrecognised_input_is_one_plain_warning(text: str) -> None:
    assert detect(text, "notes.txt") is None
    result = read(text, "notes.txt")
    assert result.format is None and result.records == ()
    (warning,) = result.warnings
    assert warning.line == 1 and warning.message


def test_broken_json_that_is_nothing_else_reports_the_json_error_line() -> None:
    result = read('[\n  {"title": "x",\n  "type": }\n]\n', "export.json")
    assert result.format is None
    (warning,) = result.warnings
    assert warning.line == 3 and "not valid JSON" in warning.message


def test_markdown_starting_with_a_bracket_is_not_taken_for_json() -> None:
    text = (
        "[12](https://huggingface.co/login?next=%2Fpapers%2F2306.05422)\n\n"
        "### [Tracking Everything](https://huggingface.co/papers/2306.05422)\n"
    )
    result = read(text)
    assert result.format == "hf-papers-markdown"
    assert [(r.title, r.upvotes) for r in result.records] == [("Tracking Everything", 12)]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_windows_line_endings_read_the_same(name: str) -> None:
    text = (DATA / name).read_text(encoding="utf-8")
    unix, windows = read(text, name), read(text.replace("\n", "\r\n"), name)
    assert windows.format == unix.format
    assert [(r.line, r.title, r.authors, r.abstract) for r in windows.records] == [
        (r.line, r.title, r.authors, r.abstract) for r in unix.records
    ]
    assert [w.line for w in windows.warnings] == [w.line for w in unix.warnings]
