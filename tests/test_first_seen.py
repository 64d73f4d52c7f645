"""First appearance: recorded once per paper (the file's time on the first run, the load's time
later), the New/day/source views, and the `added:`/`source:` query fields in the core and CLI."""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from paperdeck.cli import main
from paperdeck.library import Library
from paperdeck.notes.drafts import STATE_DIR_ENV
from paperdeck.search import paper_set
from paperdeck.search.index import SearchIndex
from paperdeck.search.query import parse
from paperdeck.search.syntax import Filter

ABSTRACT = (
    "Graph transformers that {word} attend over every node pair need memory quadratic in the "
    "number of nodes; we show a sparse variant that keeps accuracy on molecule benchmarks."
)


def page(title: str, word: str = "fully") -> str:
    text = ABSTRACT.format(word=word)
    return f"new\n\nJul 9\n\n{title}\n\n{text}\n\n  • 2 authors\n·\nMar 3, 2024 7\n"


@pytest.fixture(autouse=True)
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(STATE_DIR_ENV, str(tmp_path / "state"))
    return tmp_path / "state"


def _age(corpus: Path, days: float) -> float:
    """Set every file of the corpus `days` old; that time."""
    when = time.time() - days * 86400
    for path in corpus.glob("*.txt"):
        os.utime(path, (when, when))
    return when


def test_the_first_run_gives_papers_their_files_time(corpus_copy: Path) -> None:
    when = _age(corpus_copy, 3)
    library = Library.open(corpus_copy)
    first = library.corpus.ids[0]
    assert library.first_seen(first) == datetime.fromtimestamp(round(when), UTC)
    assert library.source_file(first) == "000_1baa1a46657d523b.txt"
    stored = corpus_copy / ".paperdeck" / "firstseen" / "first_seen.json"
    assert json.loads(stored.read_text(encoding="utf-8"))["papers"][first] == round(when)
    with pytest.raises(KeyError):
        library.first_seen("no-such-paper")


def test_papers_that_appear_later_get_the_time_they_were_first_seen(corpus_copy: Path) -> None:
    old = _age(corpus_copy, 3)
    Library.open(corpus_copy)
    (corpus_copy / "new.txt").write_text(page("A Brand New Graph Paper"), encoding="utf-8")
    _age(corpus_copy, 10)  # the new file's own time does not count after the first run
    before = time.time()

    library = Library.open(corpus_copy)

    new = next(pid for pid in library.corpus.ids if pid.startswith("a-brand-new"))
    assert library.first_seen(new).timestamp() >= round(before) - 1
    assert library.first_seen(library.corpus.ids[0]).timestamp() == round(old)  # kept
    days = library.day_views()
    assert [view.size for view in days] == [1, len(library.corpus.ids) - 1]
    today = datetime.now().astimezone().date().isoformat()
    assert days[0].key == f"added:{today}" and days[0].label == f"Added {today}"


def test_the_new_view_holds_what_appeared_since_the_previous_session(corpus_copy: Path) -> None:
    _age(corpus_copy, 3)
    library = Library.open(corpus_copy, with_index=True)
    assert library.new_view().size == len(library.corpus.ids)  # a first session: all is new
    library.begin_session(datetime.now(UTC) - timedelta(hours=1))
    library.begin_session()  # the next start: the one before counts
    (corpus_copy / "new.txt").write_text(page("Sparse Graph Attention Again"), encoding="utf-8")

    library = Library.open(corpus_copy, with_index=True)
    new = library.new_view()

    assert new.key == "new" and new.label == "New" and new.query == "added:new"
    assert new.size == 1
    assert [pid for pid in library.corpus.ids if new.matches(library.annotation(pid))] == [
        pid for pid in library.corpus.ids if pid.startswith("sparse-graph-attention")
    ]
    assert [hit.paper_id for hit in library.search("", view=new).hits] == library.list_view(new)
    assert library.view("new").size == 1


def test_added_query_words_days_and_ranges(corpus_copy: Path) -> None:
    _age(corpus_copy, 1)  # yesterday (local time may make it two days back near midnight)
    library = Library.open(corpus_copy, with_index=True)
    total = len(library.corpus.ids)
    yesterday = datetime.fromtimestamp(time.time() - 86400).astimezone().date()
    assert library.search("added:today", limit=None).total == 0
    assert library.search("added:yesterday", limit=None).total == total
    assert library.search("added:2d", limit=None).total == total
    assert library.search("added:1d", limit=None).total == 0
    assert library.search(f"added:{yesterday.isoformat()}", limit=None).total == total
    assert library.search(f"added:..{yesterday.isoformat()}", limit=None).total == total
    assert library.search(f"added:>{yesterday.isoformat()}", limit=None).total == 0
    assert library.search(f"-added:{yesterday.isoformat()}", limit=None).total == 0
    narrowed = library.search(f"added:{yesterday.isoformat()} diffusion", limit=None)
    assert 0 < narrowed.total == library.search("diffusion", limit=None).total < total
    assert library.view(f"added:{yesterday.isoformat()}").size == total
    with pytest.raises(KeyError):
        library.view("added:1999-01-01")


def test_a_big_added_set_scans_the_id_column(
    corpus_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = Library.open(corpus_copy, with_index=True)
    looked_up = library.search("added:today diffusion", limit=None).total
    monkeypatch.setattr(paper_set, "_LOOKUPS_BELOW", 0)
    assert library.search("added:today diffusion", limit=None).total == looked_up > 0


def test_source_query_by_name_path_and_glob(corpus_copy: Path) -> None:
    (corpus_copy / "more").mkdir()
    (corpus_copy / "more" / "extra.txt").write_text(page("Only In A Subfolder"), encoding="utf-8")
    library = Library.open(corpus_copy, with_index=True)
    views = {view.key: view for view in library.source_views()}
    assert "source:more/extra.txt" in views and views["source:more/extra.txt"].size == 1
    for query in ("source:extra.txt", "source:more/extra.txt", "source:ext*", "source:more/*"):
        hits = library.search(query, limit=None).hits
        assert [hit.paper_id for hit in hits] == ["only-in-a-subfolder-" + hits[0].paper_id[-8:]]
    first = views["source:000_1baa1a46657d523b.txt"]
    assert library.search(first.query, limit=None).total == first.size == 9
    assert library.search("source:nothing.txt", limit=None).total == 0


def test_a_damaged_first_seen_file_starts_afresh(corpus_copy: Path) -> None:
    when = _age(corpus_copy, 2)
    Library.open(corpus_copy)
    stored = corpus_copy / ".paperdeck" / "firstseen" / "first_seen.json"
    stored.write_text("{broken", encoding="utf-8")
    library = Library.open(corpus_copy)
    assert library.first_seen(library.corpus.ids[0]).timestamp() == round(when)
    assert any("started afresh" in m for m in library.seen_times().messages)
    assert json.loads(stored.read_text(encoding="utf-8"))["version"] == 1


def test_added_and_source_parse_into_filters() -> None:
    assert parse("added:today").tree == Filter("added", "today")
    assert parse("added:7D").tree == Filter("added", "7d")
    assert parse("added:2026-12-01").tree == Filter("added", 20261201, 20261201)
    assert parse("added:2026-11-01..2026-12-01").tree == Filter("added", 20261101, 20261201)
    assert parse("source:Daily/HF.md").tree == Filter("source", "Daily/HF.md")
    bad = parse("added:soon")
    assert bad.tree is None and bad.error is not None and "added:soon" in bad.error


def test_cli_search_added_and_source(corpus_copy: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        main,
        [
            "search",
            "added:today",
            "source:000_1baa1a46657d523b.txt",
            "--corpus",
            str(corpus_copy),
            "--json",
            "--limit",
            "100",
        ],
    )
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == 9
    bad = runner.invoke(main, ["search", "added:soon", "--corpus", str(corpus_copy)])
    assert "added:soon: not understood" in bad.output and "Traceback" not in bad.output


def test_added_with_words_is_answered_by_the_array_path_as_whoosh_answers_it(
    corpus_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """BM25 on arrays must ask the library for `added:` (a range on no field matches nothing)."""
    library = Library.open(corpus_copy, with_index=True)
    fast = library.search("added:today diffusion -added:yesterday", limit=None)
    monkeypatch.setattr(SearchIndex, "_scored_search", lambda *args: None)  # Whoosh only
    plain = library.search("added:today diffusion -added:yesterday", limit=None)
    assert fast.total == plain.total == library.search("diffusion", limit=None).total > 0
    assert [h.paper_id for h in fast.hits] == [h.paper_id for h in plain.hits]
