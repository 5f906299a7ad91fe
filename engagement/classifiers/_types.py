"""The classifier interface and its result type."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Protocol

__all__ = ["SENTIMENT_LABELS", "Sentiment", "TextClassifier", "TextScores"]


class Sentiment(IntEnum):
    """Polarity of a text; values are the dataset labels (0 negative, 1 neutral, 2 positive)."""

    NEGATIVE = 0
    NEUTRAL = 1
    POSITIVE = 2


SENTIMENT_LABELS = ("negative", "neutral", "positive")


@dataclass(frozen=True, slots=True)
class TextScores:
    """Probabilities a classifier gives one text.

    Attributes:
        sentiment: ``(P(negative), P(neutral), P(positive))``, summing to 1.
        complaint: Probability that the text is a complaint.
        support: Probability that the text is a message to a brand's customer support (as
            opposed to an ordinary post); the base of the needs-reply decision.
        complaint_threshold: Decision threshold of ``complaint`` (chosen by cross-validation).
        support_threshold: Decision threshold of ``support``.
    """

    sentiment: tuple[float, float, float]
    complaint: float
    support: float
    complaint_threshold: float = 0.5
    support_threshold: float = 0.5

    @property
    def sentiment_label(self) -> Sentiment:
        """The most probable polarity."""
        best = max(range(3), key=self.sentiment.__getitem__)
        return Sentiment(best)

    @property
    def is_complaint(self) -> bool:
        """Whether ``complaint`` reaches its threshold."""
        return self.complaint >= self.complaint_threshold

    @property
    def is_support(self) -> bool:
        """Whether ``support`` reaches its threshold."""
        return self.support >= self.support_threshold


class TextClassifier(Protocol):
    """Anything that scores texts: the shipped linear models, an LLM, a test double."""

    def classify(self, texts: Sequence[str]) -> list[TextScores]:
        """Score each text (same order, same length); never raise on odd text."""
        ...
