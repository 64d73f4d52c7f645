"""The "predicted" sort: cached tf-idf features (reused, refreshed, rebuilt when damaged), the
fallback to newest first with too few decisions, ranking unread papers like the kept ones,
retraining as decisions change, the terms behind a score, search and the CLI."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from paperdeck.cli import main
from paperdeck.library import Library
from paperdeck.triage import features as feature_cache
from paperdeck.triage import predict
from paperdeck.triage.predict import MIN_EACH


def _topic(library: Library, word: str) -> list[str]:
    return [
        pid
        for pid in library.corpus.ids
        if word in f"{library.paper(pid).title} {library.paper(pid).abstract}".lower()
    ]


def _triage(
    library: Library, word: str, kept: int = 8, skipped: int = 15
) -> tuple[set[str], set[str]]:
    """Star `kept` papers about `word`, skip `skipped` others; the topic and the rest."""
    topic = _topic(library, word)
    rest = [pid for pid in library.corpus.ids if pid not in set(topic)]
    library.star_many(topic[:kept], True)
    library.set_status_many(rest[:skipped], "skipped")
    return set(topic), set(rest)


def test_too_few_decisions_fall_back_to_newest_first(corpus_copy: Path) -> None:
    library = Library.open(corpus_copy)
    ids = library.corpus.ids
    assert library.sort_ids(ids, "predicted") == library.sort_ids(ids, "date")  # not prepared
    assert "preparing" in library.prediction_note()
    library.prepare_predictions()
    library.star_many(ids[:MIN_EACH], True)
    library.set_status_many(ids[MIN_EACH : 2 * MIN_EACH - 1], "skipped")  # one skip short
    assert library.sort_ids(ids, "predicted") == library.sort_ids(ids, "date")
    assert f"has {MIN_EACH} and {MIN_EACH - 1}" in library.prediction_note()
    assert library.prediction(ids[-1]) is None


def test_unread_papers_like_the_kept_ones_come_first(corpus_copy: Path) -> None:
    library = Library.open(corpus_copy)
    library.prepare_predictions()
    topic, _rest = _triage(library, "diffusion")

    order = library.sort_ids(library.corpus.ids, "predicted")

    unread = [
        pid
        for pid in order
        if library.annotation(pid).status == "unread" and not library.annotation(pid).starred
    ]
    assert order[: len(unread)] == unread  # unread first, decided papers after
    assert sum(pid in topic for pid in unread[:10]) >= 8
    assert "8 starred or read papers against the 15 skipped" in library.prediction_note()
    best = library.prediction(unread[0])
    assert best is not None and 0.5 < best.score <= 1.0
    text = f"{library.paper(unread[0]).title} {library.paper(unread[0]).abstract}".lower()
    assert best.terms and all(term in text for term, _weight in best.terms)
    assert max(best.terms, key=lambda item: item[1])[1] > 0


def test_the_ranking_follows_new_decisions(corpus_copy: Path) -> None:
    library = Library.open(corpus_copy)
    library.prepare_predictions()
    _triage(library, "diffusion", kept=4, skipped=4)
    first = library.sort_ids(library.corpus.ids, "predicted")
    before = library.prediction(first[0])
    library.set_status_many(first[:6], "skipped")  # the top ones were not wanted after all

    again = library.sort_ids(library.corpus.ids, "predicted")

    assert again[:6] != first[:6]
    assert set(first[:6]).isdisjoint(again[: len(again) - 14])  # now among the decided
    after = library.prediction(first[0])
    assert before is not None and after is not None and after.score < before.score


def test_search_sorted_by_prediction(corpus_copy: Path) -> None:
    library = Library.open(corpus_copy, with_index=True)
    library.prepare_predictions()
    _triage(library, "diffusion")
    everything = library.search("", sort="predicted", limit=None)
    expected = library.sort_ids(library.corpus.ids, "predicted")
    undecided = len(expected) - 8 - 15  # ranked; the decided after them, newest first
    assert [hit.paper_id for hit in everything.hits][:undecided] == expected[:undecided]
    assert {hit.paper_id for hit in everything.hits} == set(expected)
    found = library.search("model", sort="predicted", limit=5)
    assert len(found.hits) == 5 and found.sort == "predicted"
    assert found.total == library.search("model", limit=None).total
    assert found.hits[0].score >= found.hits[-1].score


def test_features_are_cached_and_reused(corpus_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Library.open(corpus_copy).prepare_predictions()
    folder = corpus_copy / ".paperdeck" / "predict"
    assert (folder / feature_cache.MATRIX_FILE).is_file() and (
        folder / feature_cache.META_FILE
    ).is_file()

    def no_build(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the cached features should have been used")

    monkeypatch.setattr(feature_cache, "build", no_build)
    library = Library.open(corpus_copy)
    library.prepare_predictions()
    assert library.predictions_ready


def test_a_new_paper_reuses_the_cached_rows(corpus_copy: Path) -> None:
    first = Library.open(corpus_copy)
    first.prepare_predictions()
    assert first._features is not None
    old = first._features
    (corpus_copy / "new.txt").write_text(
        "new\n\nJul 9\n\nA Diffusion Paper Arrives\n\nDiffusion models denoise images step by "
        "step; we make them faster.\n\n  • 2 authors\n·\nMar 3, 2024 7\n",
        encoding="utf-8",
    )
    library = Library.open(corpus_copy)
    library.prepare_predictions()
    made = library._features
    assert made is not None and made.terms == old.terms and len(made.ids) == len(old.ids) + 1
    kept = old.ids[5]
    assert (made.matrix[made.rows[kept]] != old.matrix[old.rows[kept]]).nnz == 0
    new = next(pid for pid in made.ids if pid.startswith("a-diffusion-paper-arrives"))
    assert made.matrix[made.rows[new]].nnz > 0


def test_a_damaged_cache_is_built_again(corpus_copy: Path) -> None:
    Library.open(corpus_copy).prepare_predictions()
    folder = corpus_copy / ".paperdeck" / "predict"
    (folder / feature_cache.MATRIX_FILE).write_bytes(b"not a matrix")
    library = Library.open(corpus_copy)
    library.prepare_predictions()
    assert library.predictions_ready
    assert feature_cache.load(folder) is not None  # written again


def test_cli_list_sorted_by_prediction(corpus_copy: Path) -> None:
    library = Library.open(corpus_copy)
    library.prepare_predictions()
    _triage(library, "diffusion")
    expected = library.sort_ids(library.corpus.ids, "predicted")

    result = CliRunner().invoke(main, ["list", str(corpus_copy), "--sort", "predicted"])

    assert result.exit_code == 0, result.output
    assert [line.split("\t")[0] for line in result.stdout.splitlines()] == expected
    assert "Predicted sort: unread papers ranked" in result.stderr


def test_sorting_does_not_wait_for_features_being_made(
    corpus_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker making the features again (after an import) must not hold up a sort on the UI
    thread: until it is done, the model it had goes on ranking."""
    library = Library.open(corpus_copy)
    library.prepare_predictions()
    _triage(library, "diffusion")
    before = library.sort_ids(library.corpus.ids, "predicted")
    extra = corpus_copy.parent / "extra.txt"
    extra.write_text(
        "new\n\nJul 9\n\nAnother Diffusion Paper\n\nDiffusion models denoise images; we make "
        "them faster.\n\n  • 2 authors\n·\nMar 3, 2024 7\n",
        encoding="utf-8",
    )
    library.import_files([extra])
    started, release = threading.Event(), threading.Event()
    real_build = feature_cache.build

    def slow_build(*args: Any, **kwargs: Any) -> feature_cache.Features:
        started.set()
        release.wait(10)
        return real_build(*args, **kwargs)

    monkeypatch.setattr(feature_cache, "build", slow_build)
    worker = threading.Thread(target=library.prepare_predictions)
    worker.start()
    try:
        assert started.wait(10)
        begun = time.monotonic()
        during = library.sort_ids(library.corpus.ids, "predicted")
        assert time.monotonic() - begun < 2
        assert during[:10] == before[:10]
    finally:
        release.set()
        worker.join(10)
    assert library._features is not None and len(library._features.ids) == len(before) + 1


def test_the_ui_threads_prediction_never_trains_a_worker_does(
    corpus_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`retrain=False` (the reading pane, the score column) uses the model as last trained."""
    library = Library.open(corpus_copy)
    library.prepare_predictions()
    _triage(library, "diffusion", kept=4, skipped=4)
    first = library.sort_ids(library.corpus.ids, "predicted")
    before = library.prediction(first[0])
    library.set_status_many(first[:6], "skipped")
    trained: list[int] = []
    original = predict.Model.__init__

    def counting(self: Any, *args: Any) -> None:
        trained.append(1)
        original(self, *args)

    monkeypatch.setattr(predict.Model, "__init__", counting)
    stale = library.prediction(first[0], retrain=False)
    assert not trained and stale is not None and before is not None
    assert stale.score == before.score
    library.retrain_predictions()
    assert trained == [1]
    fresh = library.prediction(first[0], retrain=False)
    assert fresh is not None and fresh.score < before.score
    library.retrain_predictions()  # nothing changed since: no training
    assert trained == [1]
