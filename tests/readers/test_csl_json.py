"""CSL JSON from Zotero / Better BibTeX: names, date-parts, DOI and arXiv IDs pinned."""

from __future__ import annotations

import json
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


def test_date_parts_that_are_not_real_keep_what_is_and_say_so() -> None:
    """CSL JSON `date-parts` are [year, month, day]; months 13-16 (and EDTF's 21-24) are
    seasons, which keep the year without a warning."""
    items = [
        {"id": "m0", "title": "Month zero", "issued": {"date-parts": [[2021, 0, 15]]}},
        {"id": "m13", "title": "Spring", "issued": {"date-parts": [[2021, 13]]}},
        {"id": "m30", "title": "Month thirty", "issued": {"date-parts": [[2021, 30]]}},
        {"id": "d31", "title": "April 31", "issued": {"date-parts": [["2021", "4", "31"]]}},
        {"id": "raw", "title": "Raw", "issued": {"date-parts": [[2021, 99]], "raw": "2021-05-02"}},
        {"id": "ok", "title": "Fine", "issued": {"date-parts": [[2021, 6, 8]]}},
    ]  # fmt: skip
    text = "[\n" + ",\n".join(json.dumps(item) for item in items) + "\n]\n"
    result = csl_json.read(text)
    dates = {r.key: (r.published, r.published_precision) for r in result.records}
    assert dates == {
        "m0": (date(2021, 1, 1), "year"),  # was January 15th
        "m13": (date(2021, 1, 1), "year"),
        "m30": (date(2021, 1, 1), "year"),
        "d31": (date(2021, 4, 1), "month"),
        "raw": (date(2021, 5, 2), "day"),
        "ok": (date(2021, 6, 8), "day"),
    }
    said = {w.line: w.message for w in result.warnings}
    assert sorted(said) == [2, 4, 5]  # the item's line
    assert "issued [2021, 0, 15]: there is no month 0" in said[2]
    assert "there is no month 30, so only the year 2021 was kept" in said[4]
    assert "no day 31 in April 2021, so only April 2021 was kept" in said[5]


def test_a_raw_date_that_is_not_real_keeps_what_is_and_says_so() -> None:
    items = [
        {"id": "raw", "title": "Raw", "issued": {"raw": "2021-02-30"}},
        {"id": "big", "title": "Big", "issued": {"date-parts": [["9" * 100_000]]}},
    ]
    result = csl_json.read("[\n" + ",\n".join(json.dumps(item) for item in items) + "\n]\n")
    dates = {r.key: (r.published, r.published_precision) for r in result.records}
    assert dates == {"raw": (date(2021, 2, 1), "month"), "big": (None, None)}
    said = {w.line: w.message for w in result.warnings}
    assert 'issued raw "2021-02-30": there is no day 30 in February 2021' in said[2]
    assert len(said[3]) < 300
