"""Context signals computed across items: brand replies, relationship, repeats, spam."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import NamedTuple

from engagement.signals.spam import SpamAssessment, spam_likelihood, text_spam_cues
from engagement.triage._items import Item
from engagement.triage._params import TriageParams

__all__ = [
    "Context",
    "audience",
    "build_context",
    "relationship",
    "relationship_bonus",
    "spam_of",
]

_TEXT_KINDS = frozenset({"mention", "reply", "quote"})
_YOUNG = timedelta(days=30)
_CLEAN = SpamAssessment(0.0, ())


class Context(NamedTuple):
    """What triage knows beyond one item.

    Attributes:
        brand_authors: ``(platform, id)`` of the brand's own accounts.
        answered: Items the brand replied to on the platform (a brand reply in the thread).
        engagement: Interactions per author over the history window.
        repeats: How often each author sent each exact text in the window.
        history_start: Start of the history window.
        author_cues: Text spam cues seen in anything each author sent in the window (so a
            crypto-spammer's reposts are spam too).
    """

    brand_authors: frozenset[tuple[str, str]]
    answered: frozenset[tuple[str, str]]
    engagement: Counter[tuple[str, str]]
    repeats: Counter[tuple[str, str, str]]
    history_start: datetime
    author_cues: Mapping[tuple[str, str], tuple[str, ...]] = MappingProxyType({})


def build_context(
    items: Sequence[Item],
    params: TriageParams,
    now: datetime,
    brand_accounts: Collection[tuple[str, str]] = (),
) -> Context:
    """Derive the cross-item context from every item in the history window.

    Args:
        items: Interactions of the history window (older ones are ignored).
        params: Triage parameters.
        now: Current time (UTC).
        brand_accounts: ``(platform, account id)`` of the brand; the accounts items are
            addressed to are always included.
    """
    start = now - timedelta(days=params.history_days)
    brand = {(i.platform, i.account_id) for i in items} | set(brand_accounts)
    answered: set[tuple[str, str]] = set()
    engagement: Counter[tuple[str, str]] = Counter()
    repeats: Counter[tuple[str, str, str]] = Counter()
    cues: dict[tuple[str, str], tuple[str, ...]] = {}
    for item in items:
        author = (item.platform, item.author_id)
        if author in brand:
            if item.parent_id:
                answered.add((item.platform, item.parent_id))
            if item.root_id:
                answered.add((item.platform, item.root_id))
            continue
        if item.created_at < start:
            continue
        engagement[author] += 1
        if item.text and item.kind in _TEXT_KINDS:
            repeats[(item.platform, item.author_id, item.text.strip().lower())] += 1
            found = item.signals.spam_cues if item.signals else text_spam_cues(item.text)
            if found:
                cues[author] = tuple(dict.fromkeys((*cues.get(author, ()), *found)))
    return Context(frozenset(brand), frozenset(answered), engagement, repeats, start, cues)


def spam_of(item: Item, ctx: Context, now: datetime) -> SpamAssessment:
    """The spam likelihood of one item (author profile, text cues, repeated text)."""
    cues = item.signals.spam_cues if item.signals is not None else text_spam_cues(item.text)
    seen = ctx.author_cues.get((item.platform, item.author_id))
    if seen:
        cues = tuple(dict.fromkeys((*cues, *seen)))
    repeats = 1
    if item.text and item.kind in _TEXT_KINDS:
        repeats = ctx.repeats.get((item.platform, item.author_id, item.text.strip().lower()), 1)
    profile_known = item.followers is not None
    follows = item.follows or 0
    if (
        not cues
        and repeats < 3
        and (follows < 500 or follows <= 20 * ((item.followers or 0) + 1))
        and (item.author_created_at is None or now - item.author_created_at >= _YOUNG)
        and (item.has_avatar or item.bio.strip() or not profile_known)
        and item.posts != 0
    ):
        return _CLEAN  # fast path: no cue can fire (same result as spam_likelihood)
    return spam_likelihood(
        now=now,
        text_cues=cues,
        followers=item.followers,
        follows=item.follows,
        posts=item.posts,
        account_created_at=item.author_created_at,
        has_avatar=item.has_avatar if profile_known else None,
        bio=item.bio if profile_known else None,
        repeats=repeats,
    )


def audience(followers: int | None) -> str:
    """``1.2k followers``, ``45 followers`` or ``audience unknown``."""
    if followers is None:
        return "audience unknown"
    if followers >= 1_000_000:
        return f"{followers / 1_000_000:.1f}M followers"
    if followers >= 1_000:
        return f"{followers / 1_000:.1f}k followers"
    return f"{followers} follower{'s' if followers != 1 else ''}"


def relationship_bonus(item: Item, ctx: Context, params: TriageParams) -> float:
    """The urgency bonus of :func:`relationship` without its words: 0, 0.5 or 1."""
    count = ctx.engagement.get((item.platform, item.author_id), 0)
    if count >= params.top_engager_min:
        return 1.0
    seen_before = item.first_seen_at is not None and item.first_seen_at < ctx.history_start
    return 0.5 if count > 1 or seen_before else 0.0


def relationship(item: Item, ctx: Context, params: TriageParams) -> tuple[str, float]:
    """How the author relates to the brand, and the matching urgency bonus (0 to 1).

    Returns:
        ``("first time", 0)``, ``("returning (4 in 30 days)", 0.5)`` or
        ``("top engager (12 in 30 days)", 1)``.
    """
    bonus = relationship_bonus(item, ctx, params)
    if not bonus:
        return "first time", 0.0
    count = ctx.engagement.get((item.platform, item.author_id), 0)
    standing = "top engager" if bonus == 1.0 else "returning"
    return f"{standing} ({count} in {params.history_days} days)", bonus
