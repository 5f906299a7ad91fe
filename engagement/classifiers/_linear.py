"""Pure-Python inference for the linear text models shipped as gzip JSON package data.

A model file holds, for each known n-gram feature, its weights already multiplied by the
feature's idf, followed by idf²; features are binary, the n-gram vector is L2-normalised
(exactly scikit-learn's ``TfidfVectorizer(binary=True)``), then a few dense lexicon features
and a bias are added. Scoring a text is therefore a set of dictionary look-ups and a column
sum, done in C by ``map``/``zip``/``sum``.
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

__all__ = ["Bundle", "LinearModel", "ModelFormatError", "load_packaged"]

FORMAT = 1


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
        rows = [r for r in map(self.vocab.get, set(features)) if r is not None]
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


class Bundle:
    """Several linear models merged into one vocabulary, so a text costs one look-up per feature.

    Each feature maps to a row of one matrix holding every model's weights side by side
    (zeros where a model does not know the feature); one look-up per feature and one numpy
    column sum then serve all the models.

    Args:
        models: The models, in the order :meth:`probabilities` returns them.
    """

    def __init__(self, models: Sequence[LinearModel]) -> None:
        self.models = tuple(models)
        self._offsets: list[int] = []
        width = 0
        for model in self.models:
            self._offsets.append(width)
            width += len(model.outputs) + 1
        self._width = width
        index: dict[str, int] = {}
        rows: list[list[float]] = []
        for model, offset in zip(self.models, self._offsets, strict=True):
            size = len(model.outputs) + 1
            for feat, row in model.vocab.items():
                slot = index.get(feat)
                if slot is None:
                    slot = index[feat] = len(rows)
                    rows.append([0.0] * width)
                rows[slot][offset : offset + size] = row
        self._index = index
        self._matrix = np.asarray(rows, dtype=np.float64).reshape(len(rows), width)

    def probabilities(
        self, features: Sequence[str], dense: Sequence[Sequence[float]]
    ) -> list[list[float]]:
        """Per model (in order), its probabilities for one text.

        Args:
            features: The text's n-gram features.
            dense: Per model, its dense features (empty when it has none).
        """
        found = [i for i in map(self._index.get, set(features)) if i is not None]
        sums: list[float] = (
            self._matrix[found].sum(axis=0).tolist() if found else [0.0] * self._width
        )
        out: list[list[float]] = []
        for model, offset, extra in zip(self.models, self._offsets, dense, strict=True):
            width = len(model.outputs)
            norm = math.sqrt(sums[offset + width]) or 1.0
            scores = [
                s / norm + b for s, b in zip(sums[offset : offset + width], model.bias, strict=True)
            ]
            for value, weights in zip(extra, model.dense, strict=False):
                if value:
                    for i in range(width):
                        scores[i] += value * weights[i]
            out.append(model.activate(scores))
        return out
