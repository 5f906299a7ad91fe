"""The digest's to-answer section, read to scale: rank on light rows, read whole the shown.

Every text interaction of the history window whose stored signals say it may need a reply
(or that has no signals yet) is read with only the columns ranking uses (what it is, its
text, its author's profile); the few the digest shows are then read whole.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from engagement.digest import answers_shown
from engagement.signals import TextSignals
from engagement.triage import Item, RankedAnswer, TriageParams
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


def _light(r: Sequence[Any]) -> Item:
    """An item with what ranking reads; handle, names, links and probabilities left empty."""
    signals = None
    if r[14] is not None:
        cues = tuple(r[20].split("|")) if r[20] else ()
        signals = TextSignals(
            "", bool(r[15]), bool(r[16]), bool(r[17]), int(r[18]), 0.0, 0.0, 0.0, 0.0,
            bool(r[19]), cues,
        )  # fmt: skip
    created = _parse(r[13])
    assert created is not None  # NOT NULL column
    return Item(
        r[0], r[1], r[2], "", r[3], "", "", r[4], r[5], r[6], _parse(r[7]), bool(r[8]),
        r[9] or "", bool(r[10]), None, _parse(r[11]), r[12] or "", created, None, None, None,
        signals,
    )  # fmt: skip


async def load_answer_items(
    session: AsyncSession, sqlite: bool, history: datetime, accounts: Collection[tuple[str, str]]
) -> list[Item]:
    """Comments of the window that may need an answer, as light items (never the brand's own).

    Rank them with :func:`~engagement.triage.rank_answer`, then give the ranking to
    :func:`with_whole_items` before the digest explains its entries.
    """
    s = SIGNALS.c
    flagged = or_(s.interaction_id.is_(None), s.needs_reply, s.question, s.request, s.complaint)
    stmt = (
        select(
            _I.c.platform,
            _I.c.external_id,
            _I.c.kind,
            _I.c.author_id,
            _A.c.followers_count,
            _A.c.follows_count,
            _A.c.posts_count,
            _dt(_A.c.account_created_at, sqlite),
            _A.c.avatar_url.is_not(None),
            _A.c.description,
            _A.c.verified,
            _dt(_A.c.first_seen_at, sqlite),
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
        .join(_A, and_(_A.c.platform == _I.c.platform, _A.c.platform_id == _I.c.author_id))
        .outerjoin(SIGNALS, s.interaction_id == _I.c.id)
        .where(
            scan_created_at(sqlite) >= history,
            _I.c.kind.in_(_TEXT_KINDS),
            _I.c.author_id != _I.c.account_id,
            flagged,
        )
    )
    rows = await session.execute(scoped(stmt, accounts))
    return [_light(r) for r in rows.all()]


async def with_whole_items(
    session: AsyncSession, sqlite: bool, ranked: list[RankedAnswer], params: TriageParams
) -> list[RankedAnswer]:
    """The ranking with the entries a digest shows read whole (the others stay light)."""
    first, breaches = answers_shown(ranked, params)
    shown = {id(r) for r in (*first, *breaches)}
    keys = sorted({r.item.key for r in (*first, *breaches)})
    whole: dict[tuple[str, str], Item] = {}
    for start in range(0, len(keys), _CHUNK):
        chunk = keys_in(_I.c.platform, _I.c.external_id, keys[start : start + _CHUNK])
        whole.update((i.key, i) for i in await _items(session, _item_select(sqlite).where(chunk)))
    return [r._replace(item=whole[r.item.key]) if id(r) in shown else r for r in ranked]
