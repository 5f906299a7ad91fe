"""Interactions per platform and kind in a period and the one before it (headline figures)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, not_, select

from engagement.digest import PeriodCounts
from storage._dialect import dialect_name
from storage._triage_queries import _I, _session, scan_created_at, scoped
from storage._uow import UnitOfWork

__all__ = ["period_counts"]


async def period_counts(
    uow: UnitOfWork,
    *,
    now: datetime,
    since: datetime,
    accounts: Collection[tuple[str, str]] = (),
    known: Collection[tuple[str, str]] = (),
) -> PeriodCounts:
    """Interactions per platform and kind in ``[since, now)`` and in the period before it.

    Args:
        uow: The unit of work to read in.
        now: End of the period (UTC).
        since: Start of the period (UTC).
        accounts: ``(platform, account id)`` to count; empty means every account.
        known: ``(platform, account id)`` of the accounts interactions are addressed to, when
            the caller knows them: interactions are then counted per account and kind on
            ``ix_interactions_account_kind_created`` (no sort) and each account's platform
            added afterwards; an account id found on two platforms, or not known, falls
            back to counting per platform and kind.
    """
    session = _session(uow)
    start = since - (now - since)
    created = scan_created_at(dialect_name(session) == "sqlite")
    current = created >= since
    window = (created >= start, created < now)
    platforms: dict[str, str | None] = {}
    for platform, account_id in known:
        platforms[account_id] = (
            platform if platforms.get(account_id, platform) == platform else None
        )
    if platforms:
        by_account = select(
            _I.c.account_id,
            _I.c.kind,
            func.count().filter(current),
            func.count().filter(not_(current)),
        ).where(*window)
        rows = await session.execute(
            scoped(by_account, accounts).group_by(_I.c.account_id, _I.c.kind)
        )
        counted = [(platforms.get(a), k, n, b) for a, k, n, b in rows.all()]
        if all(platform is not None for platform, _, _, _ in counted):
            return _fold_counts(counted)
    by_platform = select(
        _I.c.platform,
        _I.c.kind,
        func.sum(case((current, 1), else_=0)),
        func.sum(case((current, 0), else_=1)),
    ).where(*window)
    rows = await session.execute(scoped(by_platform, accounts).group_by(_I.c.platform, _I.c.kind))
    return _fold_counts(rows.all())


def _fold_counts(rows: Iterable[Sequence[Any]]) -> PeriodCounts:
    out: list[dict[tuple[str, str], int]] = [{}, {}]
    for platform, kind, now_n, before_n in rows:
        key = (str(platform), str(kind))
        if now_n:
            out[0][key] = out[0].get(key, 0) + int(now_n)
        if before_n:
            out[1][key] = out[1].get(key, 0) + int(before_n)
    return PeriodCounts(out[0], out[1])
