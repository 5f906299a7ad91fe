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
        complaint_other: For a classifier whose best complaint model only reads English (the
            default one: its word vectors come from an English sentence encoder), the
            probability from its language-independent part, used for text in other languages;
            ``None`` when ``complaint`` suits every language.
        complaint_other_threshold: Decision threshold of ``complaint_other``.
    """

    sentiment: tuple[float, float, float]
    complaint: float
    support: float
    complaint_threshold: float = 0.5
    support_threshold: float = 0.5
    complaint_other: float | None = None
    complaint_other_threshold: float = 0.5

    @property
    def sentiment_label(self) -> Sentiment:
        """The most probable polarity."""
        best = max(range(3), key=self.sentiment.__getitem__)
        return Sentiment(best)

    @property
    def is_complaint(self) -> bool:
        """Whether ``complaint`` reaches its threshold."""
        return self.complaint >= self.complaint_threshold

    def complaint_in(self, language: str) -> tuple[float, float]:
        """``(probability, threshold)`` of a complaint for text in ``language``.

        Args:
            language: Primary subtag (``en``, ``fr``…); ``und`` counts as English, as in
                training, where the complaint corpus is English.
        """
        if self.complaint_other is None or language in ("en", "und"):
            return self.complaint, self.complaint_threshold
        return self.complaint_other, self.complaint_other_threshold

    def is_complaint_in(self, language: str) -> bool:
        """Whether the complaint probability for text in ``language`` reaches its threshold."""
        probability, threshold = self.complaint_in(language)
        return probability >= threshold

    @property
    def is_support(self) -> bool:
        """Whether ``support`` reaches its threshold."""
        return self.support >= self.support_threshold


class TextClassifier(Protocol):
    """Anything that scores texts: the shipped linear models, an LLM, a test double."""

    def classify(self, texts: Sequence[str]) -> list[TextScores]:
        """Score each text (same order, same length); never raise on odd text."""
        ...
