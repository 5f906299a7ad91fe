"""To-thank: one line per person who shared, quoted, praised or followed in the period.

"@alice reposted 3 posts and quoted 1 this week". Spam accounts never appear, and a person
the team already thanked in the period is not suggested again.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import NamedTuple

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
    "RankedThank",
    "ThankCandidate",
    "ThankEntry",
    "explain_thank",
    "period_phrase",
    "rank_thank",
    "thank_candidates",
    "thank_kind",
    "thank_order",
    "thank_points",
    "thanked_authors",
    "to_thank",
]

# Thank-worthiness of each kind; praise is a mention/reply with positive sentiment.
_POINTS = {"repost": 3.0, "quote": 4.0, "follow": 2.0, "praise": 3.0, "like": 0.5}
_ORDER = ("repost", "quote", "praise", "like", "follow")


@dataclass(frozen=True, slots=True)
class ThankEntry:
    """One person to thank.

    Attributes:
        platform: Where they are.
        author_id: Their platform id.
        handle: Their handle.
        when: The period, as words (``this week``).
        counts: Interactions per kind (``repost``, ``quote``, ``praise``, ``like``, ``follow``).
        score: Thank-worthiness (higher first).
        reasons: Short reasons (audience, relationship).
        latest: Their newest interaction (to act on).
        item_ids: External ids of their interactions in the period, newest first.
    """

    platform: str
    author_id: str
    handle: str
    when: str
    counts: dict[str, int]
    score: float
    reasons: tuple[str, ...]
    latest: Item
    item_ids: tuple[str, ...]

    @property
    def line(self) -> str:
        """The summary (``@alice reposted 3 posts and quoted 1 this week``)."""
        return _line(self.handle, self.counts, self.when)

    def with_latest(self, latest: Item, item_ids: tuple[str, ...]) -> ThankEntry:
        """The same entry with its newest interaction and ids filled in (after ranking)."""
        return replace(self, latest=latest, item_ids=item_ids)


def period_phrase(period: timedelta) -> str:
    """``today``, ``this week`` or ``in the last 3 days``."""
    days = period.total_seconds() / 86_400
    if days <= 1.0:
        return "today"
    if 6.0 <= days <= 7.5:
        return "this week"
    return f"in the last {round(days)} days"


def _clause(kind: str, count: int, first: bool) -> str:
    if kind == "follow":
        return "followed you"
    if kind == "praise":
        return "praised you" if count == 1 else f"praised you {count} times"
    verb = {"repost": "reposted", "quote": "quoted", "like": "liked"}[kind]
    if first:
        return f"{verb} {count} post{'s' if count != 1 else ''}"
    return f"{verb} {count}"


def _line(handle: str, counts: dict[str, int], when: str) -> str:
    clauses = [
        _clause(kind, counts[kind], i == 0)
        for i, kind in enumerate(k for k in _ORDER if counts.get(k))
    ]
    body = clauses[0] if len(clauses) == 1 else ", ".join(clauses[:-1]) + " and " + clauses[-1]
    return f"@{handle} {body} {when}"


def thank_kind(item: Item) -> str | None:
    """What an interaction counts as for thanks (``praise`` is a positive plain mention)."""
    if item.kind in {"repost", "quote", "like", "follow"}:
        return item.kind
    sig = item.signals
    if item.kind not in {"mention", "reply"} or sig is None or sig.sentiment != 2:
        return None
    return None if sig.question or sig.complaint or sig.request else "praise"


class ThankCandidate(NamedTuple):
    """One person's thank-worthy interactions in the period (grouped, or aggregated in SQL).

    Attributes:
        latest: Their newest such interaction (it carries their profile).
        counts: Interactions per thank kind (``follow`` counts once).
        item_ids: External ids of the interactions, newest first.
    """

    latest: Item
    counts: dict[str, int]
    item_ids: tuple[str, ...]


def thank_candidates(
    items: Sequence[Item], ctx: Context, since: datetime, now: datetime
) -> list[ThankCandidate]:
    """Group the thank-worthy interactions of ``[since, now]`` per person."""
    groups: dict[tuple[str, str], list[tuple[str, Item]]] = {}
    for item in items:
        if not since <= item.created_at <= now:
            continue
        kind = thank_kind(item)
        if kind is None or (item.platform, item.author_id) in ctx.brand_authors:
            continue
        groups.setdefault((item.platform, item.author_id), []).append((kind, item))
    out: list[ThankCandidate] = []
    for group in groups.values():
        counts: dict[str, int] = {}
        for kind, _ in group:
            counts[kind] = 1 if kind == "follow" else counts.get(kind, 0) + 1
        ordered = sorted((it for _, it in group), key=lambda it: it.created_at, reverse=True)
        out.append(ThankCandidate(ordered[0], counts, tuple(it.external_id for it in ordered)))
    return out


def thanked_authors(
    state: HandledState, items: Sequence[Item], since: datetime, now: datetime
) -> frozenset[tuple[str, str]]:
    """People the team thanked (for any of ``items``) between ``since`` and ``now``."""
    thanked = {key for key, at in state.thanked_at.items() if since <= at <= now}
    return frozenset((it.platform, it.author_id) for it in items if it.key in thanked)


def thank_points(counts: dict[str, int]) -> float:
    """How thank-worthy a set of interactions is (a like 0.5, a repost 3, a quote 4…)."""
    points = 0.0
    for kind, n in counts.items():
        points += _POINTS.get(kind, 0.0) * n
    return points


class RankedThank(NamedTuple):
    """A person worth thanking, scored, before their entry is written.

    Attributes:
        candidate: Their grouped interactions.
        score: Thank-worthiness (higher first).
    """

    candidate: ThankCandidate
    score: float


def thank_order(ranked: RankedThank) -> tuple[float, str]:
    """The sort key of ranked people: most thank-worthy first, then by handle."""
    return (-ranked.score, ranked.candidate.latest.handle)


def rank_thank(
    candidates: Sequence[ThankCandidate],
    ctx: Context,
    params: TriageParams,
    now: datetime,
    thanked: Collection[tuple[str, str]] = (),
    *,
    ordered: bool = True,
) -> list[RankedThank]:
    """People to thank, best first, without their entries written yet.

    Args:
        candidates: Per-person groups (:func:`thank_candidates`, or aggregated in SQL).
        ctx: Cross-item context.
        params: Triage parameters.
        now: End of the period (UTC).
        thanked: People already thanked in the period (:func:`thanked_authors`): skipped.
        ordered: ``False`` leaves the list in no particular order (for a caller that only
            picks the first few, by :func:`thank_order`).
    """
    ranked: list[RankedThank] = []
    for cand in candidates:
        newest = cand.latest
        key = (newest.platform, newest.author_id)
        if key in thanked or key in ctx.brand_authors:
            continue
        points = thank_points(cand.counts)
        if points < params.thank_min_score:
            continue
        if spam_of(newest, ctx, now).score >= params.spam_threshold:
            continue
        score = points + 0.5 * math.log10((newest.followers or 0) + 1)
        bonus = relationship_bonus(newest, ctx, params)
        ranked.append(RankedThank(cand, round(score + bonus, 3)))
    if ordered:
        ranked.sort(key=thank_order)
    return ranked


def explain_thank(ranked: RankedThank, ctx: Context, params: TriageParams, when: str) -> ThankEntry:
    """The entry (one line and its reasons) of a ranked person; ``when`` names the period."""
    newest = ranked.candidate.latest
    label, _ = relationship(newest, ctx, params)
    return ThankEntry(
        platform=newest.platform,
        author_id=newest.author_id,
        handle=newest.handle,
        when=when,
        counts=dict(ranked.candidate.counts),
        score=ranked.score,
        reasons=(audience(newest.followers), label),
        latest=newest,
        item_ids=ranked.candidate.item_ids,
    )


def to_thank(
    candidates: Sequence[ThankCandidate],
    ctx: Context,
    params: TriageParams,
    now: datetime,
    since: datetime,
    thanked: Collection[tuple[str, str]] = (),
) -> list[ThankEntry]:
    """People to thank for what they did between ``since`` and ``now``, one line each.

    :func:`rank_thank` then :func:`explain_thank` on each.

    Args:
        candidates: Per-person groups (:func:`thank_candidates`, or aggregated in SQL).
        ctx: Cross-item context.
        params: Triage parameters.
        now: End of the period (UTC).
        since: Start of the period (UTC).
        thanked: People already thanked in the period (:func:`thanked_authors`): skipped.
    """
    when = period_phrase(now - since)
    ranked = rank_thank(candidates, ctx, params, now, thanked)
    return [explain_thank(r, ctx, params, when) for r in ranked]
