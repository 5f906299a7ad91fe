"""The needs-reply stacker shipped in the complaint model (``scripts/complaint_model.py``).

A logistic regression over the complaint model's logits (both support heads, the word-vector
support head, the complaint score) and three text flags, for English text. The classifier
computes the model part of the logit; the signals add the flags
(:class:`~engagement.classifiers._types.ReplyEvidence`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from engagement.classifiers._linear import Matrix, ModelFormatError
from engagement.classifiers._types import ReplyEvidence

__all__ = ["INPUTS", "ReplyStacker", "logit", "reply_stacker"]

# The English stacker's inputs, in the order of its weights (training writes the same list).
INPUTS = (
    "logit support",
    "logit support_nb",
    "logit words support_nb",
    "logit complaint",
    "question",
    "request",
    "complaint cue",
)
FLAGS = 3  # question, request, complaint cue: the last three inputs


def logit(p: Matrix) -> Matrix:
    """``log(p / (1 - p))`` with ``p`` clipped to ``[1e-6, 1 - 1e-6]``, as in training."""
    clipped = np.clip(p, 1e-6, 1 - 1e-6)
    result: Matrix = np.log(clipped / (1 - clipped))
    return result


@dataclass(frozen=True, slots=True)
class ReplyStacker:
    """One stacker: weights of its model inputs, of the three flags, its bias and threshold."""

    weights: tuple[float, ...]
    flags: tuple[float, float, float]
    bias: float
    threshold: float

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], inputs: int) -> ReplyStacker:
        """Read ``{"weights": [...], "bias": b, "threshold": t}`` with ``inputs`` model inputs.

        Raises:
            ModelFormatError: When the weights are not ``inputs`` + 3 numbers.
        """
        try:
            weights = tuple(float(w) for w in data["weights"])
            bias, threshold = float(data["bias"]), float(data["threshold"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelFormatError(f"needs-reply stacker: {exc!r}") from exc
        if len(weights) != inputs + FLAGS:
            count = inputs + FLAGS
            raise ModelFormatError(f"needs-reply stacker: {len(weights)} weights, not {count}")
        flags = (weights[-3], weights[-2], weights[-1])
        return cls(weights[:-FLAGS], flags, bias, threshold)

    def evidence(self, inputs: Sequence[Matrix]) -> list[ReplyEvidence]:
        """Per text, the evidence for the model inputs' logits (one array per input)."""
        z = self.bias + sum(w * x for w, x in zip(self.weights, inputs, strict=True))
        q, r, c = self.flags
        return [ReplyEvidence(v, q, r, c, self.threshold) for v in np.asarray(z).tolist()]


def reply_stacker(data: Any) -> ReplyStacker | None:
    """The English stacker of a complaint model's ``needs_reply`` entry, if there is one.

    Raises:
        ModelFormatError: When the entry is malformed.
    """
    if data is None:
        return None
    if not isinstance(data, Mapping) or "english" not in data:
        raise ModelFormatError("complaint model: needs_reply needs an 'english' stacker")
    if tuple(data.get("inputs", ())) != INPUTS:
        raise ModelFormatError(f"needs-reply stacker inputs {data.get('inputs')!r}, not {INPUTS}")
    return ReplyStacker.from_dict(data["english"], len(INPUTS) - FLAGS)
