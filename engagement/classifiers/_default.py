"""The default classifier: the shipped linear models, run in pure Python on the CPU."""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache

from engagement.classifiers._features import analyze, lexicon_scores, strip_leading_mentions
from engagement.classifiers._linear import Bundle, LinearModel, load_packaged
from engagement.classifiers._types import TextScores

__all__ = ["LinearClassifier", "default_classifier"]

_MAX_CACHE = 50_000


class LinearClassifier:
    """Sentiment (softmax) and complaint/support (sigmoid) models over shared n-gram features.

    The text (without the leading ``@handles`` of a reply) is analysed once and its features
    looked up once in the merged vocabulary of both models. Results are cached
    per text (bounded), so a digest re-scoring the same items costs nothing.

    Args:
        sentiment: The 3-class sentiment model (its lexicon feeds the dense features).
        complaint: A model with ``complaint``, ``complaint_if_support`` and ``support``
            sigmoid outputs; P(complaint) is the geometric mean of the direct head and
            P(support)·P(complaint | support).
    """

    def __init__(self, sentiment: LinearModel, complaint: LinearModel) -> None:
        if sentiment.outputs != ("negative", "neutral", "positive"):
            raise ValueError(f"sentiment model outputs {sentiment.outputs}")
        if complaint.outputs != ("complaint", "complaint_if_support", "support"):
            raise ValueError(f"complaint model outputs {complaint.outputs}")
        self.sentiment = sentiment
        self.complaint = complaint
        self._complaint_threshold = complaint.thresholds.get("complaint", 0.5)
        self._support_threshold = complaint.thresholds.get("support", 0.5)
        self._bundle = Bundle((sentiment, complaint))
        self._cache: dict[str, TextScores] = {}

    def classify(self, texts: Sequence[str]) -> list[TextScores]:
        """Score each text; empty or odd texts get the models' prior (bias-only) scores."""
        out: list[TextScores] = []
        cache_ = self._cache
        for text in texts:
            hit = cache_.get(text)
            if hit is None:
                hit = self._score(text)
                if len(cache_) >= _MAX_CACHE:
                    cache_.clear()
                cache_[text] = hit
            out.append(hit)
        return out

    def clear_cache(self) -> None:
        """Forget cached results (benchmarks measure cold scoring)."""
        self._cache.clear()

    def _score(self, text: str) -> TextScores:
        feats, toks = analyze(strip_leading_mentions(text))
        lexicon = lexicon_scores(toks, self.sentiment.lexicon)
        (neg, neu, pos), (direct, conditional, support) = self._bundle.probabilities(
            feats, (lexicon, ())
        )
        complaint = math.sqrt(direct * conditional * support)
        return TextScores(
            sentiment=(neg, neu, pos),
            complaint=complaint,
            support=support,
            complaint_threshold=self._complaint_threshold,
            support_threshold=self._support_threshold,
        )


@cache
def default_classifier() -> LinearClassifier:
    """The shipped models, loaded once per process (about a second, then cached).

    Raises:
        ModelFormatError: When the packaged model files are missing or corrupt.
    """
    return LinearClassifier(
        LinearModel.from_dict(load_packaged("sentiment.json.gz")),
        LinearModel.from_dict(load_packaged("complaint.json.gz")),
    )
