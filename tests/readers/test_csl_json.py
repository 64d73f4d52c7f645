"""CSL JSON from Zotero / Better BibTeX: names, date-parts, DOI and arXiv IDs pinned."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from paperdeck.readers import csl_json, detect, read

DATA = Path(__file__).parent / "data"


def export() -> str:
    return (DATA / "zotero.json").read_text(encoding="utf-8")


def test_items_with_lines_and_the_untitled_note_as_a_warning() -> None:
    result = read(export(), "My Library.json")
    assert result.format == "csl-json"
    assert [r.line for r in result.records] == [2, 20, 38]
    assert [(w.line, "no title" in w.message) for w in result.warnings] == [(46, True)]


def test_zotero_arxiv_preprint() -> None:
    item = csl_json.read(export()).records[0]
    assert item.title == "Tracking Everything Everywhere All at Once"
    assert item.authors == ("Qianqian Wang", "Yen-Yu Chang", "Noah Snavely")
    assert (item.published, item.published_precision) == (date(2023, 6, 8), "day")
    assert item.arxiv_id == "2306.05422"
    assert item.doi == "10.48550/arxiv.2306.05422"
    assert item.links.abstract_page == "http://arxiv.org/abs/2306.05422"
    assert item.abstract.startswith("We present a new test-time optimization method")


def test_journal_article_names_particles_suffix_literal_and_string_date_parts() -> None:
    item = csl_json.read(export()).records[1]
    assert item.title == "On the Überlegenheit of Gradient Methods"
    assert item.authors == (
        "Jörg Müller",
        "José de la Cruz",
        "Martin Luther King, Jr.",
        "The Ångström Consortium",
    )
    assert (item.published, item.published_precision) == (date(2021, 3, 1), "month")
    assert item.doi == "10.5555/jmlr.2021.0042"
    assert item.journal_ref == "Journal of Machine Learning Research 22, 1-42"
    assert item.key == "mueller2021"
    assert item.arxiv_id is None


def test_raw_year_archive_location_and_family_first_cjk_name() -> None:
    item = csl_json.read(export()).records[2]
    assert (item.published, item.published_precision) == (date(2020, 1, 1), "year")
    assert (item.arxiv_id, item.arxiv_version) == ("2001.00042", 3)
    assert item.authors == ("周杰",)


def test_invalid_json_names_its_line() -> None:
    text = export().replace('"volume": "22",', '"volume": "22"')
    result = read(text, "zotero.json")
    assert result.records == ()
    assert result.warnings[0].line == text.splitlines().index('    "volume": "22"') + 2
    assert "not valid JSON" in result.warnings[0].message


def test_items_wrapper_object_is_read_too() -> None:
    text = '{"items": [{"type": "book", "title": "A Book", "issued": {"date-parts": [[1999]]}}]}'
    assert detect(text) == "csl-json"
    assert [r.title for r in read(text).records] == ["A Book"]
