"""Everything the text alone says: language, question, request, complaint, sentiment, spam cues.

These signals depend on the text (and the platform's language tag) only, so they are computed
once per interaction and can be stored; the context signals (audience, relationship, waiting
time, already answered) are computed at triage time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from engagement.classifiers import Sentiment, TextClassifier, TextScores
from engagement.signals.cues import has_complaint_cue, is_question, is_request
from engagement.signals.language import detect_language
from engagement.signals.spam import text_spam_cues

__all__ = ["DEFAULT_RULE", "NeedsReplyRule", "TextSignals", "needs_reply", "text_signals"]

_MAX_TEXT = 5_000


class TextSignals(NamedTuple):
    """What one text says (a tuple, so 100,000 of them are cheap).

    Attributes:
        language: Primary language subtag or ``und``.
        question: Asks something.
        request: Asks the brand to do something.
        complaint: Complains (the classifier's decision).
        sentiment: 0 negative, 1 neutral, 2 positive.
        negative: P(negative).
        positive: P(positive).
        complaint_p: P(complaint).
        support_p: P(message to customer support).
        needs_reply: Belongs in to-answer if it arrives as a mention or reply.
        spam_cues: Text-only spam cues (``crypto/giveaway wording``, ``only a link``).
    """

    language: str
    question: bool
    request: bool
    complaint: bool
    sentiment: int
    negative: float
    positive: float
    complaint_p: float
    support_p: float
    needs_reply: bool
    spam_cues: tuple[str, ...] = ()

    @property
    def sentiment_label(self) -> Sentiment:
        """The sentiment as an enum."""
        return Sentiment(self.sentiment)


class NeedsReplyRule(NamedTuple):
    """The needs-reply rule for classifiers without a stacker (defaults chosen on train CV).

    The default classifier ships a needs-reply stacker for English text (``TextScores.reply``);
    this rule decides for text in other languages and for classifiers (an LLM, a test
    double) that give none.

    Attributes:
        support_threshold: ``support_p`` at or above which the text reads as a support message.
        question_support: A question needs a reply when ``support_p`` reaches this.
        complaint_support: A complaint needs a reply when ``support_p`` reaches this.
    """

    support_threshold: float = 0.5
    question_support: float = 0.25
    complaint_support: float = 0.2


DEFAULT_RULE = NeedsReplyRule()


def needs_reply(
    scores: TextScores,
    *,
    question: bool,
    request: bool,
    complaint: bool,
    language: str,
    complaint_cue: bool,
    rule: NeedsReplyRule = DEFAULT_RULE,
) -> bool:
    """The engine's decision "this belongs in to-answer" for a text arriving as a mention.

    Args:
        scores: The classifier's scores of the text.
        question: Whether the text asks something (``cues.is_question``).
        request: Whether it requests something (``cues.is_request``).
        complaint: The complaint signal; only the fixed rule reads it.
        language: The text's language (``und`` counts as English).
        complaint_cue: Whether the text has a complaint cue (``cues.has_complaint_cue``).
        rule: The fixed rule, used when the classifier gives no needs-reply evidence for
            ``language`` (text not in English, or a classifier without a stacker).

    Returns:
        Whether the text belongs in to-answer.
    """
    evidence = scores.reply_in(language)
    if evidence is not None:
        return evidence.needs_reply(question=question, request=request, complaint_cue=complaint_cue)
    if scores.support >= rule.support_threshold:
        return True
    if request:
        return True
    if question and scores.support >= rule.question_support:
        return True
    return complaint and scores.support >= rule.complaint_support


def text_signals(
    items: Sequence[tuple[str, str | None]],
    classifier: TextClassifier,
    rule: NeedsReplyRule = DEFAULT_RULE,
) -> list[TextSignals]:
    """Compute the text signals of many ``(text, platform_language_tag)`` pairs at once.

    Never raises on odd text: empty, emoji-only, link-only, very long (only the first 5,000
    characters are read) or mixed-language texts all get sensible signals.
    """
    texts = [(text or "")[:_MAX_TEXT] for text, _ in items]
    scored = classifier.classify(texts)
    out: list[TextSignals] = []
    for text, (_, tag), scores in zip(texts, items, scored, strict=True):
        question = is_question(text)
        request = is_request(text)
        language = detect_language(text, tag).code
        complaint_p, complaint_threshold = scores.complaint_in(language)
        cue = has_complaint_cue(text)
        complaint = complaint_p >= complaint_threshold or (cue and scores.sentiment[0] >= 0.5)
        out.append(
            TextSignals(
                language=language,
                question=question,
                request=request,
                complaint=complaint,
                sentiment=int(scores.sentiment_label),
                negative=round(scores.sentiment[0], 4),
                positive=round(scores.sentiment[2], 4),
                complaint_p=round(complaint_p, 4),
                support_p=round(scores.support, 4),
                needs_reply=needs_reply(
                    scores,
                    question=question,
                    request=request,
                    complaint=complaint,
                    language=language,
                    complaint_cue=cue,
                    rule=rule,
                ),
                spam_cues=text_spam_cues(text),
            )
        )
    return out
