"""Helpers shared by the training scripts: reading the datasets, tf-idf as the runtime computes it,
and the gzip JSON export of a linear model (format 2, see engagement.classifiers._linear)."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix, diags
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engagement.classifiers._features import extract  # noqa: E402
from engagement.eval import binary_scores, split_lines  # noqa: E402

OUT = ROOT / "engagement" / "classifiers" / "models"
DENSE_SCALE = 1.0
SEED = 0


def read(path: Path) -> list[str]:
    return split_lines(path.read_text(encoding="utf-8"))


class OccurrenceTfidf:
    """tf-idf as the runtime computes it (engagement.classifiers._linear, format 2).

    ``x_f = tf_f·idf_f / sqrt(Σ_g tf_g·idf_g²)`` over the vocabulary (n-grams seen in at least
    ``min_df`` training texts), with scikit-learn's smoothed idf ``ln((1+n)/(1+df)) + 1``.
    """

    def __init__(self, min_df: int) -> None:
        self.counter = CountVectorizer(analyzer=extract, min_df=min_df, dtype=np.float64)
        self.idf_ = np.zeros(0)
        self.vocabulary_: dict[str, int] = {}

    def fit_transform(self, texts: list[str]) -> csr_matrix:
        counts = self.counter.fit_transform(texts).tocsr()
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        self.idf_ = np.log((1 + counts.shape[0]) / (1 + df)) + 1.0
        self.vocabulary_ = dict(self.counter.vocabulary_)
        return self._scale(counts)

    def transform(self, texts: list[str]) -> csr_matrix:
        return self._scale(self.counter.transform(texts).tocsr())

    def _scale(self, counts: csr_matrix) -> csr_matrix:
        norm = np.sqrt(counts @ (self.idf_**2))
        norm[norm == 0] = 1.0
        return csr_matrix(diags(1.0 / norm) @ counts @ diags(self.idf_))


def vectorizer(min_df: int) -> OccurrenceTfidf:
    return OccurrenceTfidf(min_df)


def fit_lr(x: Any, y: np.ndarray, c: float) -> LogisticRegression:
    return LogisticRegression(C=c, max_iter=5000, class_weight="balanced").fit(x, y)


def export(
    name: str,
    vec: OccurrenceTfidf,
    weights: np.ndarray,
    bias: np.ndarray,
    outputs: list[str],
    activation: str,
    n_dense: int,
    extra: dict[str, Any],
) -> Path:
    """weights: (n_outputs, n_features + n_dense)."""
    idf = vec.idf_
    n_feat = len(idf)
    vocab: dict[str, list[float]] = {}
    for feat, j in vec.vocabulary_.items():
        row = [round(float(idf[j] * weights[o, j]), 5) for o in range(len(outputs))]
        row.append(round(float(idf[j] ** 2), 5))
        vocab[feat] = row
    dense_rows = [
        [round(float(weights[o, n_feat + d]) * DENSE_SCALE, 6) for o in range(len(outputs))]
        for d in range(n_dense)
    ]
    data = {
        "format": 2,
        "name": name,
        "outputs": outputs,
        "activation": activation,
        "vocab": vocab,
        "dense": dense_rows,
        "bias": [round(float(b), 6) for b in bias],
        **extra,
    }
    path = OUT / f"{name}.json.gz"
    OUT.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as fh:
        json.dump(data, fh, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return path


def f1_at(gold: np.ndarray, p: np.ndarray, t: float) -> float:
    return binary_scores(list(gold), [int(v) for v in p >= t]).f1


def best_threshold(y: np.ndarray, p: np.ndarray) -> tuple[float, float]:
    best = (0.5, 0.0)
    for t in np.arange(0.2, 0.81, 0.02):
        f1 = f1_at(y, p, float(t))
        if f1 > best[1]:
            best = (round(float(t), 2), f1)
    return best


def mean_std(values: list[float]) -> dict[str, Any]:
    arr = np.asarray(values)
    return {
        "mean": round(float(arr.mean()), 4),
        "std": round(float(arr.std(ddof=1)), 4),
        "folds": [round(v, 4) for v in values],
    }
