"""Inference for the linear text models shipped as gzip JSON package data.

A model file holds, for each known n-gram feature, its weights already multiplied by the
feature's idf, followed by idf². A text's n-gram vector counts every occurrence
(``x_f = tf_f·idf_f``) and is divided by ``sqrt(Σ_f tf_f·idf_f²)`` (the L2 norm when no
n-gram repeats), then a few dense lexicon features and a bias are added. So a text's scores
are column sums of the rows of its feature occurrences, one division and an activation; no
de-duplication is needed. :class:`Bundle` does that for whole batches with numpy and hashed
features; :meth:`LinearModel.decision` is the plain reference for one text.
"""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

from engagement.classifiers._hashing import HashIndex, string_hashes, text_hashes

__all__ = ["Bundle", "LinearModel", "ModelFormatError", "load_packaged"]

FORMAT = 2  # 2: occurrence counts (format 1 was binary features)


class ModelFormatError(ValueError):
    """A model file is missing, of another format, or inconsistent."""


@dataclass(frozen=True, slots=True)
class LinearModel:
    """One linear model over the shared features.

    Attributes:
        name: What it predicts (``sentiment``, ``complaint``…).
        outputs: Output names, in column order.
        activation: ``softmax`` (one multi-class output) or ``sigmoid`` (independent outputs).
        vocab: Feature → ``(idf·w_0, …, idf·w_k-1, idf²)``.
        dense: Weights of each dense feature, one row per feature.
        bias: Intercept per output.
        thresholds: Decision thresholds per sigmoid output.
        lexicon: Word → valence, for the dense lexicon features (may be empty).
        meta: Training provenance and validation figures.
    """

    name: str
    outputs: tuple[str, ...]
    activation: str
    vocab: Mapping[str, tuple[float, ...]]
    dense: tuple[tuple[float, ...], ...]
    bias: tuple[float, ...]
    thresholds: Mapping[str, float] = field(default_factory=dict)
    lexicon: Mapping[str, float] = field(default_factory=dict)
    meta: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LinearModel:
        """Build a model from its JSON form.

        Raises:
            ModelFormatError: When the format version or the shapes do not match.
        """
        if data.get("format") != FORMAT:
            raise ModelFormatError(f"model format {data.get('format')!r}, expected {FORMAT}")
        outputs = tuple(str(o) for o in data["outputs"])
        width = len(outputs)
        vocab = {str(k): tuple(float(x) for x in v) for k, v in data["vocab"].items()}
        if any(len(v) != width + 1 for v in vocab.values()):
            raise ModelFormatError(f"{data['name']}: vocabulary rows must hold {width + 1} values")
        dense = tuple(tuple(float(x) for x in row) for row in data.get("dense", []))
        bias = tuple(float(x) for x in data["bias"])
        if len(bias) != width or any(len(row) != width for row in dense):
            raise ModelFormatError(f"{data['name']}: bias/dense widths do not match outputs")
        activation = str(data["activation"])
        if activation not in {"softmax", "sigmoid"}:
            raise ModelFormatError(f"{data['name']}: unknown activation {activation!r}")
        return cls(
            name=str(data["name"]),
            outputs=outputs,
            activation=activation,
            vocab=vocab,
            dense=dense,
            bias=bias,
            thresholds={str(k): float(v) for k, v in data.get("thresholds", {}).items()},
            lexicon={str(k): float(v) for k, v in data.get("lexicon", {}).items()},
            meta=dict(data.get("meta", {})),
        )

    def decision(self, features: Sequence[str], dense: Sequence[float] = ()) -> list[float]:
        """Raw linear scores of one text, given its n-gram features and dense features."""
        width = len(self.outputs)
        rows = [r for r in map(self.vocab.get, features) if r is not None]
        if rows:
            sums = [sum(col) for col in zip(*rows, strict=True)]
            norm = math.sqrt(sums[-1]) or 1.0
            scores = [s / norm + b for s, b in zip(sums[:width], self.bias, strict=True)]
        else:
            scores = list(self.bias)
        for value, weights in zip(dense, self.dense, strict=False):
            if value:
                for i in range(width):
                    scores[i] += value * weights[i]
        return scores

    def probabilities(self, features: Sequence[str], dense: Sequence[float] = ()) -> list[float]:
        """Probabilities per output: a softmax distribution or independent sigmoids."""
        return self.activate(self.decision(features, dense))

    def activate(self, scores: Sequence[float]) -> list[float]:
        """Turn raw scores into probabilities with the model's activation."""
        if self.activation == "softmax":
            top = max(scores)
            exps = [math.exp(s - top) for s in scores]
            total = sum(exps)
            return [e / total for e in exps]
        return [_sigmoid(s) for s in scores]


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def load_packaged(filename: str) -> dict[str, Any]:
    """Read a gzip JSON model shipped in ``engagement/classifiers/models``.

    Raises:
        ModelFormatError: When the file is missing or not gzip JSON.
    """
    resource = resources.files("engagement.classifiers.models").joinpath(filename)
    try:
        with resource.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError) as exc:
        raise ModelFormatError(f"cannot read model {filename}: {exc}") from exc
    if not isinstance(data, dict):
        raise ModelFormatError(f"model {filename} is not a JSON object")
    return data


Matrix = npt.NDArray[np.float64]
CHUNK = 256  # texts hashed together: big enough to amortise numpy calls, small for the cache


class Bundle:
    """Several linear models merged into one hashed vocabulary, scored a batch at a time.

    Each known feature maps (through its 64-bit hash, see ``_hashing``) to a row of one
    matrix holding every model's weights side by side (zeros where a model does not know the
    feature). A batch of texts is hashed at once, its occurrences looked up in one open
    addressing table, and their rows summed per text with ``numpy.add.reduceat``.

    Args:
        models: The models, in the order :meth:`probabilities` returns them.

    Raises:
        ModelFormatError: When two features of the models have the same hash.
    """

    def __init__(self, models: Sequence[LinearModel]) -> None:
        self.models = tuple(models)
        self._offsets: list[int] = []
        width = 0
        for model in self.models:
            self._offsets.append(width)
            width += len(model.outputs) + 1
        self._width = width
        slots: dict[str, int] = {}
        for model in self.models:
            for feat in model.vocab:
                slots.setdefault(feat, len(slots))
        matrix = np.zeros((len(slots), width), dtype=np.float64)
        for model, offset in zip(self.models, self._offsets, strict=True):
            if model.vocab:
                where = [slots[f] for f in model.vocab]
                size = len(model.outputs) + 1
                matrix[where, offset : offset + size] = list(model.vocab.values())
        try:
            self._index = HashIndex(string_hashes(list(slots)))
        except ValueError as exc:
            raise ModelFormatError(str(exc)) from exc
        self._matrix = matrix
        self._bias = [np.asarray(m.bias, dtype=np.float64) for m in self.models]
        self._dense = [
            np.asarray(m.dense, dtype=np.float64).reshape(len(m.dense), len(m.outputs))
            for m in self.models
        ]

    def probabilities(self, joined: Sequence[str], dense: Sequence[Matrix | None]) -> list[Matrix]:
        """Per model (in order), a ``(texts, outputs)`` array of probabilities.

        Args:
            joined: Per text, its space-joined tokens (``_features.joined``).
            dense: Per model, a ``(texts, dense features)`` array, or ``None`` for none.
        """
        sums = np.zeros((len(joined), self._width), dtype=np.float64)
        for start in range(0, len(joined), CHUNK):
            sums[start : start + CHUNK] = self._sums(joined[start : start + CHUNK])
        out: list[Matrix] = []
        for k, model in enumerate(self.models):
            offset, width = self._offsets[k], len(model.outputs)
            norm = np.sqrt(sums[:, offset + width])
            norm[norm == 0.0] = 1.0
            scores = sums[:, offset : offset + width] / norm[:, None] + self._bias[k]
            extra = dense[k]
            if extra is not None and len(model.dense):
                scores += extra @ self._dense[k]
            out.append(activate_rows(scores, model.activation))
        return out

    def _sums(self, joined: Sequence[str]) -> Matrix:
        hashed = text_hashes(joined)
        rows = self._index.lookup(hashed.hashes)
        known = rows >= 0
        owner = np.repeat(np.arange(len(joined)), hashed.counts)[known]
        counts = np.bincount(owner, minlength=len(joined))
        sums = np.zeros((len(joined), self._width), dtype=np.float64)
        present = counts > 0
        if present.any():
            starts = np.cumsum(counts) - counts
            sums[present] = np.add.reduceat(self._matrix[rows[known]], starts[present], axis=0)
        return sums


def activate_rows(scores: Matrix, activation: str) -> Matrix:
    """Row-wise softmax, or element-wise sigmoid, of a ``(texts, outputs)`` score array."""
    if activation == "softmax":
        exps = np.exp(scores - scores.max(axis=1, keepdims=True))
        result: Matrix = exps / exps.sum(axis=1, keepdims=True)
        return result
    sig: Matrix = 0.5 * (1.0 + np.tanh(0.5 * scores))  # the sigmoid, without overflow
    return sig
