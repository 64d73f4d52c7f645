"""Read next: the "predicted" sort and each paper's `prediction` (`paperdeck.triage.predict`).

The features take seconds at 100k papers, so they are made in `prepare_predictions`, which a face
calls in a worker (the CLI calls it before sorting); until then, and while there are too few
decisions to learn from, "predicted" is newest first and `prediction_note` says why. The model is
retrained whenever the decisions changed since it was made (milliseconds), so the ranking follows
the triage as it goes.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable

import numpy as np

from paperdeck.library.core import Progress
from paperdeck.library.listing import Listing
from paperdeck.search.index import Hit, SearchResults
from paperdeck.sorting import PREDICTED, sort_ids
from paperdeck.triage import features as feature_cache
from paperdeck.triage.features import Features
from paperdeck.triage.predict import MIN_EACH, Model, Prediction, labels_of
from paperdeck.views import ALL, View

_CREATING = threading.Lock()


class Predicting(Listing):
    """`prepare_predictions`, `predictions_ready`, `prediction`, `prediction_note`, and the
    "predicted" key of `sort_ids` and `search`."""

    _features: Features | None = None
    _model: Model | None = None
    _model_labels: frozenset[tuple[str, bool]] | None = None
    _locks: tuple[threading.Lock, threading.Lock] | None = None

    def _predict_locks(self) -> tuple[threading.Lock, threading.Lock]:
        """(held while features are made: seconds; held while a model is swapped: brief), so a
        sort on the UI thread never waits for a worker's `prepare_predictions`."""
        with _CREATING:
            if self._locks is None:
                self._locks = (threading.Lock(), threading.Lock())
            return self._locks

    def prepare_predictions(self, progress: Progress | None = None) -> None:
        """Load the cached features, or make them (slow: call in a worker); then train."""
        preparing, swapping = self._predict_locks()
        with preparing:
            corpus = self.corpus
            folder = feature_cache.cache_folder(self.root)
            cached = self._features or (feature_cache.load(folder) if folder else None)
            ids = list(corpus.ids)
            digests = [corpus.digest(paper_id) for paper_id in ids]
            if cached is not None and cached.ids == ids and cached.digests == digests:
                made = cached
            else:
                made = feature_cache.build(ids, digests, self._paper_text, cached, progress)
                if folder is not None:  # derived: on failure, kept in memory for this run only
                    with contextlib.suppress(OSError):
                        feature_cache.save(folder, made)
            with swapping:
                self._features = made
                self._model = None
        self._current_model()

    def _paper_text(self, paper_id: str) -> str:
        paper = self.paper(paper_id)
        return f"{paper.title}\n{paper.abstract}"

    @property
    def predictions_ready(self) -> bool:
        return self._features is not None

    def _current_model(self) -> Model | None:
        """The model for the decisions as they are now (trained again if they changed)."""
        features = self._features
        if features is None:
            return None
        labels = labels_of(self.notes.all())
        key = frozenset(labels.items())
        with self._predict_locks()[1]:
            if (
                self._model is None
                or self._model_labels != key
                or self._model.features is not features
            ):
                self._model = Model(features, labels)
                self._model_labels = key
            return self._model

    def prediction(self, paper_id: str, *, retrain: bool = True) -> Prediction | None:
        """The paper's score and the terms behind it; None until there is a model.

        `retrain=False` uses the model as last trained, however the decisions changed since:
        training takes a quarter of a second at 100k papers, too long for the UI thread, which
        asks this way and has a worker call `retrain_predictions` after decisions."""
        model = self._current_model() if retrain else self._trained_model()
        return model.prediction(paper_id) if model is not None else None

    def retrain_predictions(self) -> None:
        """Train the model again if the decisions changed (call in a worker)."""
        self._current_model()

    def _trained_model(self) -> Model | None:
        with self._predict_locks()[1]:
            model = self._model
        return model if model is not None and model.features is self._features else None

    def prediction_note(self) -> str:
        """What "predicted" does right now, in words (for the status line and the CLI)."""
        model = self._current_model()
        if model is None:
            return "Predicted sort: preparing the papers' features; newest first until then."
        if not model.trained:
            return (
                f"Predicted sort: needs at least {MIN_EACH} starred or read papers and "
                f"{MIN_EACH} skipped ones (has {model.positives} and {model.negatives}); "
                "newest first until then."
            )
        return (
            f"Predicted sort: unread papers ranked by resemblance to the {model.positives} "
            f"starred or read papers against the {model.negatives} skipped ones."
        )

    def sort_ids(self, paper_ids: Iterable[str], sort: str) -> list[str]:
        if sort != PREDICTED:
            return super().sort_ids(paper_ids, sort)
        return self._predicted_order(list(paper_ids), self._current_model())

    def _predicted_order(self, ids: list[str], model: Model | None) -> list[str]:
        """Undecided papers by the model's score, then the decided ones newest first."""
        if model is None or not model.trained:
            return sort_ids(self.corpus, ids, "date")
        annotations = self.notes.all()

        def undecided(paper_id: str) -> bool:
            found = annotations.get(paper_id)
            return found is None or not found.decided

        rows = model.features.rows
        ranked = [pid for pid in ids if pid in rows and undecided(pid)]
        numbers = np.fromiter((rows[pid] for pid in ranked), dtype=np.int64, count=len(ranked))
        order = np.argsort(-model.scores[numbers], kind="stable")  # ties keep the given order
        placed = set(ranked)
        rest = sort_ids(self.corpus, [pid for pid in ids if pid not in placed], "date")
        return [ranked[number] for number in order] + rest

    def search(
        self,
        query: str,
        *,
        view: View = ALL,
        sort: str = "relevance",
        limit: int | None = 50,
        as_you_type: bool = False,
    ) -> SearchResults:
        if sort != PREDICTED:
            return super().search(query, view=view, sort=sort, limit=limit, as_you_type=as_you_type)
        found = super().search(query, view=view, limit=None, as_you_type=as_you_type)
        model = self._current_model()  # one model (trained once) both orders and scores
        order = self._predicted_order([hit.paper_id for hit in found.hits], model)
        kept = order[:limit] if limit is not None else order
        hits = [
            Hit(paper_id, (model.score(paper_id) or 0.0) if model else 0.0, rank)
            for rank, paper_id in enumerate(kept)
        ]
        return SearchResults(hits, found.total, found.query, found.error, found.exact, PREDICTED)
