"""Issue 12: an arXiv journal reference and how a listing email announced a paper (new,
cross-list, replacement) reach every face: `show`, `show --json` and the corpus cache."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from paperdeck.cli import main
from paperdeck.corpus import cache as cache_module
from paperdeck.corpus.corpus import Corpus

DATA = Path(__file__).resolve().parent / "readers" / "data"
NIPS = "Advances in Neural Information Processing Systems 30 (2017)"


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("PAPERDECK_CORPUS", raising=False)
    for name in ("arxiv_api.xml", "arxiv_listing.txt"):
        shutil.copy(DATA / name, tmp_path / name)
    return tmp_path


def show(corpus: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["show", *args, "--corpus", str(corpus)])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_show_json_has_journal_ref_and_listing(corpus: Path) -> None:
    attention = json.loads(show(corpus, "attention-is-all-you-need-7b6ba60c", "--json"))
    assert attention["journal_ref"] == NIPS  # the Atom text, its line break collapsed
    assert attention["listing"] is None  # the Atom feed is no listing
    cross = json.loads(show(corpus, "diffusion-models-for-protein", "--json"))
    assert cross["listing"] == "cross-list" and cross["journal_ref"] is None
    replaced = json.loads(show(corpus, "a-survey-of-large-language", "--json"))
    assert replaced["listing"] == "replacement"
    colt = json.loads(show(corpus, "on-the-convergence-of-stochastic", "--json"))
    assert colt["journal_ref"] == "Proceedings of COLT 2023, PMLR 195"
    assert colt["listing"] == "new"


def test_merged_copies_keep_the_listing_of_the_copy_that_has_one(corpus: Path) -> None:
    # Listed in the Atom feed (no listing kind) and in the email (a new submission).
    tracking = json.loads(show(corpus, "tracking-everything-everywhere", "--json"))
    assert len(tracking["sources"]) == 2
    assert tracking["listing"] == "new"


def test_show_prints_journal_and_listing(corpus: Path) -> None:
    out = show(corpus, "attention-is-all-you-need-7b6ba60c")
    assert re.search(rf"^journal +{re.escape(NIPS)}$", out, re.MULTILINE)
    assert "listed as" not in out
    assert "listed as  cross-list" in show(corpus, "diffusion-models-for-protein")
    assert "listed as  replacement" in show(corpus, "a-survey-of-large-language")


def test_cache_round_trips_journal_ref_and_listing(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache_module, "RACY_SECONDS", 0.0)  # files written just now count too
    fresh = Corpus.load(corpus, use_cache=False)
    assert {p.listing for p in fresh.papers} == {None, "new", "cross-list", "replacement"}
    Corpus.load(corpus)  # writes the cache
    cached = Corpus.load(corpus)
    assert cached._store is not None  # read from the cache's rows, not the files
    assert cached.papers == fresh.papers
    by_arxiv = {p.arxiv_id: p for p in cached.papers}
    assert by_arxiv["1706.03762"].journal_ref == NIPS
    assert by_arxiv["2306.04999"].listing == "cross-list"
