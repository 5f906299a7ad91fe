"""Text classifiers behind one interface, with a fast offline default shipped in the package.

:class:`TextClassifier` is the interface: ``classify(texts)`` returns one :class:`TextScores`
of probabilities per text. :func:`default_classifier` loads the shipped models once
(``engagement/classifiers/models/``: the linear models in ``*.json.gz`` and the complaint
model's word-vector heads in ``complaint_words.npz``, built by
``scripts/train_classifiers.py``); an LLM-backed classifier can implement the same protocol.
"""

from __future__ import annotations

from engagement.classifiers._default import LinearClassifier, default_classifier
from engagement.classifiers._linear import LinearModel, ModelFormatError
from engagement.classifiers._types import (
    SENTIMENT_LABELS,
    ReplyEvidence,
    Sentiment,
    TextClassifier,
    TextScores,
    reads_as_english,
)

__all__ = [
    "SENTIMENT_LABELS",
    "LinearClassifier",
    "LinearModel",
    "ModelFormatError",
    "ReplyEvidence",
    "Sentiment",
    "TextClassifier",
    "TextScores",
    "default_classifier",
    "reads_as_english",
]
