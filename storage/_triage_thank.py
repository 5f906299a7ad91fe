"""The digest's to-thank section, read to scale: one aggregated row per person.

Counts per kind and profiles come from :func:`storage._triage_people.load_people`. Each
person is ranked on a light stand-in item that carries their profile; only the people
shown, and the few whose spam score could depend on their newest text, are completed with
their real interactions. The ranking is the engine's :func:`~engagement.triage.rank_thank`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from engagement.digest import Section, thank_section
from engagement.models import ActionKind, ActionStatus
from engagement.signals import TextSignals
from engagement.signals.spam import text_spam_cues
from engagement.triage import (
    Context,
    Item,
    ThankCandidate,
    ThankEntry,
    TriageParams,
    rank_thank,
)
from storage._tables import ActionRow
from storage._triage_people import is_praise
from storage._triage_queries import (
    _I,
    SIGNALS,
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


# A stand-in has no text: no text cue (what the engine finds in an empty text, read once).
_NO_TEXT = TextSignals("", False, False, False, 1, 0.0, 0.0, 0.0, 0.0, False, text_spam_cues(""))


def _stand_in(platform: str, author_id: str, profile: Sequence[Any], now: datetime) -> Item:
    """An item holding only a person's profile (ranking reads nothing else of it)."""
    return Item(
        platform, "", "", "", author_id, profile[0], "", profile[1], profile[2], profile[3],
        _parse(profile[4]), bool(profile[5]), profile[6] or "", bool(profile[7]), profile[8],
        _parse(profile[9]), "", now, None, None, None, _NO_TEXT,
    )  # fmt: skip


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
                or_(_I.c.kind.in_(_KINDS), is_praise()),
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
    thanks: dict[_Key, tuple[dict[str, int], Sequence[Any]]],
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
    counted = {key: value for key, value in thanks.items() if key not in skip}
    # A repeated text makes spam of its sender: rank those people on their real newest item.
    repeaters = {(p, a) for p, a, _ in ctx.repeats} & counted.keys()
    real = await _newest(session, sqlite, period, repeaters, accounts) if repeaters else {}
    candidates: list[ThankCandidate] = []
    for key, (counts, profile) in counted.items():
        if key in real:
            candidates.append(ThankCandidate(real[key][0], counts, real[key][1]))
        else:
            candidates.append(ThankCandidate(_stand_in(*key, profile, now), counts, ()))
    section = thank_section(
        rank_thank(candidates, ctx, params, now, thanked, ordered=False),
        ctx,
        now=now,
        since=since,
        params=params,
    )
    later = [k for k in ((e.platform, e.author_id) for e in section.entries) if k not in real]
    real.update(await _newest(session, sqlite, period, later, accounts))
    shown = (e.with_latest(*real[(e.platform, e.author_id)]) for e in section.entries)
    return Section(tuple(shown), section.total)
