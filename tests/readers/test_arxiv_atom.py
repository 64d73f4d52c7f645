"""arXiv API Atom responses: entries pinned field by field, errors and broken files as warnings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from paperdeck.readers import arxiv_atom, read
from paperdeck.readers.record import Links

DATA = Path(__file__).parent / "data"


def feed() -> str:
    return (DATA / "arxiv_api.xml").read_text(encoding="utf-8")


def test_entries_are_read_in_order_with_every_field() -> None:
    result = arxiv_atom.read(feed())
    assert result.warnings == ()
    assert [r.arxiv_id for r in result.records] == [
        "2306.05422",
        "1706.03762",
        "hep-th/9901001",
        "2401.01234",
    ]
    first = result.records[0]
    assert first.title == "Tracking Everything Everywhere All at Once"
    assert first.abstract.startswith("We present a new test-time optimization method")
    assert "dense and long-range motion" in first.abstract  # the line wrap became one space
    assert first.authors == ("Qianqian Wang", "Yen-Yu Chang", "Zhengqi Li", "Noah Snavely")
    assert first.arxiv_version == 2
    assert first.published == date(2023, 6, 8)
    assert first.updated == date(2023, 9, 12)
    assert first.categories == ("cs.CV", "cs.GR")
    assert first.primary_category == "cs.CV"
    assert first.doi is None and first.journal_ref is None
    assert first.links == Links(
        pdf="http://arxiv.org/pdf/2306.05422v2",
        abstract_page="http://arxiv.org/abs/2306.05422v2",
    )
    assert first.line == 10
    assert first.format == "arxiv-atom"


def test_multiline_title_doi_journal_ref_and_non_ascii_author() -> None:
    attention = arxiv_atom.read(feed()).records[1]
    assert attention.title == "Attention Is All You Need"
    assert attention.authors[1] == "Łukasz Kaiser"
    assert attention.arxiv_version == 7
    assert attention.doi == "10.48550/arxiv.1706.03762"
    assert attention.journal_ref == "Advances in Neural Information Processing Systems 30 (2017)"
    assert attention.links.other == ("http://dx.doi.org/10.48550/arXiv.1706.03762",)
    assert attention.published == date(2017, 6, 12)


def test_old_style_identifier_and_affiliation_is_not_a_name() -> None:
    old = arxiv_atom.read(feed()).records[2]
    assert (old.arxiv_id, old.arxiv_version) == ("hep-th/9901001", 1)
    assert old.authors == ("Jürgen Müller-Lüdenscheidt", "Søren Ødegård")
    assert old.doi == "10.1016/s0550-3213(99)00123-4"
    assert old.categories == ("hep-th", "hep-lat")


def test_two_papers_with_one_title_keep_their_own_ids() -> None:
    records = arxiv_atom.read(feed()).records
    same = [r for r in records if r.title == "Attention Is All You Need"]
    assert [r.arxiv_id for r in same] == ["1706.03762", "2401.01234"]
    assert same[1].authors == ("周杰",)


def test_api_error_entry_is_a_warning_not_a_paper() -> None:
    result = read((DATA / "arxiv_api_error.xml").read_text(encoding="utf-8"))
    assert result.format == "arxiv-atom"
    assert result.records == ()
    assert len(result.warnings) == 1
    assert "incorrect id format for 1234.12345" in result.warnings[0].message
    assert result.warnings[0].line == 10


def test_a_broken_entry_is_skipped_and_the_others_are_read() -> None:
    text = feed().replace("<name>Ashish Vaswani</name>", "<name>Ashish Vaswani</nam>")
    result = arxiv_atom.read(text)
    assert [r.arxiv_id for r in result.records] == ["2306.05422", "hep-th/9901001", "2401.01234"]
    assert len(result.warnings) == 1
    warning = result.warnings[0]
    lines = text.splitlines()
    assert warning.line == next(i for i, x in enumerate(lines, 1) if "Vaswani</nam>" in x)
    assert "skipped" in warning.message


def test_truncated_download_keeps_the_complete_entries() -> None:
    text = feed()
    cut = text[: text.index("<title>Renormalisation")]
    result = arxiv_atom.read(cut)
    assert [r.arxiv_id for r in result.records] == ["2306.05422", "1706.03762"]


def test_entity_declarations_are_refused() -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>&b;</title></entry></feed>'
    )
    result = read(bomb)
    assert result.format == "arxiv-atom"
    assert result.records == ()
    assert "DTD" in result.warnings[0].message


def test_prefixed_atom_namespace_as_some_tools_save_it() -> None:
    text = """<?xml version="1.0" encoding="utf-8"?>
<atom:feed xmlns:atom="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
  <atom:entry>
    <atom:id>http://arxiv.org/abs/math.GT/0309136v3</atom:id>
    <atom:published>2003-09-08T20:06:54Z</atom:published>
    <atom:title>Knots and Surfaces</atom:title>
    <atom:summary>A summary.</atom:summary>
    <atom:author><atom:name>Élodie Dupré</atom:name></atom:author>
    <arxiv:primary_category term="math.GT"/>
  </atom:entry>
</atom:feed>
"""
    result = read(text, "query.atom")
    assert result.format == "arxiv-atom"
    (entry,) = result.records
    assert (entry.arxiv_id, entry.arxiv_version) == ("math.GT/0309136", 3)
    assert entry.authors == ("Élodie Dupré",)
    assert entry.primary_category == "math.GT"
    assert entry.line == 3
