"""To-answer: comments that deserve a public reply, ranked by urgency, each with its reasons.

Urgency adds up what it is (complaint > question > request > other), who asks (audience,
large or verified account, relationship), and how long they have waited, with service-level
flags: a question unanswered after 1 h, anything after 24 h, and a breach after 72 h.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from engagement.signals.cues import has_complaint_cue, is_question, is_request
from engagement.triage._context import Context, audience, relationship, spam_of
from engagement.triage._items import HandledState, Item
from engagement.triage._params import TriageParams

__all__ = ["AnswerEntry", "format_wait", "is_open", "sla_flag", "to_answer"]

_ANSWER_KINDS = frozenset({"mention", "reply", "quote"})
_LANGUAGE_NAMES = {"fr": "French", "en": "English", "de": "German", "es": "Spanish"}


@dataclass(frozen=True, slots=True)
class AnswerEntry:
    """One comment to answer.

    Attributes:
        item: The interaction.
        score: Urgency (higher first).
        what: ``complaint``, ``question``, ``request`` or ``comment``.
        reasons: Why it is here, most important first, short enough to read at a glance.
        waiting: How long it has waited.
        sla: ``>1h`` (question), ``>24h`` or ``>72h`` (breach), or ``None``.
    """

    item: Item
    score: float
    what: str
    reasons: tuple[str, ...]
    waiting: timedelta
    sla: str | None

    @property
    def breach(self) -> bool:
        """Whether the item waited past the breach threshold."""
        return self.sla == ">72h"


def format_wait(waiting: timedelta) -> str:
    """``12 min``, ``3 h``, ``2 d 4 h``."""
    minutes = max(int(waiting.total_seconds() // 60), 0)
    if minutes < 60:
        return f"{minutes} min"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h"
    return f"{hours // 24} d {hours % 24} h"


def sla_flag(question: bool, waiting: timedelta, params: TriageParams) -> str | None:
    """The service-level flag raised by an item that has waited ``waiting``."""
    hours = waiting.total_seconds() / 3600
    if hours >= params.sla_breach_hours:
        return f">{params.sla_breach_hours:g}h"
    if hours >= params.sla_any_hours:
        return f">{params.sla_any_hours:g}h"
    if question and hours >= params.sla_question_hours:
        return f">{params.sla_question_hours:g}h"
    return None


def _what(item: Item) -> tuple[str, bool, bool]:
    """(what, needs reply, negative) from stored signals or, when missing, from the cues."""
    sig = item.signals
    if sig is not None:
        question, request, complaint = sig.question, sig.request, sig.complaint
        needs, negative = sig.needs_reply, sig.sentiment == 0
    else:
        question, request = is_question(item.text), is_request(item.text)
        complaint = has_complaint_cue(item.text)
        needs, negative = question or request or complaint, complaint
    if item.kind == "quote":  # a quote is commentary unless it asks or complains
        needs = question or request or complaint
    what = (
        "complaint"
        if complaint
        else "question"
        if question
        else "request"
        if request
        else "comment"
    )
    return what, needs or question or request or complaint, negative


def is_open(item: Item, state: HandledState, ctx: Context, now: datetime) -> bool:
    """Whether nobody handled the item yet (in Discord, on the platform, or by a snooze)."""
    key = (item.platform, item.external_id)
    if key in state.closed or key in ctx.answered:
        return False
    until = state.snoozed.get(key)
    return until is None or until <= now


def to_answer(
    items: Sequence[Item],
    state: HandledState,
    ctx: Context,
    params: TriageParams,
    now: datetime,
) -> list[AnswerEntry]:
    """Every open comment that deserves a reply, most urgent first.

    Handled (answered, done, dismissed, thanked), snoozed, brand-authored and spam items
    drop out, as do kinds without text and kinds not known yet.
    """
    weights = {
        "complaint": params.w_complaint,
        "question": params.w_question,
        "request": params.w_request,
        "comment": params.w_other,
    }
    entries: list[AnswerEntry] = []
    for item in items:
        if item.kind not in _ANSWER_KINDS or not item.text.strip():
            continue
        if (item.platform, item.author_id) in ctx.brand_authors:
            continue
        what, needs, negative = _what(item)
        if not needs or not is_open(item, state, ctx, now):
            continue
        spam = spam_of(item, ctx, now)
        if spam.score >= params.spam_threshold:
            continue
        waiting = max(now - item.created_at, timedelta(0))
        sla = sla_flag(what == "question", waiting, params)
        score = weights[what]
        reasons = [what]
        if negative:
            score += params.w_negative
            reasons[0] = f"{what}, negative"
        followers = item.followers or 0
        score += params.w_audience * math.log10(followers + 1)
        who = audience(item.followers)
        if followers >= params.large_account_followers:
            score += params.w_large
            who = f"large account ({who})"
        if item.verified:
            score += params.w_verified
            who += ", verified"
        reasons.append(who)
        label, bonus = relationship(item, ctx, params)
        score += params.w_relationship * bonus
        reasons.append(label)
        hours = waiting.total_seconds() / 3600
        score += params.w_waiting * math.log2(1 + hours)
        reasons.append(f"waiting {format_wait(waiting)}")
        if sla is not None:
            score += params.w_breach if sla == f">{params.sla_breach_hours:g}h" else params.w_sla
            reasons.append(_sla_reason(sla, params))
        if item.signals is not None and item.signals.language in _LANGUAGE_NAMES:
            reasons.append(f"in {_LANGUAGE_NAMES[item.signals.language]}")
        entries.append(AnswerEntry(item, round(score, 3), what, tuple(reasons), waiting, sla))
    entries.sort(key=lambda e: (-e.score, e.item.created_at))
    return entries


def _sla_reason(sla: str, params: TriageParams) -> str:
    if sla == f">{params.sla_breach_hours:g}h":
        return f"breach: unanswered {sla}"
    if sla == f">{params.sla_any_hours:g}h":
        return f"unanswered {sla}"
    return f"question unanswered {sla}"
