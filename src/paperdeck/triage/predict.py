"""The "predicted" ranking: a logistic regression over the papers' tf-idf features
(`paperdeck.triage.features`), trained on what the user starred or read (positive) against what
they skipped (negative), scoring the papers still unread.

Training looks only at the labelled rows (a few hundred), so retraining after each decision takes
milliseconds; scoring every paper is one sparse matrix-vector product. With too few labels of
either kind there is no model, and the library falls back to newest first and says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from paperdeck.notes.annotation import Annotation
from paperdeck.triage.features import Features

MIN_EACH = 3  # starred/read and skipped papers needed, each, before there is a model
TOP_TERMS = 6
POSITIVE_STATUSES = ("read", "reading")


@dataclass(frozen=True)
class Prediction:
    """How much a paper resembles what the user keeps (`score`, 0 to 1) and the terms that
    weigh most in it, each with its part of the score's log-odds (negative: pulls it down)."""

    score: float
    terms: list[tuple[str, float]]


def label(annotation: Annotation) -> bool | None:
    """True: kept (starred, read or being read); False: skipped; None: no decision to learn from."""
    if annotation.starred or annotation.status in POSITIVE_STATUSES:
        return True
    if annotation.status == "skipped":
        return False
    return None


def labels_of(annotations: Mapping[str, Annotation]) -> dict[str, bool]:
    found = {}
    for paper_id, annotation in annotations.items():
        value = label(annotation)
        if value is not None:
            found[paper_id] = value
    return found


class Model:
    """A trained model over one set of features, with every paper's score worked out once."""

    def __init__(self, features: Features, labels: Mapping[str, bool]) -> None:
        rows = [
            (features.rows[pid], value) for pid, value in labels.items() if pid in features.rows
        ]
        self.features = features
        self.positives = sum(1 for _row, value in rows if value)
        self.negatives = len(rows) - self.positives
        self.trained = self.positives >= MIN_EACH and self.negatives >= MIN_EACH
        self.coef = np.zeros(features.matrix.shape[1])
        self.intercept = 0.0
        self.scores = np.zeros(features.matrix.shape[0])
        if not self.trained or features.matrix.shape[1] == 0:
            self.trained = False
            return
        numbers = np.array([row for row, _value in rows])
        target = np.array([value for _row, value in rows], dtype=np.int8)
        from sklearn.linear_model import LogisticRegression  # a second to import: only now

        fitted = LogisticRegression(C=4.0, class_weight="balanced", solver="liblinear")
        fitted.fit(features.matrix[numbers], target)
        self.coef = fitted.coef_[0]
        self.intercept = float(fitted.intercept_[0])
        self.scores = 1.0 / (1.0 + np.exp(-(features.matrix @ self.coef + self.intercept)))

    def score(self, paper_id: str) -> float | None:
        row = self.features.rows.get(paper_id)
        return None if row is None else float(self.scores[row])

    def prediction(self, paper_id: str, top: int = TOP_TERMS) -> Prediction | None:
        """The score and the terms of this paper that weigh most in it (None: no model)."""
        row = self.features.rows.get(paper_id)
        if row is None or not self.trained:
            return None
        vector = self.features.matrix[row]
        parts = [
            (self.features.terms[column], float(weight * self.coef[column]))
            for column, weight in zip(vector.indices, vector.data, strict=True)
        ]
        parts.sort(key=lambda item: -abs(item[1]))
        return Prediction(float(self.scores[row]), [(t, round(w, 4)) for t, w in parts[:top]])
