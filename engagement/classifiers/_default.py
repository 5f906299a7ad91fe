"""The default classifier: the shipped linear models, run on the CPU with numpy."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np

from engagement.classifiers._features import (
    Polarity,
    joined,
    normalize,
    strip_leading_mentions,
    tokens,
)
from engagement.classifiers._linear import Bundle, LinearModel, ModelFormatError, load_packaged
from engagement.classifiers._reply import ReplyStacker, logit, reply_stacker
from engagement.classifiers._types import ReplyEvidence, TextScores
from engagement.classifiers._wordvec import WordVectorHeads

__all__ = ["LinearClassifier", "default_classifier"]

_MAX_CACHE = 50_000
COMPLAINT_OUTPUTS = ("complaint", "complaint_if_support", "support_nb", "support")


class LinearClassifier:
    """Sentiment (softmax) and complaint/support (sigmoid) models over shared n-gram features.

    The texts (without the leading ``@handles`` of a reply) are tokenised once, and their
    features hashed and looked up a batch at a time in the merged vocabulary of both models
    (:class:`~engagement.classifiers._linear.Bundle`). Results are cached per text
    (bounded), so a digest re-scoring the same items costs nothing.

    Args:
        sentiment: The 3-class sentiment model (its lexicon feeds the dense features).
        complaint: A model with ``complaint``, ``complaint_if_support``, ``support_nb`` and
            ``support`` sigmoid outputs. A family's complaint score is the geometric mean of
            the direct head and P(support)·P(complaint | support), with the support head
            trained for that product (``support_nb``); ``support`` is the one the needs-reply
            rule reads.
        words: The same first three heads over static word vectors
            (:class:`~engagement.classifiers._wordvec.WordVectorHeads`); when given,
            P(complaint) is the geometric mean of both families' scores, with the threshold
            chosen for that combination, and the n-gram score alone is kept as
            ``complaint_other`` for text that is not in English (the word vectors come from
            an English encoder).
        reply: The needs-reply stacker for English text (needs ``words``); each text's
            scores then carry its :class:`~engagement.classifiers._types.ReplyEvidence`.
    """

    def __init__(
        self,
        sentiment: LinearModel,
        complaint: LinearModel,
        words: WordVectorHeads | None = None,
        reply: ReplyStacker | None = None,
    ) -> None:
        if sentiment.outputs != ("negative", "neutral", "positive"):
            raise ValueError(f"sentiment model outputs {sentiment.outputs}")
        if complaint.outputs != COMPLAINT_OUTPUTS:
            raise ValueError(f"complaint model outputs {complaint.outputs}")
        if words is not None and words.outputs != COMPLAINT_OUTPUTS[:3]:
            raise ValueError(f"word-vector heads outputs {words.outputs}")
        if reply is not None and words is None:
            raise ValueError("the needs-reply stacker reads the word-vector heads")
        self.sentiment = sentiment
        self.complaint = complaint
        self.words = words
        self._reply = reply
        self._complaint_threshold = complaint.thresholds.get("complaint", 0.5)
        self._ngrams_threshold = complaint.thresholds.get(
            "complaint_ngrams", self._complaint_threshold
        )
        self._support_threshold = complaint.thresholds.get("support", 0.5)
        self._bundle = Bundle((sentiment, complaint))
        self._polarity = Polarity(sentiment.lexicon)
        self._cache: dict[str, TextScores] = {}

    def classify(self, texts: Sequence[str]) -> list[TextScores]:
        """Score each text; empty or odd texts get the models' prior (bias-only) scores."""
        cache_ = self._cache
        missing = list(dict.fromkeys(t for t in texts if t not in cache_))
        if not missing:
            return [cache_[t] for t in texts]
        scored = dict(zip(missing, self._score(missing), strict=True))
        if len(cache_) + len(scored) > _MAX_CACHE:
            cache_.clear()
        keep = missing[-_MAX_CACHE:]  # never more than the cap, even from one large call
        cache_.update((t, scored[t]) for t in keep)
        return [scored[t] if t in scored else cache_[t] for t in texts]

    def clear_cache(self) -> None:
        """Forget cached results (benchmarks measure cold scoring)."""
        self._cache.clear()

    def _score(self, texts: Sequence[str]) -> list[TextScores]:
        polarity_of = self._polarity.scores
        token_lists = [tokens(normalize(strip_leading_mentions(text))) for text in texts]
        lines = [joined(toks) for toks in token_lists]
        polarity = [polarity_of(toks) for toks in token_lists]
        sentiment, complaint = self._bundle.probabilities(
            lines, (np.asarray(polarity, dtype=np.float64).reshape(len(texts), 3), None)
        )
        direct, conditional, support_nb, support = complaint.T
        ngrams = np.sqrt(direct * conditional * support_nb)
        c_threshold, s_threshold = self._complaint_threshold, self._support_threshold
        n_threshold = self._ngrams_threshold
        if self.words is None:  # the n-gram heads alone, at their own threshold
            return [
                TextScores((neg, neu, pos), c, s, n_threshold, s_threshold)
                for (neg, neu, pos), c, s in zip(
                    sentiment.tolist(), ngrams.tolist(), support.tolist(), strict=True
                )
            ]
        w_direct, w_conditional, w_support = self.words.probabilities(token_lists).T
        combined = np.sqrt(ngrams * np.sqrt(w_direct * w_conditional * w_support))
        reply: list[ReplyEvidence | None] = [None] * len(texts)
        if self._reply is not None:
            inputs = (logit(support), logit(support_nb), logit(w_support), logit(combined))
            reply = list(self._reply.evidence(inputs))
        return [
            TextScores(
                sentiment=(neg, neu, pos),
                complaint=c,
                support=s,
                complaint_threshold=c_threshold,
                support_threshold=s_threshold,
                complaint_other=o,
                complaint_other_threshold=n_threshold,
                reply=r,
            )
            for (neg, neu, pos), c, s, o, r in zip(
                sentiment.tolist(),
                combined.tolist(),
                support.tolist(),
                ngrams.tolist(),
                reply,
                strict=True,
            )
        ]


@cache
def default_classifier() -> LinearClassifier:
    """The shipped models, loaded once per process (about a second, then cached).

    Raises:
        ModelFormatError: When the packaged model files are missing or corrupt.
    """
    complaint = load_packaged("complaint.json.gz")
    words = _word_heads(complaint.get("word_vectors"))
    reply = reply_stacker(complaint.get("needs_reply"))
    if reply is not None and words is None:
        raise ModelFormatError("complaint model: needs_reply without word_vectors")
    return LinearClassifier(
        LinearModel.from_dict(load_packaged("sentiment.json.gz")),
        LinearModel.from_dict(complaint),
        words,
        reply,
    )


def _word_heads(entry: Any) -> WordVectorHeads | None:
    """The word-vector heads a complaint model names, checked against its recorded digest."""
    if entry is None:
        return None
    if not isinstance(entry, dict) or not all(
        isinstance(entry.get(k), str) for k in ("file", "sha256")
    ):
        raise ModelFormatError("complaint model: word_vectors needs a 'file' and its 'sha256'")
    return WordVectorHeads.from_package(entry["file"], sha256=entry["sha256"])
