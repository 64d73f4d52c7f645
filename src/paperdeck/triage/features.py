"""The "predicted" sort's features: tf-idf of each paper's title and abstract, for every paper of
the corpus, cached in the derived folder (`<corpus>/.paperdeck/predict/`) so that only the first
run (seconds at 100k papers) pays for them.

A later corpus reuses the cached rows of papers that did not change (same content digest) and
computes the others with the cached vocabulary; the vocabulary itself is learnt afresh only when
more than a fifth of the papers are new to it. The cache is valid for the code that made it
(`derived.source_version`); anything wrong with it means "build again", never an error.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from paperdeck.atomic import atomic_write_bytes, atomic_write_text
from paperdeck.derived import derived_locations, source_version, writable

if TYPE_CHECKING:  # scikit-learn and scipy take a second to import: only when features are made
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfVectorizer

MATRIX_FILE = "features.npz"
META_FILE = "features.json"
MAX_TERMS = 1 << 17
REFIT_SHARE = 0.2  # learn the vocabulary again past this share of papers new to it
CHUNK = 2_000  # papers per progress step

Progress = Callable[[int, int], None]
Text = Callable[[str], str]  # a paper's title and abstract


def code_version() -> str:
    return source_version(["paperdeck.triage.features"], "features 1")


@dataclass
class Features:
    """One row of tf-idf weights per paper (`rows[paper_id]`), and the vocabulary's terms."""

    ids: list[str]
    digests: list[str]
    matrix: sp.csr_matrix
    terms: list[str]
    idf: np.ndarray

    def __post_init__(self) -> None:
        self.rows = {paper_id: number for number, paper_id in enumerate(self.ids)}


def _vectorizer(count: int, vocabulary: Sequence[str] | None = None) -> TfidfVectorizer:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        lowercase=True,
        stop_words="english",
        sublinear_tf=True,
        min_df=2 if count >= 50 and vocabulary is None else 1,
        max_df=0.5 if count >= 50 and vocabulary is None else 1.0,
        max_features=MAX_TERMS,
        dtype=np.float32,
        vocabulary=vocabulary,
    )


def _texts(
    ids: Sequence[str], text: Text, progress: Progress | None, done: int, total: int
) -> list[str]:
    texts = []
    for number, paper_id in enumerate(ids):
        texts.append(text(paper_id))
        if progress is not None and not (number + 1) % CHUNK:
            progress(done + number + 1, total)
    return texts


def build(
    ids: Sequence[str],
    digests: Sequence[str],
    text: Text,
    cached: Features | None = None,
    progress: Progress | None = None,
) -> Features:
    """The features of these papers, reusing `cached` rows of unchanged papers when it can."""
    import scipy.sparse as sp

    total = len(ids)
    if cached is not None:
        same = [
            cached.rows.get(paper_id) is not None
            and cached.digests[cached.rows[paper_id]] == digest
            for paper_id, digest in zip(ids, digests, strict=True)
        ]
        fresh = [paper_id for paper_id, kept in zip(ids, same, strict=True) if not kept]
        if len(fresh) <= REFIT_SHARE * max(total, 1) and cached.terms:
            vectorizer = _vectorizer(total, cached.terms)
            vectorizer.idf_ = cached.idf
            new_rows = vectorizer.transform(_texts(fresh, text, progress, 0, total))
            where = {paper_id: number for number, paper_id in enumerate(fresh)}
            base = cached.matrix.shape[0]
            order = np.fromiter(
                (
                    cached.rows[paper_id] if kept else base + where[paper_id]
                    for paper_id, kept in zip(ids, same, strict=True)
                ),
                dtype=np.int64,
                count=total,
            )
            matrix = sp.vstack([cached.matrix, new_rows], format="csr")[order]
            return Features(list(ids), list(digests), matrix, cached.terms, cached.idf)
    vectorizer = _vectorizer(total)
    texts = _texts(ids, text, progress, 0, total)
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # no words at all (an empty or wordless corpus)
        return Features(
            list(ids), list(digests), sp.csr_matrix((total, 0), dtype=np.float32), [], np.zeros(0)
        )
    terms = [str(term) for term in vectorizer.get_feature_names_out()]
    return Features(list(ids), list(digests), sp.csr_matrix(matrix), terms, vectorizer.idf_)


def cache_folder(corpus_root: Path) -> Path | None:
    return next(
        (where for where in derived_locations(corpus_root, "predict") if writable(where)), None
    )


def load(folder: Path) -> Features | None:
    """The cached features, or None when there are none this code can use."""
    import scipy.sparse as sp

    try:
        meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
        if not isinstance(meta, dict) or meta.get("version") != code_version():
            return None
        matrix = sp.load_npz(folder / MATRIX_FILE).tocsr()
        ids, digests, terms = meta["ids"], meta["digests"], meta["terms"]
        idf = np.asarray(meta["idf"], dtype=np.float64)
        if not (
            len(ids) == len(digests) == matrix.shape[0]
            and len(terms) == matrix.shape[1] == len(idf)
        ):
            return None
        return Features(list(ids), list(digests), matrix, list(terms), idf)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save(folder: Path, features: Features) -> None:
    """Write the cache (the matrix first: the metadata names the code that made both)."""
    import scipy.sparse as sp

    buffer = io.BytesIO()
    sp.save_npz(buffer, features.matrix, compressed=False)
    atomic_write_bytes(folder / MATRIX_FILE, buffer.getvalue())
    meta = {
        "version": code_version(),
        "ids": features.ids,
        "digests": features.digests,
        "terms": features.terms,
        "idf": [float(value) for value in features.idf],
    }
    atomic_write_text(folder / META_FILE, json.dumps(meta, ensure_ascii=False))
