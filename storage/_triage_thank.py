"""The digest's to-thank section, read to scale: one aggregated row per person.

Counts per kind come from a ``GROUP BY`` on the ``ix_interactions_author_created`` index
(praise, which needs the text signals, from a small query of its own). Each person is
ranked on a light stand-in item that carries their profile; only the people shown, and
the few whose spam score could depend on their newest text, are completed with their real
interactions. The ranking itself is the engine's :func:`~engagement.triage.rank_thank`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, not_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from engagement.digest import Section, thank_section
from engagement.models import ActionKind, ActionStatus
from engagement.triage import (
    Context,
    Item,
    ThankCandidate,
    ThankEntry,
    TriageParams,
    rank_thank,
)
from storage._tables import ActionRow
from storage._triage_queries import (
    _A,
    _I,
    SIGNALS,
    _dt,
    _item,
    _item_select,
    _parse,
    keys_in,
    scan_created_at,
    scoped,
)

__all__ = ["load_thank"]

_KINDS = ("repost", "quote", "like", "follow")
_CHUNK = 400
_Key = tuple[str, str]


def _is_praise() -> Any:
    """A positive plain mention or reply that asks, requests and complains nothing."""
    s = SIGNALS.c
    return and_(
        _I.c.kind.in_(("mention", "reply")),
        s.sentiment == 2,
        not_(s.question),
        not_(s.complaint),
        not_(s.request),
    )


def _profile_columns(sqlite: bool) -> tuple[Any, ...]:
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


def _stand_in(platform: str, author_id: str, profile: Sequence[Any], now: datetime) -> Item:
    """An item holding only a person's profile (ranking reads nothing else of it)."""
    return Item(
        platform, "", "", "", author_id, profile[0], "", profile[1], profile[2], profile[3],
        _parse(profile[4]), bool(profile[5]), profile[6] or "", bool(profile[7]), profile[8],
        _parse(profile[9]), "", now, None, None, None, None,
    )  # fmt: skip


async def _counts(
    session: AsyncSession, period: Any, sqlite: bool, accounts: Collection[_Key]
) -> dict[_Key, tuple[dict[str, int], Sequence[Any] | None]]:
    """Thank-worthy interactions per person and kind, with the person's profile."""
    kind = _I.c.kind

    def n(name: str) -> Any:
        return func.sum(case((kind == name, 1), else_=0)).label(name)

    groups = scoped(
        select(
            _I.c.platform.label("platform"),
            _I.c.author_id.label("author_id"),
            *(n(name) for name in ("repost", "quote", "like")),
            func.max(case((kind == "follow", 1), else_=0)).label("follow"),
        )
        .where(period, kind.in_(_KINDS))
        .group_by(_I.c.platform, _I.c.author_id),
        accounts,
    ).subquery()
    g = groups.c
    stmt = select(
        g.platform, g.author_id, g.repost, g.quote, g.like, g.follow, *_profile_columns(sqlite)
    ).join(_A, and_(_A.c.platform == g.platform, _A.c.platform_id == g.author_id))
    out: dict[_Key, tuple[dict[str, int], Sequence[Any] | None]] = {}
    for r in await session.execute(stmt):
        counts: dict[str, int] = {}
        if r[2]:
            counts["repost"] = int(r[2])
        if r[3]:
            counts["quote"] = int(r[3])
        if r[4]:
            counts["like"] = int(r[4])
        if r[5]:
            counts["follow"] = 1
        out[(r[0], r[1])] = (counts, r[6:])
    praise = scoped(
        select(_I.c.platform, _I.c.author_id, func.count())
        .join(SIGNALS, SIGNALS.c.interaction_id == _I.c.id)
        .where(period, _is_praise())
        .group_by(_I.c.platform, _I.c.author_id),
        accounts,
    )
    for p, a, count in await session.execute(praise):
        counts, profile = out.get((p, a), ({}, None))
        counts["praise"] = int(count)
        out[(p, a)] = (counts, profile)
    return out


async def _profiles(
    session: AsyncSession, sqlite: bool, keys: Sequence[_Key]
) -> dict[_Key, Sequence[Any]]:
    out: dict[_Key, Sequence[Any]] = {}
    for start in range(0, len(keys), _CHUNK):
        rows = await session.execute(
            select(_A.c.platform, _A.c.platform_id, *_profile_columns(sqlite)).where(
                keys_in(_A.c.platform, _A.c.platform_id, keys[start : start + _CHUNK])
            )
        )
        out.update({(r[0], r[1]): r[2:] for r in rows})
    return out


async def _thanked(session: AsyncSession, since: datetime, now: datetime) -> frozenset[_Key]:
    """People the team thanked (an action that did not fail) in the period."""
    rows = await session.execute(
        select(_I.c.platform, _I.c.author_id)
        .join(
            ActionRow,
            and_(ActionRow.platform == _I.c.platform, ActionRow.interaction_id == _I.c.external_id),
        )
        .where(
            ActionRow.kind == ActionKind.THANKED.value,
            ActionRow.status != ActionStatus.FAILED.value,
            ActionRow.created_at >= since,
            ActionRow.created_at <= now,
        )
    )
    return frozenset((str(p), str(a)) for p, a in rows)


async def _newest(
    session: AsyncSession, sqlite: bool, period: Any, keys: Iterable[_Key], accounts: Any
) -> dict[_Key, tuple[Item, tuple[str, ...]]]:
    """Each person's thank-worthy interactions of the period: the newest, and all ids.

    Newest first, ties in storage order, as :func:`~engagement.triage.thank_candidates`.
    The ids come from the index; only the newest interaction is read whole.
    """
    keys = sorted(set(keys))
    found: dict[_Key, tuple[int, list[str]]] = {}
    for start in range(0, len(keys), _CHUNK):
        stmt = scoped(
            select(_I.c.platform, _I.c.author_id, _I.c.id, _I.c.external_id)
            .outerjoin(SIGNALS, SIGNALS.c.interaction_id == _I.c.id)
            .where(
                keys_in(_I.c.platform, _I.c.author_id, keys[start : start + _CHUNK]),
                period,
                or_(_I.c.kind.in_(_KINDS), _is_praise()),
            )
            .order_by(_I.c.created_at.desc(), _I.c.id),
            accounts,
        )
        for platform, author_id, row_id, external_id in await session.execute(stmt):
            entry = found.setdefault((platform, author_id), (row_id, []))
            entry[1].append(external_id)
    ids = sorted(row_id for row_id, _ in found.values())
    items: dict[int, Item] = {}
    for start in range(0, len(ids), _CHUNK):
        stmt = (
            _item_select(sqlite)
            .add_columns(_I.c.id)
            .where(_I.c.id.in_(ids[start : start + _CHUNK]))
        )
        items.update({row[-1]: _item(row) for row in await session.execute(stmt)})
    return {key: (items[row_id], tuple(refs)) for key, (row_id, refs) in found.items()}


async def load_thank(
    session: AsyncSession,
    sqlite: bool,
    ctx: Context,
    *,
    since: datetime,
    now: datetime,
    params: TriageParams,
    accounts: Collection[_Key],
) -> Section[ThankEntry]:
    """The to-thank section of ``[since, now]``: everyone counted, the first shown whole."""
    created = scan_created_at(sqlite)
    period = and_(created >= since, created <= now, _I.c.author_id != _I.c.account_id)
    thanked = await _thanked(session, since, now)
    skip = thanked | ctx.brand_authors
    counted = {
        key: value
        for key, value in (await _counts(session, period, sqlite, accounts)).items()
        if key not in skip
    }
    missing = sorted(key for key, (_, profile) in counted.items() if profile is None)
    found = await _profiles(session, sqlite, missing) if missing else {}
    # A repeated text makes spam of its sender: rank those people on their real newest item.
    repeaters = {(p, a) for p, a, _ in ctx.repeats} & counted.keys()
    real = await _newest(session, sqlite, period, repeaters, accounts) if repeaters else {}
    candidates: list[ThankCandidate] = []
    for key, (counts, profile) in counted.items():
        if key in real:
            candidates.append(ThankCandidate(real[key][0], counts, real[key][1]))
            continue
        profile = profile if profile is not None else found.get(key)
        if profile is not None:  # a person without a profile row has no interactions
            candidates.append(ThankCandidate(_stand_in(*key, profile, now), counts, ()))
    section = thank_section(
        rank_thank(candidates, ctx, params, now, thanked), now=now, since=since, params=params
    )
    later = [k for k in ((e.platform, e.author_id) for e in section.entries) if k not in real]
    real.update(await _newest(session, sqlite, period, later, accounts))
    shown = (e.with_latest(*real[(e.platform, e.author_id)]) for e in section.entries)
    return Section(tuple(shown), section.total)
