"""The classifier interface and its result type."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Protocol

__all__ = [
    "SENTIMENT_LABELS",
    "ReplyEvidence",
    "Sentiment",
    "TextClassifier",
    "TextScores",
    "reads_as_english",
]


def reads_as_english(language: str) -> bool:
    """Whether the English-only models apply to text in ``language``.

    ``und`` (too little text to tell) counts as English, as in training, where the complaint
    corpus is English.
    """
    return language in ("en", "und")


class Sentiment(IntEnum):
    """Polarity of a text; values are the dataset labels (0 negative, 1 neutral, 2 positive)."""

    NEGATIVE = 0
    NEUTRAL = 1
    POSITIVE = 2


SENTIMENT_LABELS = ("negative", "neutral", "positive")


@dataclass(frozen=True, slots=True)
class ReplyEvidence:
    """What a classifier's models say about "this text needs a reply", before the text flags.

    The needs-reply probability is ``sigmoid(logit + question·q + request·r + cue·c)`` for the
    text's question, request and complaint-cue flags (``engagement.signals.cues``): a logistic
    stacker trained on support messages against ordinary posts.

    Attributes:
        logit: The stacker's bias plus its weighted model logits for this text.
        question: Weight of the question flag.
        request: Weight of the request flag.
        complaint_cue: Weight of the complaint-cue flag.
        threshold: Probability at or above which the text needs a reply.
    """

    logit: float
    question: float
    request: float
    complaint_cue: float
    threshold: float

    def probability(self, *, question: bool, request: bool, complaint_cue: bool) -> float:
        """P(needs a reply) given the text's flags."""
        z = self.logit + self.question * question + self.request * request
        z += self.complaint_cue * complaint_cue
        return 0.5 * (1.0 + math.tanh(0.5 * z))  # the sigmoid, without overflow

    def needs_reply(self, *, question: bool, request: bool, complaint_cue: bool) -> bool:
        """Whether the probability reaches the threshold."""
        p = self.probability(question=question, request=request, complaint_cue=complaint_cue)
        return p >= self.threshold


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
        reply: The needs-reply stacker's evidence, for English text, if the classifier has
            one; the signals fall back to a fixed rule over ``support`` otherwise, and for text
            in other languages (the stacker reads English-only heads and was fitted on an
            English corpus).
    """

    sentiment: tuple[float, float, float]
    complaint: float
    support: float
    complaint_threshold: float = 0.5
    support_threshold: float = 0.5
    complaint_other: float | None = None
    complaint_other_threshold: float = 0.5
    reply: ReplyEvidence | None = None

    @property
    def sentiment_label(self) -> Sentiment:
        """The most probable polarity."""
        best = max(range(3), key=self.sentiment.__getitem__)
        return Sentiment(best)

    @property
    def is_complaint(self) -> bool:
        """Whether ``complaint`` reaches its threshold, whatever the language.

        The signals use :meth:`complaint_in`, which picks ``complaint_other`` for text that
        is not in English.
        """
        return self.complaint >= self.complaint_threshold

    def complaint_in(self, language: str) -> tuple[float, float]:
        """``(probability, threshold)`` of a complaint for text in ``language``.

        Args:
            language: Primary subtag (``en``, ``fr``…), see :func:`reads_as_english`.
        """
        if self.complaint_other is None or reads_as_english(language):
            return self.complaint, self.complaint_threshold
        return self.complaint_other, self.complaint_other_threshold

    def reply_in(self, language: str) -> ReplyEvidence | None:
        """The needs-reply evidence for text in ``language`` (see :func:`reads_as_english`)."""
        return self.reply if reads_as_english(language) else None

    @property
    def is_support(self) -> bool:
        """Whether ``support`` reaches its threshold."""
        return self.support >= self.support_threshold


class TextClassifier(Protocol):
    """Anything that scores texts: the shipped linear models, an LLM, a test double."""

    def classify(self, texts: Sequence[str]) -> list[TextScores]:
        """Score each text (same order, same length); never raise on odd text."""
        ...
