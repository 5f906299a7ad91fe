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
from functools import cache
from typing import NamedTuple

from engagement.signals.cues import has_complaint_cue, is_question, is_request
from engagement.triage._context import (
    Context,
    audience,
    relationship,
    relationship_bonus,
    spam_of,
)
from engagement.triage._items import HandledState, Item
from engagement.triage._params import TriageParams

__all__ = [
    "AnswerEntry",
    "RankedAnswer",
    "answer_order",
    "explain_answer",
    "format_wait",
    "is_open",
    "rank_answer",
    "sla_flag",
    "to_answer",
]

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
    return _sla(question, waiting.total_seconds() / 3600, params)


def _sla(question: bool, hours: float, params: TriageParams) -> str | None:
    if hours >= params.sla_breach_hours:
        return _flags(params.sla_breach_hours)
    if hours >= params.sla_any_hours:
        return _flags(params.sla_any_hours)
    if question and hours >= params.sla_question_hours:
        return _flags(params.sla_question_hours)
    return None


@cache
def _flags(hours: float) -> str:
    return f">{hours:g}h"


def _what(item: Item) -> tuple[str, bool, bool, bool]:
    """(what, needs reply, negative, question) from stored signals or, failing them, the cues.

    ``what`` names the most pressing reading (a complaint that asks something is shown as a
    complaint); ``question`` still says whether it asks, for the question service level.
    """
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
    return what, needs or question or request or complaint, negative, question


def is_open(item: Item, state: HandledState, ctx: Context, now: datetime) -> bool:
    """Whether nobody handled the item yet (in Discord, on the platform, or by a snooze)."""
    key = (item.platform, item.external_id)
    if key in state.closed or key in ctx.answered:
        return False
    until = state.snoozed.get(key)
    return until is None or until <= now


class RankedAnswer(NamedTuple):
    """An open comment scored for urgency, before its reasons are written.

    Attributes:
        item: The interaction.
        score: Urgency (higher first).
        what: ``complaint``, ``question``, ``request`` or ``comment``.
        negative: Whether it reads negative.
        waiting: How long it has waited.
        sla: ``>1h`` (question), ``>24h`` or ``>72h`` (breach), or ``None``.
    """

    item: Item
    score: float
    what: str
    negative: bool
    waiting: timedelta
    sla: str | None


def answer_order(ranked: RankedAnswer) -> tuple[float, datetime]:
    """The sort key of ranked comments: most urgent first, then the oldest."""
    return (-ranked.score, ranked.item.created_at)


def rank_answer(
    items: Sequence[Item],
    state: HandledState,
    ctx: Context,
    params: TriageParams,
    now: datetime,
    *,
    ordered: bool = True,
) -> list[RankedAnswer]:
    """Every open comment that deserves a reply, most urgent first, without reasons yet.

    Handled (answered, done, dismissed, thanked), snoozed, brand-authored and spam items
    drop out, as do kinds without text and kinds not known yet. :func:`explain_answer`
    writes the reasons of the few entries shown. With ``ordered=False`` the list is left
    in no particular order (for a caller that only picks the first few, by
    :func:`answer_order`).
    """
    weights = {
        "complaint": params.w_complaint,
        "question": params.w_question,
        "request": params.w_request,
        "comment": params.w_other,
    }
    breach = f">{params.sla_breach_hours:g}h"
    brand, threshold, zero = ctx.brand_authors, params.spam_threshold, timedelta(0)
    ranked: list[RankedAnswer] = []
    for item in items:
        if item.kind not in _ANSWER_KINDS or not item.text.strip():
            continue
        if (item.platform, item.author_id) in brand:
            continue
        what, needs, negative, question = _what(item)
        if not needs or not is_open(item, state, ctx, now):
            continue
        if spam_of(item, ctx, now).score >= threshold:
            continue
        waiting = max(now - item.created_at, zero)
        hours = waiting.total_seconds() / 3600
        sla = _sla(question, hours, params)  # a complaint that asks is a question too
        score = weights[what]
        if negative:
            score += params.w_negative
        followers = item.followers or 0
        score += params.w_audience * math.log10(followers + 1)
        if followers >= params.large_account_followers:
            score += params.w_large
        if item.verified:
            score += params.w_verified
        score += params.w_relationship * relationship_bonus(item, ctx, params)
        score += params.w_waiting * math.log2(1 + hours)
        if sla is not None:
            score += params.w_breach if sla == breach else params.w_sla
        ranked.append(RankedAnswer(item, round(score, 3), what, negative, waiting, sla))
    if ordered:
        ranked.sort(key=answer_order)
    return ranked


def explain_answer(ranked: RankedAnswer, ctx: Context, params: TriageParams) -> AnswerEntry:
    """The entry of one ranked comment, with its reasons (most important first)."""
    item = ranked.item
    reasons = [f"{ranked.what}, negative" if ranked.negative else ranked.what]
    who = audience(item.followers)
    if (item.followers or 0) >= params.large_account_followers:
        who = f"large account ({who})"
    if item.verified:
        who += ", verified"
    label, _ = relationship(item, ctx, params)
    reasons += (who, label, f"waiting {format_wait(ranked.waiting)}")
    if ranked.sla is not None:
        reasons.append(_sla_reason(ranked.sla, params))
    if item.signals is not None and item.signals.language in _LANGUAGE_NAMES:
        reasons.append(f"in {_LANGUAGE_NAMES[item.signals.language]}")
    return AnswerEntry(item, ranked.score, ranked.what, tuple(reasons), ranked.waiting, ranked.sla)


def to_answer(
    items: Sequence[Item],
    state: HandledState,
    ctx: Context,
    params: TriageParams,
    now: datetime,
) -> list[AnswerEntry]:
    """Every open comment that deserves a reply, most urgent first, each with its reasons.

    :func:`rank_answer` then :func:`explain_answer` on each.
    """
    return [explain_answer(r, ctx, params) for r in rank_answer(items, state, ctx, params, now)]


def _sla_reason(sla: str, params: TriageParams) -> str:
    if sla == f">{params.sla_breach_hours:g}h":
        return f"breach: unanswered {sla}"
    if sla == f">{params.sla_any_hours:g}h":
        return f"unanswered {sla}"
    return f"question unanswered {sla}"
