"""The digest's to-answer section, read to scale: rank on light rows, read whole the shown.

Every text interaction of the history window whose stored signals say it may need a reply
(or that has no signals yet) is read with only the columns ranking uses (what it is, its
text, its author's profile); the few the digest shows are then read whole.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from engagement.digest import ShownAnswers
from engagement.signals import TextSignals
from engagement.triage import Item
from storage._triage_people import profile_columns
from storage._triage_queries import (
    _A,
    _I,
    _MAX_TEXT,
    SIGNALS,
    _dt,
    _item_select,
    _items,
    _parse,
    keys_in,
    scan_created_at,
    scoped,
)

__all__ = ["load_answer_items", "with_whole_items"]

_TEXT_KINDS = ("mention", "reply", "quote")
_CHUNK = 400
_Key = tuple[str, str]


def _light(r: Sequence[Any], profile: Sequence[Any]) -> Item:
    """An item with what ranking reads; handle, names, links and probabilities left empty."""
    signals = None
    if r[6] is not None:
        cues = tuple(r[12].split("|")) if r[12] else ()
        signals = TextSignals(
            "", bool(r[7]), bool(r[8]), bool(r[9]), int(r[10]), 0.0, 0.0, 0.0, 0.0,
            bool(r[11]), cues,
        )  # fmt: skip
    created = _parse(r[5])
    assert created is not None  # NOT NULL column
    return Item(
        r[0], r[1], r[2], "", r[3], "", "", profile[1], profile[2], profile[3],
        _parse(profile[4]), bool(profile[5]), profile[6] or "", bool(profile[7]), None,
        _parse(profile[9]), r[4] or "", created, None, None, None, signals,
    )  # fmt: skip


async def _profiles(
    session: AsyncSession, sqlite: bool, keys: Sequence[_Key]
) -> dict[_Key, Sequence[Any]]:
    out: dict[_Key, Sequence[Any]] = {}
    for start in range(0, len(keys), _CHUNK):
        rows = await session.execute(
            select(_A.c.platform, _A.c.platform_id, *profile_columns(sqlite)).where(
                keys_in(_A.c.platform, _A.c.platform_id, keys[start : start + _CHUNK])
            )
        )
        out.update({(r[0], r[1]): r[2:] for r in rows.all()})
    return out


async def load_answer_items(
    session: AsyncSession,
    sqlite: bool,
    history: datetime,
    accounts: Collection[_Key],
    known: Mapping[_Key, tuple[Any, Sequence[Any]]],
) -> list[Item]:
    """Comments of the window that may need an answer, as light items (never the brand's own).

    Authors' profiles are taken from ``known`` (:attr:`storage._triage_people.People.thanks`,
    read already) and only the others are read. Rank the items with
    :func:`~engagement.triage.rank_answer`, pick the shown with
    :func:`~engagement.digest.answers_shown` and give them to :func:`with_whole_items`
    before the digest explains its entries.
    """
    s = SIGNALS.c
    flagged = or_(s.interaction_id.is_(None), s.needs_reply, s.question, s.request, s.complaint)
    stmt = (
        select(
            _I.c.platform,
            _I.c.external_id,
            _I.c.kind,
            _I.c.author_id,
            func.substr(_I.c.text, 1, _MAX_TEXT),
            _dt(_I.c.created_at, sqlite),
            s.interaction_id,
            s.question,
            s.request,
            s.complaint,
            s.sentiment,
            s.needs_reply,
            s.spam_cues,
        )
        .outerjoin(SIGNALS, s.interaction_id == _I.c.id)
        .where(
            scan_created_at(sqlite) >= history,
            _I.c.kind.in_(_TEXT_KINDS),
            _I.c.author_id != _I.c.account_id,
            flagged,
        )
    )
    rows = (await session.execute(scoped(stmt, accounts))).all()
    profiles = {key: value[1] for key in {(r[0], r[3]) for r in rows} if (value := known.get(key))}
    missing = sorted({(r[0], r[3]) for r in rows} - profiles.keys())
    profiles.update(await _profiles(session, sqlite, missing))
    # an interaction's author always has a profile row (a foreign key): none is left out
    return [_light(r, profiles[(r[0], r[3])]) for r in rows if (r[0], r[3]) in profiles]


async def with_whole_items(
    session: AsyncSession, sqlite: bool, shown: ShownAnswers
) -> ShownAnswers:
    """``shown`` with the entries a digest explains read whole (the others stay light)."""
    keys = sorted({r.item.key for r in (*shown.first, *shown.breaches)})
    whole: dict[tuple[str, str], Item] = {}
    for start in range(0, len(keys), _CHUNK):
        chunk = keys_in(_I.c.platform, _I.c.external_id, keys[start : start + _CHUNK])
        whole.update((i.key, i) for i in await _items(session, _item_select(sqlite).where(chunk)))
    return shown._replace(
        first=[r._replace(item=whole[r.item.key]) for r in shown.first],
        breaches=[r._replace(item=whole[r.item.key]) for r in shown.breaches],
    )
