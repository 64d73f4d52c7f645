"""BibTeX / biblatex: macros, `#`, TeX accents, months, eprints, and broken entries as warnings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from paperdeck.readers import bibtex, read
from paperdeck.readers.bibtex import evaluate

DATA = Path(__file__).parent / "data"


def library() -> str:
    return (DATA / "refs.bib").read_text(encoding="utf-8")


def by_key() -> dict[str, object]:
    return {r.key: r for r in bibtex.read(library()).records}


def test_entries_in_file_order_and_the_broken_one_as_a_warning() -> None:
    result = bibtex.read(library())
    assert [r.key for r in result.records] == [
        "vaswani2017attention",
        "mueller2021",
        "wang2023tracking",
        "mendeley2019",
    ]
    assert len(result.warnings) == 1
    warning = result.warnings[0]
    assert warning.line == library().splitlines().index("@article{broken2020,") + 1
    assert "broken2020" in warning.message and "close its braces" in warning.message


def test_string_macros_concatenation_month_macro_eprint_and_others() -> None:
    entry = by_key()["vaswani2017attention"]
    assert entry.title == "Attention is All you Need"
    assert entry.authors == ("Ashish Vaswani", "Noam Shazeer", "Niki Parmar", "Łukasz Kaiser")
    assert entry.journal_ref == "Advances in Neural Information Processing Systems 30"
    assert (entry.published, entry.published_precision) == (date(2017, 12, 1), "month")
    assert (entry.arxiv_id, entry.arxiv_version) == ("1706.03762", None)
    assert entry.primary_category == "cs.CL"
    assert entry.doi == "10.48550/arxiv.1706.03762"
    assert entry.line == library().splitlines().index("@inproceedings{vaswani2017attention,") + 1


def test_tex_accents_braces_particles_month_name_and_doi_url() -> None:
    entry = by_key()["mueller2021"]
    assert entry.title == "On the Überlegenheit of Gradient Methods"
    assert entry.authors == ("Jörg Müller", "Zoé García", "Hans Straße", "José de la Cruz")
    assert (entry.published, entry.published_precision) == (date(2021, 3, 1), "month")
    assert entry.doi == "10.5555/jmlr.2021.0042"
    assert entry.links.abstract_page == "https://jmlr.org/papers/v22/mueller21a.html"
    assert entry.journal_ref == "Journal of Machine Learning Research 22"


def test_arxiv_export_with_version_and_year_only_date() -> None:
    entry = by_key()["wang2023tracking"]
    assert (entry.arxiv_id, entry.arxiv_version) == ("2306.05422", 2)
    assert (entry.published, entry.published_precision) == (date(2023, 1, 1), "year")
    assert entry.authors == ("Qianqian Wang", "Yen-Yu Chang", "Noah Snavely")


def test_mendeley_arxivid_biblatex_date_and_wrapped_abstract() -> None:
    entry = by_key()["mendeley2019"]
    assert entry.arxiv_id == "1912.00001"
    assert (entry.published, entry.published_precision) == (date(2019, 12, 1), "day")
    assert entry.abstract == "We revisit residual networks. The abstract is wrapped over lines."
    assert entry.authors == ("Kaiming Hé",)


def test_value_evaluation_follows_bibtex_rules() -> None:
    macros = {"jan": "1", "conf": "Proc. of X"}
    assert evaluate('conf # " 2020"', macros) == "Proc. of X 2020"
    assert evaluate('{A {B} C} # "D"', macros) == "A {B} CD"
    assert evaluate("jan", macros) == "1"
    assert evaluate("2021", macros) == "2021"
    assert evaluate('"quoted {with "inner" braces}"', macros) == 'quoted {with "inner" braces}'


def test_duplicate_key_is_a_warning_and_nothing_goes_to_stderr(capsys) -> None:
    text = "@misc{same, title={One}}\n@misc{same, title={Two}}\n@misc{bad, title={x}\n"
    result = read(text, "dup.bib")
    assert [r.title for r in result.records] == ["One"]
    assert any("repeats an entry key" in w.message and w.line == 2 for w in result.warnings)
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""


def test_entry_without_title_or_identifier_is_a_warning() -> None:
    result = bibtex.read("@misc{empty, note = {nothing to see}}\n")
    assert result.records == ()
    assert result.warnings[0].line == 1 and "empty" in result.warnings[0].message


BAD_DATES = """\
@article{month13,
  title = {A Month That Is Not One},
  year = {2021},
  month = {13},
}

@article{summer,
  title = {A Season for a Month},
  year = 2022,
  month = {Summer},
}

@article{typo,
  title = {A Letter for a Digit},
  year = {2O21},
}

@article{leapless,
  title = {No Such Day},
  date = {2021-02-29},
}

@article{fine,
  title = {A Real Date},
  year = {2020},
  month = feb,
}
"""


def test_a_date_part_that_is_not_real_is_dropped_with_a_warning_the_rest_kept() -> None:
    """BibTeX months are jan..dec or 1..12; biblatex dates are ISO 8601 (YYYY-MM-DD)."""
    result = bibtex.read(BAD_DATES)
    dates = {r.key: (r.published, r.published_precision) for r in result.records}
    assert dates == {
        "month13": (date(2021, 1, 1), "year"),
        "summer": (date(2022, 1, 1), "year"),
        "typo": (None, None),
        "leapless": (date(2021, 2, 1), "month"),
        "fine": (date(2020, 2, 1), "month"),
    }
    said = {w.line: w.message for w in result.warnings}
    assert sorted(said) == [1, 7, 13, 18]  # every entry but the real date, at its first line
    assert "month = {13}" in said[1] and "only the year 2021 was kept" in said[1]
    assert "month = {Summer}" in said[7] and "2022" in said[7]
    assert "year = {2O21} is not a date" in said[13]
    assert "no day 29 in February 2021" in said[18]
    assert all("correct the date in the file" in message for message in said.values())


def test_a_year_said_to_be_unknown_on_purpose_is_no_warning() -> None:
    text = "".join(
        f"@article{{k{n},\n  title = {{Paper {n}}},\n  year = {{{year}}},\n}}\n\n"
        for n, year in enumerate(["forthcoming", "In press", "to appear", "n.d."])
    )
    result = bibtex.read(text)
    assert len(result.records) == 4 and not result.warnings
    assert all(record.published is None for record in result.records)


def test_dates_as_bibliographies_write_them_are_read_quietly() -> None:
    """biblatex seasons (EDTF 21-24), a day added to a month macro (`jul # "~4,"`), and a
    year said on purpose to be unknown, in braces too."""
    text = """\
@article{season, title = {Season}, date = {2021-21}}
@article{macro, title = {Macro day}, year = 2020, month = jul # "~4,"}
@article{braced, title = {Braced}, year = {{n.d.}}}
@article{nodate, title = {No date}, year = {no date}}
@article{summer, title = {Summer}, year = 2022, month = {Summer}}
"""
    result = bibtex.read(text)
    dates = {r.key: (r.published, r.published_precision) for r in result.records}
    assert dates["season"] == (date(2021, 1, 1), "year")
    assert dates["macro"] == (date(2020, 7, 1), "month")
    assert dates["braced"] == dates["nodate"] == (None, None)
    [warning] = result.warnings
    assert warning.line == 5 and "there is no month Summer" in warning.message  # as written


def test_a_huge_date_value_makes_a_short_message() -> None:
    text = "@article{big, title = {Big}, year = 2020, month = {" + "x" * 100_000 + "}}\n"
    [warning] = bibtex.read(text).warnings
    assert len(warning.message) < 300
