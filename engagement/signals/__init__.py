"""Signals per interaction: what the text says and what the context says.

Text signals (:func:`text_signals`: language, question, request, complaint, sentiment,
needs-reply, spam cues) depend on the text only and are computed once; context signals
(audience, relationship, already answered, waiting time, spam likelihood of the author) are
computed at triage time by :mod:`engagement.triage`.
"""

from __future__ import annotations

from engagement.signals.cues import has_complaint_cue, is_question, is_request
from engagement.signals.language import LanguageGuess, detect_language, primary_tag
from engagement.signals.spam import SpamAssessment, is_link_only, spam_likelihood, text_spam_cues
from engagement.signals.text import (
    DEFAULT_RULE,
    NeedsReplyRule,
    TextSignals,
    needs_reply,
    text_signals,
)

__all__ = [
    "DEFAULT_RULE",
    "LanguageGuess",
    "NeedsReplyRule",
    "SpamAssessment",
    "TextSignals",
    "detect_language",
    "has_complaint_cue",
    "is_link_only",
    "is_question",
    "is_request",
    "needs_reply",
    "primary_tag",
    "spam_likelihood",
    "text_signals",
    "text_spam_cues",
]
