"""A year-only or month-only date (BibTeX `year = 2020`, CSL `date-parts: [[2020, 3]]`) is kept
as given: shown, exported and sorted as `2020`, and a `date:` filter matches it only when all of
it is inside the range (as for a date without a year, we cannot tell otherwise)."""

from __future__ import annotations

import calendar
import datetime
import json
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paperdeck.corpus.paper import PaperDate
from paperdeck.export import bibtex_entry
from paperdeck.library import Library
from paperdeck.search.ranges import parse_date_range, partial_date_ranges
from paperdeck.search.schema import date_value

BIB = """\
@article{year2020,
  title = {Only The Year},
  author = {Doe, Jane},
  year = {2020},
}

@article{march2020,
  title = {Year And Month},
  year = {2020},
  month = {mar},
}

@online{ides2020,
  title = {A Whole Date},
  date = {2020-03-15},
}

@article{april2020,
  title = {Biblatex Month},
  date = {2020-04},
}
"""

CSL = {
    "items": [
        {"type": "article", "title": "CSL Year Alone", "issued": {"date-parts": [[2019]]}},
        {"type": "article", "title": "CSL Year And Month", "issued": {"date-parts": [[2021, 12]]}},
    ]
}


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    root = tmp_path_factory.mktemp("partial")
    (root / "refs.bib").write_text(BIB, encoding="utf-8")
    (root / "zotero.json").write_text(json.dumps(CSL), encoding="utf-8")
    library = Library.open(root, with_index=True)
    assert not library.problems(), library.problems()
    yield library
    library.close()


def _titles(library: Library, query: str, **options: object) -> list[str]:
    titles = {p.id: p.title for p in library.papers}
    hits = library.search(query, limit=None, **options).hits  # type: ignore[arg-type]
    return [titles[hit.paper_id] for hit in hits]


def test_the_readers_dates_are_kept_as_precise_as_given(library: Library) -> None:
    dates = {p.title: p.date for p in library.papers}
    assert dates == {
        "Only The Year": PaperDate(2020, 0, 0),
        "Year And Month": PaperDate(2020, 3, 0),
        "A Whole Date": PaperDate(2020, 3, 15),
        "Biblatex Month": PaperDate(2020, 4, 0),
        "CSL Year Alone": PaperDate(2019, 0, 0),
        "CSL Year And Month": PaperDate(2021, 12, 0),
    }
    shown = {title: date.display() for title, date in dates.items() if date}
    assert shown["Only The Year"] == "2020"
    assert shown["Year And Month"] == "Mar 2020"
    assert shown["A Whole Date"] == "Mar 15, 2020"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("date:2020", {"Only The Year", "Year And Month", "A Whole Date", "Biblatex Month"}),
        ("date:2020-03", {"Year And Month", "A Whole Date"}),
        ("date:2020-03-15", {"A Whole Date"}),
        ("date:2019..2020", {"CSL Year Alone", "Only The Year", "Year And Month", "A Whole Date",
                             "Biblatex Month"}),
        ("date:<=2020-03", {"CSL Year Alone", "Year And Month", "A Whole Date"}),
        ("date:<2020", {"CSL Year Alone"}),
        ("date:>2020-03", {"Biblatex Month", "CSL Year And Month"}),
        ("date:>=2020-03", {"Year And Month", "A Whole Date", "Biblatex Month",
                            "CSL Year And Month"}),
        ("date:..2020-04-30", {"CSL Year Alone", "Year And Month", "A Whole Date",
                               "Biblatex Month"}),
        ("date:2021", {"CSL Year And Month"}),
        ("date:unknown", set()),
    ],
)  # fmt: skip
def test_a_filter_matches_a_partial_date_only_when_all_of_it_is_inside(
    library: Library, query: str, expected: set[str]
) -> None:
    assert set(_titles(library, query)) == expected


def test_newest_first_puts_a_year_alone_after_its_months_and_days(library: Library) -> None:
    assert _titles(library, "", sort="date") == [
        "CSL Year And Month",
        "Biblatex Month",
        "A Whole Date",
        "Year And Month",
        "Only The Year",
        "CSL Year Alone",
    ]


def test_bibtex_export_writes_what_is_known_and_no_invented_month(library: Library) -> None:
    papers = {p.title: p for p in library.papers}
    year_only = bibtex_entry(papers["Only The Year"])
    assert "year = 2020" in year_only.replace("{", "").replace("}", "")
    assert "month" not in year_only
    assert "month = mar" in bibtex_entry(papers["Year And Month"])


def test_json_export_gives_reduced_precision_iso_dates(library: Library) -> None:
    dates = {p.title: p.to_dict()["date"] for p in library.papers}
    assert dates["Only The Year"] == "2020"
    assert dates["Year And Month"] == "2020-03"
    assert dates["A Whole Date"] == "2020-03-15"


_DATES = st.one_of(
    st.builds(PaperDate, st.integers(1, 9999), st.just(0), st.just(0)),
    st.builds(PaperDate, st.integers(1, 9999), st.integers(1, 12), st.just(0)),
    st.dates().map(lambda d: PaperDate(d.year, d.month, d.day)),
    st.dates(min_value=datetime.date(2000, 1, 1)).map(lambda d: PaperDate(None, d.month, d.day)),
)


@given(_DATES)
def test_iso_round_trips(date: PaperDate) -> None:
    assert PaperDate.from_iso(date.iso()) == date


def _span(date: PaperDate) -> tuple[int, int]:
    """The first and last day a date may be, as yyyymmdd."""
    assert date.year is not None
    first_month, last_month = (date.month, date.month) if date.month else (1, 12)
    last_day = date.day or calendar.monthrange(date.year, last_month)[1]
    return (
        date.year * 10000 + first_month * 100 + (date.day or 1),
        date.year * 10000 + last_month * 100 + last_day,
    )


def _bound(year: int, month: int | None, day: int | None) -> str:
    parts = [f"{year:04d}", f"{month:02d}" if month else "", f"{day:02d}" if month and day else ""]
    return "-".join(part for part in parts if part)


_YEARS = st.integers(2018, 2022)
_BOUNDS = st.builds(_bound, _YEARS, st.none() | st.integers(1, 12), st.none() | st.integers(1, 28))
_QUERIES = st.one_of(
    _BOUNDS,
    st.tuples(st.sampled_from([">", ">=", "<", "<="]), _BOUNDS).map("".join),
    st.tuples(_BOUNDS | st.just(""), _BOUNDS | st.just("")).filter(any).map("..".join),
)
_KNOWN = st.one_of(
    st.builds(PaperDate, _YEARS, st.just(0), st.just(0)),
    st.builds(PaperDate, _YEARS, st.integers(1, 12), st.just(0)),
    st.builds(PaperDate, _YEARS, st.integers(1, 12), st.integers(1, 28)),
)


@given(_KNOWN, _QUERIES)
def test_the_ranges_match_a_date_exactly_when_its_whole_span_is_inside(
    date: PaperDate, query: str
) -> None:
    bounds = parse_date_range(query)
    assert bounds is not None and bounds[0] is not None and bounds[1] is not None, query
    low, high = bounds
    first, last = _span(date)
    value = date_value(date)
    matched = any(start <= value <= end for start, end in partial_date_ranges(low, high))
    assert matched == (low <= first and last <= high), (query, date, low, high)


def test_year_zero_is_not_a_date(library: Library) -> None:
    assert parse_date_range("0000..2020") is None and parse_date_range("0000") is None
    assert "not understood" in (library.search("date:0000..2020").error or "")
