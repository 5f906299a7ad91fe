"""Per-person aggregates of the digest, read in one pass over the per-author index.

For every person of the history window: how often they engaged (their relationship), and
for the period, their thank-worthy interactions per kind (reposts, quotes, likes, a follow,
praise) with their profile. One ``GROUP BY`` over ``ix_interactions_author_created`` (praise
also reads the stored signals of mentions and replies) instead of one query per figure.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import and_, func, not_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage._triage_queries import _A, _I, SIGNALS, _dt, scan_created_at, scoped

__all__ = ["People", "is_praise", "load_people"]

_Key = tuple[str, str]
_PLAIN = ("mention", "reply")


class People(NamedTuple):
    """What the digest knows of each person.

    Attributes:
        engagement: Interactions per person in the history window (a brand account's own
            posts included: brand accounts are never ranked).
        thanks: Per person with thank-worthy interactions in the period (brand accounts too,
            for the caller to leave out): the count per kind
            (``repost``, ``quote``, ``like``, ``follow`` once, ``praise``) and their profile
            (the columns of :func:`profile_columns`).
    """

    engagement: Counter[_Key]
    thanks: dict[_Key, tuple[dict[str, int], Sequence[Any]]]


def is_praise() -> Any:
    """A positive plain mention or reply that asks, requests and complains nothing."""
    s = SIGNALS.c
    return and_(
        _I.c.kind.in_(_PLAIN),
        s.sentiment == 2,
        not_(s.question),
        not_(s.complaint),
        not_(s.request),
    )


def profile_columns(sqlite: bool) -> tuple[Any, ...]:
    """A person's profile as ranking reads it (see :func:`storage._triage_thank.stand_in`)."""
    return (
        _A.c.handle,
        _A.c.followers_count,
        _A.c.follows_count,
        _A.c.posts_count,
        _dt(_A.c.account_created_at, sqlite),
        _A.c.avatar_url.is_not(None),
        _A.c.description,
        _A.c.verified,
        _A.c.first_followers_count,
        _dt(_A.c.first_seen_at, sqlite),
    )


async def load_people(
    session: AsyncSession,
    sqlite: bool,
    *,
    history: datetime,
    since: datetime,
    now: datetime,
    accounts: Collection[_Key],
) -> People:
    """Engagement over ``[history, …)`` and thank-worthy counts over ``[since, now]``.

    Args:
        session: The session to read in.
        sqlite: Whether the database is SQLite.
        history: Start of the history window (UTC); not after ``since``.
        since: Start of the period (UTC).
        now: End of the period (UTC).
        accounts: ``(platform, account id)`` to cover; empty means every account.
    """
    created = scan_created_at(sqlite)
    kind = _I.c.kind
    # A row whose author is the account it is addressed to is the brand's own: counted, but
    # a brand account is never ranked, so nobody reads its counts (and the filter is saved).
    period = and_(created >= since, created <= now)

    def count(condition: Any) -> Any:
        return func.count().filter(condition)

    groups = scoped(
        select(
            _I.c.platform.label("platform"),
            _I.c.author_id.label("author_id"),
            func.count().label("engaged"),
            # the kind first: SQLite stops there for most rows (it is an index column)
            count(and_(kind == "repost", period)).label("repost"),
            count(and_(kind == "quote", period)).label("quote"),
            count(and_(kind == "like", period)).label("like"),
            count(and_(kind == "follow", period)).label("follow"),
            count(and_(is_praise(), period)).label("praise"),
        )
        .select_from(
            _I.outerjoin(SIGNALS, and_(SIGNALS.c.interaction_id == _I.c.id, kind.in_(_PLAIN)))
        )
        .where(created >= history)
        .group_by(_I.c.platform, _I.c.author_id),
        accounts,
    ).subquery()
    g = groups.c
    thankful = (g.repost + g.quote + g.like + g.follow + g.praise) > 0
    stmt = select(
        g.platform,
        g.author_id,
        g.engaged,
        g.repost,
        g.quote,
        g.like,
        g.follow,
        g.praise,
        *profile_columns(sqlite),
    ).select_from(
        groups.outerjoin(
            _A, and_(_A.c.platform == g.platform, _A.c.platform_id == g.author_id, thankful)
        )
    )
    engagement: Counter[_Key] = Counter()
    thanks: dict[_Key, tuple[dict[str, int], Sequence[Any]]] = {}
    for r in (await session.execute(stmt)).all():
        key = (r[0], r[1])
        if r[2]:
            engagement[key] = int(r[2])
        if r[8] is None:  # no thank-worthy interaction in the period: no profile joined
            continue
        counts: dict[str, int] = {}
        if r[3]:
            counts["repost"] = int(r[3])
        if r[4]:
            counts["quote"] = int(r[4])
        if r[5]:
            counts["like"] = int(r[5])
        if r[6]:
            counts["follow"] = 1
        if r[7]:
            counts["praise"] = int(r[7])
        thanks[key] = (counts, r[8:])
    return People(engagement, thanks)
