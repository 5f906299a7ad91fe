"""Sort items into digest sections with reasons, and compute headline figures.

A small, explainable stand-in until the engagement engine's triage lands: it only uses the
pure drafting signals (intent, language) and author audience.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from cogs.ports import Card, Figure, ItemState, ItemStatus, Section
from engagement.drafting import Intent, detect_language, infer_intent
from engagement.models import ActionKind, ActionRecord, ActionStatus, InteractionKind
from engagement.models import InteractionRecord as Record

URGENT_INTENTS = frozenset({Intent.QUESTION, Intent.COMPLAINT})
_SLA = (
    (timedelta(hours=72), ">72 h"),
    (timedelta(hours=24), ">24 h"),
    (timedelta(hours=1), ">1 h"),
)


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Audience thresholds.

    Attributes:
        large_account: Followers from which an author is a large account (urgent).
        creator: Followers from which an author is a creator to engage.
    """

    large_account: int = 10_000
    creator: int = 2_000


def language_of(item: Record) -> str:
    """The item's language: the platform's tag, else detected, else English."""
    return item.language or detect_language(item.text) or "en"


def intent_of(item: Record) -> Intent:
    """What a reply to the item would do."""
    kind = item.known_kind
    if kind is InteractionKind.REPOST:
        return Intent.REPOST
    if kind is InteractionKind.FOLLOW:
        return Intent.FOLLOW
    intent = infer_intent(item.text, language_of(item)) if item.text else Intent.PRAISE
    if kind is InteractionKind.QUOTE and intent not in URGENT_INTENTS:
        return Intent.QUOTE
    return intent


def breach_of(waiting: timedelta) -> str | None:
    """The service-level target an unanswered item breaches, if any."""
    for limit, label in _SLA:
        if waiting > limit:
            return label
    return None


def classify(item: Record, thresholds: Thresholds) -> tuple[Section | None, tuple[str, ...]]:
    """The section of an item and why (``None``: not worth a card, e.g. a single like)."""
    kind = item.known_kind
    followers = item.author.followers_count or 0
    reasons: list[str] = []
    intent = intent_of(item)
    if intent in URGENT_INTENTS:
        reasons.append(intent.value)
    if followers >= thresholds.large_account:
        reasons.append(f"large account ({followers:,} followers)".replace(",", " "))
    if kind is not None and kind.has_text and kind is not InteractionKind.QUOTE:
        reasons.append(f"{kind.value} waiting for an answer")
        return Section.ANSWER, tuple(reasons)
    if kind is InteractionKind.QUOTE and intent in URGENT_INTENTS:
        return Section.ANSWER, tuple(reasons)
    if followers >= thresholds.creator and kind in {InteractionKind.QUOTE, InteractionKind.REPOST}:
        reasons.append(f"creator shared your post ({kind.value})")
        return Section.CREATORS, tuple(reasons)
    if kind in {InteractionKind.QUOTE, InteractionKind.REPOST, InteractionKind.FOLLOW}:
        reasons.append(
            {"quote": "quoted you", "repost": "shared your post"}.get(kind, "followed you")
        )
        return Section.THANK, tuple(reasons)
    return None, ()


def is_urgent(item: Record, thresholds: Thresholds) -> bool:
    """A question or complaint from a large account cannot wait for the digest."""
    kind = item.known_kind
    return (
        kind is not None
        and kind.has_text
        and (item.author.followers_count or 0) >= thresholds.large_account
        and intent_of(item) in URGENT_INTENTS
    )


def make_card(item: Record, state: ItemState, now: datetime, thresholds: Thresholds) -> Card | None:
    """The card of an item, or ``None`` if it belongs to no section."""
    section, reasons = classify(item, thresholds)
    if section is None:
        return None
    end = state.at if state.status.is_closed and state.at else now
    waiting = max(timedelta(0), end - item.created_at)
    breach = breach_of(waiting) if section is Section.ANSWER else None
    return Card(item, section, reasons, waiting, state, breach=breach)


def _first_replies(
    items: Sequence[Record], actions: Mapping[tuple[str, str], Sequence[ActionRecord]]
) -> list[timedelta]:
    delays = []
    for item in items:
        for action in actions.get((item.platform.value, item.external_id), ()):
            if action.kind is ActionKind.ANSWERED and action.status is ActionStatus.CONFIRMED:
                delays.append((action.completed_at or action.created_at) - item.created_at)
                break
    return delays


def _delta(now: float, before: float) -> str:
    diff = now - before
    return f"{diff:+.0f} vs previous day"


def figures(
    current: Sequence[Record],
    previous: Sequence[Record],
    actions: Mapping[tuple[str, str], Sequence[ActionRecord]],
    open_answer: int,
) -> tuple[Figure, ...]:
    """Headline figures of a day against the day before."""
    needs = [i for i in current if (k := i.known_kind) is not None and k.has_text]
    needs_before = [i for i in previous if (k := i.known_kind) is not None and k.has_text]
    answered = _first_replies(needs, actions)
    answered_before = _first_replies(needs_before, actions)
    median = (
        f"{statistics.median(d.total_seconds() for d in answered) / 60:.0f} min"
        if answered
        else "—"
    )
    return (
        Figure("Interactions", str(len(current)), _delta(len(current), len(previous))),
        Figure("Comments", str(len(needs)), _delta(len(needs), len(needs_before))),
        Figure("Answered", str(len(answered)), _delta(len(answered), len(answered_before))),
        Figure("Still to answer", str(open_answer)),
        Figure("Median first reply", median),
    )


def open_states() -> frozenset[ItemStatus]:
    """Statuses that keep an item in the digest."""
    return frozenset({ItemStatus.OPEN, ItemStatus.CLAIMED})
