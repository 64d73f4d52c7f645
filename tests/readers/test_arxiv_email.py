"""arXiv listing emails: every entry, marked new / cross-list / replacement, TeX names decoded."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from paperdeck.readers import EntryKind, arxiv_email, detect
from paperdeck.readers.arxiv_email import split_authors

DATA = Path(__file__).parent / "data"


def listing() -> str:
    return (DATA / "arxiv_listing.txt").read_text(encoding="utf-8")


def test_every_entry_with_its_kind() -> None:
    result = arxiv_email.read(listing())
    assert result.warnings == ()
    assert [(r.arxiv_id, r.entry_kind) for r in result.records] == [
        ("2306.05422", EntryKind.NEW),
        ("2306.05423", EntryKind.NEW),
        ("2306.04999", EntryKind.CROSS_LIST),
        ("2211.01234", EntryKind.REPLACEMENT),
        ("2305.00001", EntryKind.REPLACEMENT),
    ]


def test_new_submission_fields() -> None:
    first = arxiv_email.read(listing()).records[0]
    assert first.title == "Tracking Everything Everywhere All at Once"
    assert first.authors == (
        "Qianqian Wang",
        "Yen-Yu Chang",
        "Ruojin Cai",
        "Zhengqi Li",
        "Bharath Hariharan",
        "Aleksander Holynski",
        "Noah Snavely",
    )
    assert first.published == date(2023, 6, 8)
    assert first.categories == ("cs.CV",)
    assert first.links.abstract_page == "https://arxiv.org/abs/2306.05422"
    assert first.abstract.startswith("We present a new test-time optimization method for")
    assert first.abstract.endswith("operate within limited temporal windows.")
    assert first.line == listing().splitlines().index("arXiv:2306.05422") + 1


def test_wrapped_title_tex_accents_affiliations_doi_and_journal() -> None:
    second = arxiv_email.read(listing()).records[1]
    assert second.title == (
        "On the Convergence of Stochastic Gradient Descent for Very Wide Networks "
        "with Heavy-Tailed Noise"
    )
    assert second.authors == ("Jörg Müller", "François Lefèvre", "Zoé García")
    assert second.doi == "10.1234/colt.2023.5423"
    assert second.journal_ref == "Proceedings of COLT 2023, PMLR 195"
    assert second.categories == ("cs.LG", "math.OC", "stat.ML")
    assert second.primary_category == "cs.LG"
    assert "$n \\to \\infty$" in second.abstract  # math is kept as written


def test_replacement_has_a_revision_date_and_no_abstract() -> None:
    replaced = arxiv_email.read(listing()).records[3]
    assert replaced.title == "A Survey of Large Language Model Alignment"
    assert replaced.authors == ("Wei Zhang", "李明", "Ana Pérez")
    assert replaced.updated == date(2023, 6, 8)
    assert replaced.published is None
    assert replaced.abstract == ""


def test_cross_listed_replacement_is_a_replacement() -> None:
    last = arxiv_email.read(listing()).records[4]
    assert last.entry_kind is EntryKind.REPLACEMENT
    assert last.links.abstract_page == "https://arxiv.org/abs/2305.00001"


def test_the_digest_is_recognised_even_named_like_mail() -> None:
    assert detect(listing(), "Fwd: cs daily Subj-class mailing.eml") == "arxiv-email"
    assert detect(listing()) == "arxiv-email"


def test_entry_without_title_is_a_warning() -> None:
    text = "\\\\\narXiv:2306.00001\nDate: Thu, 8 Jun 2023 17:59:29 GMT   (1kb)\n\n\\\\\n"
    result = arxiv_email.read(text)
    assert result.records == ()
    assert result.warnings[0].line == 2
    assert "Title:" in result.warnings[0].message


def test_author_lists() -> None:
    assert split_authors("A. Smith, B. Jones, and C. White") == ("A. Smith", "B. Jones", "C. White")
    assert split_authors("Ana (Univ. of X, Spain) and Bo (MIT)") == ("Ana", "Bo")
    assert split_authors("The ATLAS Collaboration") == ("The ATLAS Collaboration",)


def test_revised_date_line_gives_version_and_update() -> None:
    text = (
        "\\\\\narXiv:2306.05000\nDate: Mon, 5 Jun 2023 10:00:00 GMT   (100kb)\n"
        "Date (revised v2): Thu, 8 Jun 2023 09:30:00 GMT   (120kb)\n\n"
        "Title: A Paper Revised the Same Week\nAuthors: Ada Lovelace\nCategories: cs.LG\n"
        "\\\\\n  Abstract.\n\\\\ ( https://arxiv.org/abs/2306.05000 ,  120kb)\n"
    )
    (entry,) = arxiv_email.read(text).records
    assert (entry.arxiv_version, entry.published, entry.updated) == (
        2,
        date(2023, 6, 5),
        date(2023, 6, 8),
    )
    assert entry.entry_kind is EntryKind.NEW


def test_older_paper_form_and_figures_added_replacement() -> None:
    text = (
        "\\\\\nPaper: hep-th/9901001\nFrom: Someone <someone@example.org>\n"
        "Date: Fri, 1 Jan 1999 03:08:42 GMT   (20kb)\n\n"
        'Title: Renormalisation on the Lattice\nAuthors: J\\"urgen M\\"uller\n'
        "Comments: 12 pages,\n  figures added as an appendix\n\\\\\n  We study the lattice.\n\\\\\n"
        "------------------------------------------------------------------------------\n"
        "\\\\\nPaper (*cross-listing*): hep-lat/9901002\nDate: Sat, 2 Jan 1999 10:00:00 GMT\n\n"
        "Title: A Cross-List\nAuthors: Ana Pérez\n\\\\\n  Abstract.\n\\\\\n"
        "%%--%%--%%--%%--%%--%%--%%--%%--%%--%%--%%--%%--%%--%%--%%--%%--%%--%%--%%--%%\n"
        "\\\\\narXiv:2101.00001\nfigures added Mon, 4 Jan 2021 12:00:00 GMT   (80kb)\n\n"
        "Title: With Figures\nAuthors: Bo Li\n\\\\ ( https://arxiv.org/abs/2101.00001 ,  80kb)\n"
    )
    assert detect(text) == "arxiv-email"
    old, cross, figures = arxiv_email.read(text).records
    assert (old.arxiv_id, old.entry_kind, old.authors) == (
        "hep-th/9901001",
        EntryKind.NEW,
        ("Jürgen Müller",),
    )
    assert old.published == date(1999, 1, 1)
    assert old.updated is None  # "figures added" inside Comments is not a replacement
    assert (cross.arxiv_id, cross.entry_kind) == ("hep-lat/9901002", EntryKind.CROSS_LIST)
    assert (figures.entry_kind, figures.updated) == (EntryKind.REPLACEMENT, date(2021, 1, 4))
