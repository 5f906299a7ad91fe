"""The digest's cross-item context, aggregated in SQL: brand, brand replies, repeats, spam.

Each part reads the narrow ``ix_interactions_author_created`` index where it can (brand
accounts, who wrote three texts or more) and the table only for the few rows it needs
(brand replies, their texts, spam cues), so a digest over 100,000 interactions never builds
them all. Per-person engagement comes with the other per-person counts
(:mod:`storage._triage_people`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from engagement.triage import Context
from storage._triage_queries import _I, _MAX_TEXT, SIGNALS, keys_in, scan_created_at, scoped

__all__ = ["load_context"]

_TEXT_KINDS = ("mention", "reply", "quote")
_CHUNK = 400


async def _accounts(session: AsyncSession, window: Any) -> frozenset[tuple[str, str]]:
    """Every account interactions of the window are addressed to (on the index)."""
    rows = await session.execute(select(_I.c.platform, _I.c.account_id).where(window).distinct())
    return frozenset((str(p), str(a)) for p, a in rows)


async def _answered(
    session: AsyncSession,
    window: Any,
    brand: Collection[tuple[str, str]],
    accounts: Collection[tuple[str, str]],
) -> frozenset[tuple[str, str]]:
    """``(platform, id)`` of the posts a brand account replied to (parent and root)."""
    answered: set[tuple[str, str]] = set()
    keys = sorted(brand)
    for start in range(0, len(keys), _CHUNK):
        by_brand = keys_in(_I.c.platform, _I.c.author_id, keys[start : start + _CHUNK])
        rows = await session.execute(
            scoped(select(_I.c.platform, _I.c.parent_id, _I.c.root_id), accounts).where(
                by_brand, window
            )
        )
        for platform, parent, root in rows:
            answered.update((str(platform), ref) for ref in (parent, root) if ref)
    return frozenset(answered)


async def _repeats(
    session: AsyncSession, window: Any, accounts: Collection[tuple[str, str]]
) -> Counter[tuple[str, str, str]]:
    """Texts a person sent at least three times in the window (compared stripped, lowercase).

    Only people with three texts or more can repeat one: they are found on the index first,
    and only their texts are read. Texts are compared in Python, as the engine does
    (SQL's ``lower`` and ``trim`` do not fold accents or strip every kind of space), on
    their first ``_MAX_TEXT`` characters: what the digest's items carry, so a longer text
    finds its count too.
    """
    text_kind = _I.c.kind.in_(_TEXT_KINDS)
    prolific = scoped(
        select(_I.c.platform, _I.c.author_id)
        .where(window, text_kind)
        .group_by(_I.c.platform, _I.c.author_id)
        .having(func.count() >= 3),
        accounts,
    ).subquery()
    texts = scoped(
        select(_I.c.platform, _I.c.author_id, func.substr(_I.c.text, 1, _MAX_TEXT))
        .join(
            prolific,
            and_(prolific.c.platform == _I.c.platform, prolific.c.author_id == _I.c.author_id),
        )
        .where(window, text_kind, _I.c.text != ""),
        accounts,
    )
    sent: Counter[tuple[str, str, str]] = Counter()
    for platform, author_id, text in await session.execute(texts):
        sent[(platform, author_id, text.strip().lower())] += 1
    return Counter({key: n for key, n in sent.items() if n >= 3})


async def _cues(
    session: AsyncSession, window: Any, accounts: Collection[tuple[str, str]]
) -> dict[tuple[str, str], tuple[str, ...]]:
    """Text spam cues per person, from the (few) stored signals that have any."""
    flagged = select(SIGNALS.c.interaction_id).where(SIGNALS.c.spam_cues != "")
    rows = await session.execute(
        scoped(
            select(_I.c.platform, _I.c.author_id, SIGNALS.c.spam_cues)
            .join(SIGNALS, SIGNALS.c.interaction_id == _I.c.id)
            .where(_I.c.id.in_(flagged), window)
            .distinct(),
            accounts,
        )
    )
    cues: dict[tuple[str, str], tuple[str, ...]] = {}
    for p, a, found in rows:
        key = (str(p), str(a))
        cues[key] = tuple(dict.fromkeys((*cues.get(key, ()), *str(found).split("|"))))
    return cues


async def load_context(
    session: AsyncSession,
    sqlite: bool,
    history: datetime,
    accounts: Collection[tuple[str, str]],
    engagement: Counter[tuple[str, str]],
) -> Context:
    """The :class:`~engagement.triage.Context` of the history window starting at ``history``.

    Args:
        session: The session to read in.
        sqlite: Whether the database is SQLite.
        history: Start of the history window (UTC).
        accounts: ``(platform, account id)`` to cover; empty means every account.
        engagement: Interactions per person in the window
            (:attr:`storage._triage_people.People.engagement`).
    """
    window = scan_created_at(sqlite) >= history
    configured = frozenset((str(p), str(a)) for p, a in accounts)
    # Scoped to some accounts, the brand is those accounts (the window's, filtered, add none).
    brand = configured or await _accounts(session, window)
    return Context(
        brand,
        await _answered(session, window, brand, accounts),
        engagement,
        await _repeats(session, window, accounts),
        history,
        await _cues(session, window, accounts),
    )
