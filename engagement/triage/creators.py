"""Creators to engage: people with an audience whom the team has never engaged.

They engage with the brand (or talk about its topics); each comes with a suggested action.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import NamedTuple

from engagement.triage._context import Context, audience, spam_of
from engagement.triage._items import HandledState, Item
from engagement.triage._params import TriageParams

__all__ = [
    "CreatorCandidate",
    "CreatorEntry",
    "creator_candidates",
    "suggest_action",
    "to_engage",
]


@dataclass(frozen=True, slots=True)
class CreatorEntry:
    """One creator to engage.

    Attributes:
        platform: Where they are.
        author_id: Their platform id.
        handle: Their handle.
        followers: Their audience.
        interactions: How often they engaged in the history window.
        action: Suggested action (``reply to their quote``, ``follow back``…).
        score: Priority (higher first).
        reasons: Short reasons.
        latest: Their most recent interaction (the one to act on).
    """

    platform: str
    author_id: str
    handle: str
    followers: int
    interactions: int
    action: str
    score: float
    reasons: tuple[str, ...]
    latest: Item


@cache
def _topic_pattern(topic: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)#?" + re.escape(topic) + r"(?!\w)", re.IGNORECASE)


def suggest_action(kinds: set[str]) -> str:
    """What to do for a creator who did ``kinds`` (most engaging gesture first)."""
    if "quote" in kinds:
        return "reply to their quote"
    if "mention" in kinds or "reply" in kinds:
        return "reply to their post"
    if "repost" in kinds:
        return "thank them for sharing and follow"
    if "follow" in kinds:
        return "follow back"
    return "follow and comment on one of their posts"


class CreatorCandidate(NamedTuple):
    """A creator's interactions in the history window.

    Attributes:
        latest: Their newest interaction (it carries their profile).
        interactions: How many interactions.
        kinds: Which kinds.
        texts: The texts they wrote (for topic matching).
    """

    latest: Item
    interactions: int
    kinds: frozenset[str]
    texts: tuple[str, ...]


def creator_candidates(
    items: Sequence[Item],
    state: HandledState,
    ctx: Context,
    params: TriageParams,
    now: datetime,
) -> list[CreatorCandidate]:
    """Group the history window per author, keeping creators the team never engaged.

    A creator has at least ``creator_min_followers`` followers, is not the brand, the team
    never acted on any of their interactions and the brand never replied to them.
    """
    by_author: dict[tuple[str, str], list[Item]] = {}
    for item in items:
        if item.created_at < ctx.history_start or item.created_at > now:
            continue
        if (item.followers or 0) < params.creator_min_followers:
            continue
        if (item.platform, item.author_id) in ctx.brand_authors:
            continue
        by_author.setdefault((item.platform, item.author_id), []).append(item)
    out: list[CreatorCandidate] = []
    for group in by_author.values():
        if any(it.key in state.acted_on or it.key in ctx.answered for it in group):
            continue
        latest = max(group, key=lambda it: it.created_at)
        texts = tuple(it.text for it in group if it.text)
        out.append(CreatorCandidate(latest, len(group), frozenset(it.kind for it in group), texts))
    return out


def to_engage(
    candidates: Sequence[CreatorCandidate],
    ctx: Context,
    params: TriageParams,
    now: datetime,
) -> list[CreatorEntry]:
    """Creators to engage, best first, each with a suggested action and reasons."""
    entries: list[CreatorEntry] = []
    for cand in candidates:
        latest = cand.latest
        if spam_of(latest, ctx, now).score >= params.spam_threshold:
            continue
        followers = latest.followers or 0
        count = cand.interactions
        score = math.log10(followers + 1) + 0.5 * min(count, 10)
        reasons = [audience(followers), f"engaged {count}× in {params.history_days} days"]
        topics = [t for t in params.topics if any(_topic_pattern(t).search(x) for x in cand.texts)]
        if topics:
            score += 1.5
            reasons.append("talks about " + ", ".join(topics))
        if latest.first_followers is not None and followers > latest.first_followers:
            growth = followers - latest.first_followers
            score += min(math.log10(growth + 1) / 2, 1.0)
            reasons.append(f"+{growth:,} followers since first seen")
        if latest.verified:
            score += 0.5
            reasons.append("verified")
        reasons.append("never engaged by the team")
        entries.append(
            CreatorEntry(
                platform=latest.platform,
                author_id=latest.author_id,
                handle=latest.handle,
                followers=followers,
                interactions=count,
                action=suggest_action(set(cand.kinds)),
                score=round(score, 3),
                reasons=tuple(reasons),
                latest=latest,
            )
        )
    entries.sort(key=lambda e: (-e.score, e.handle))
    return entries
