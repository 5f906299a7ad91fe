"""Reads for the team inbox on Discord: pages filtered, counted and paged in SQL.

``/inbox`` lists the items the team may still act on: comments that may need an answer
(whatever their age, so an old open question never vanishes) and thank-worthy interactions
of the history window. Status filters are SQL too: a closed item is one with a confirmed
closing action (the first one decides its status); the few open items with claims or
snoozes are returned with their actions so the caller can fold them into a state.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, not_, or_, select, tuple_
from sqlalchemy.orm import aliased
from sqlalchemy.sql import ColumnElement

from engagement.models import ActionKind, ActionRecord, ActionStatus, InteractionRecord
from engagement.triage import Item
from storage._convert import action_from_row, interactions_from_rows
from storage._dialect import dialect_name
from storage._tables import ActionRow, AuthorRow, InteractionRow
from storage._triage_queries import SIGNALS, _item_select, _items, _session
from storage._uow import UnitOfWork

__all__ = [
    "InboxScope",
    "actions_for",
    "answer_items_between",
    "author_engagement",
    "find_by_suffix",
    "inbox_page",
    "items_for",
    "long_ids",
    "open_answer_before",
    "pending_states",
    "records_for",
]

Key = tuple[str, str]
TEXT_KINDS = ("mention", "reply", "quote")
CLOSING = tuple(k.value for k in ActionKind if k.closes_item)
_STATEFUL = (
    ActionKind.ANSWERED.value,  # a pending answer is a claim
    ActionKind.CLAIMED.value,
    ActionKind.UNCLAIMED.value,
    ActionKind.SNOOZED.value,
)
_CHUNK = 400


@dataclass(frozen=True, slots=True)
class InboxScope:
    """Which items an inbox query looks at.

    Attributes:
        history_start: Thank-worthy interactions older than this are left out (comments that
            may need an answer are kept whatever their age).
        platform: Only this platform (``bluesky``, ``x``), or all.
        kind: Only this kind, or every kind but likes (a like alone is not a to-do).
    """

    history_start: datetime
    platform: str | None = None
    kind: str | None = None


def _key() -> Any:
    return tuple_(InteractionRow.platform, InteractionRow.external_id)


def _closing_actions() -> Any:
    """Confirmed closing actions of the outer query's interaction.

    An alias of ``actions``, so it also works inside queries that select actions themselves.
    """
    a = aliased(ActionRow)
    return (
        select(a.kind)
        .where(
            a.platform == InteractionRow.platform,
            a.interaction_id == InteractionRow.external_id,
            a.status == ActionStatus.CONFIRMED.value,
            a.kind.in_(CLOSING),
        )
        .correlate(InteractionRow)
        .order_by(a.created_at, a.id)
    )


def _closed() -> Any:
    return _closing_actions().exists()


def _closing_kind() -> Any:
    return _closing_actions().limit(1).scalar_subquery()


def _may_need_answer() -> ColumnElement[bool]:
    s = SIGNALS.c
    return and_(
        InteractionRow.kind.in_(TEXT_KINDS),
        or_(s.interaction_id.is_(None), s.needs_reply, s.question, s.request, s.complaint),
    )


def _scope(scope: InboxScope) -> list[ColumnElement[bool]]:
    conditions = [
        InteractionRow.author_id != InteractionRow.account_id,
        or_(_may_need_answer(), InteractionRow.created_at >= scope.history_start),
    ]
    if scope.platform is not None:
        conditions.append(InteractionRow.platform == scope.platform)
    if scope.kind is not None:
        conditions.append(InteractionRow.kind == scope.kind)
    else:
        conditions.append(InteractionRow.kind != "like")
    return conditions


def _with_signals(stmt: Any) -> Any:
    return stmt.outerjoin(SIGNALS, SIGNALS.c.interaction_id == InteractionRow.id)


def _with_authors() -> Any:
    return select(InteractionRow, AuthorRow).join(
        AuthorRow,
        and_(
            AuthorRow.platform == InteractionRow.platform,
            AuthorRow.platform_id == InteractionRow.author_id,
        ),
    )


async def pending_states(uow: UnitOfWork, scope: InboxScope) -> dict[Key, list[ActionRecord]]:
    """The claim, unclaim, snooze and pending-answer actions of open items in scope.

    Items without any such action are plainly open; these few need their actions folded.
    """
    stmt = _with_signals(
        select(ActionRow).join(
            InteractionRow,
            and_(
                ActionRow.platform == InteractionRow.platform,
                ActionRow.interaction_id == InteractionRow.external_id,
            ),
        )
    ).where(
        *_scope(scope),
        not_(_closed()),
        ActionRow.status != ActionStatus.FAILED.value,
        ActionRow.kind.in_(_STATEFUL),
    )
    out: dict[Key, list[ActionRecord]] = {}
    for row in (await _session(uow).execute(stmt)).scalars():
        action = action_from_row(row)
        out.setdefault((str(row.platform), str(row.interaction_id)), []).append(action)
    return out


async def inbox_page(
    uow: UnitOfWork,
    scope: InboxScope,
    *,
    closed_kind: str | None = None,
    only: Collection[Key] | None = None,
    exclude: Collection[Key] = (),
    offset: int = 0,
    limit: int = 5,
) -> tuple[list[InteractionRecord], int]:
    """One page of items in scope, newest first, and how many match in all.

    Args:
        uow: The unit of work to read in.
        scope: Platform, kind and history window.
        closed_kind: Only items closed by this action kind (``answered``…); ``None``: only
            items not closed.
        only: Restrict to these keys (e.g. the claimed ones).
        exclude: Leave these keys out (e.g. the snoozed ones).
        offset: Rows to skip.
        limit: Rows to return.
    """
    conditions = _scope(scope)
    if closed_kind is None:
        conditions.append(not_(_closed()))
    else:
        conditions.append(_closing_kind() == closed_kind)
    if only is not None:
        if not only:
            return [], 0
        conditions.append(_key().in_(list(only)))
    if exclude:
        conditions.append(_key().not_in(list(exclude)))
    session = _session(uow)
    total = await session.scalar(
        _with_signals(select(func.count()).select_from(InteractionRow)).where(*conditions)
    )
    stmt = (
        _with_signals(_with_authors())
        .where(*conditions)
        .order_by(InteractionRow.created_at.desc(), InteractionRow.id.desc())
        .offset(offset)
        .limit(limit)
    )
    rows = await session.execute(stmt)
    return interactions_from_rows((r[0], r[1]) for r in rows), int(total or 0)


def _chunks(keys: Iterable[Key]) -> Iterable[list[Key]]:
    keys = list(dict.fromkeys(keys))
    for start in range(0, len(keys), _CHUNK):
        yield keys[start : start + _CHUNK]


async def records_for(uow: UnitOfWork, keys: Iterable[Key]) -> dict[Key, InteractionRecord]:
    """The full records of these ``(platform, external_id)`` keys (unknown ones left out)."""
    out: dict[Key, InteractionRecord] = {}
    session = _session(uow)
    for chunk in _chunks(keys):
        rows = await session.execute(_with_authors().where(_key().in_(chunk)))
        for record in interactions_from_rows((r[0], r[1]) for r in rows):
            out[(record.platform.value, record.external_id)] = record
    return out


async def actions_for(uow: UnitOfWork, keys: Iterable[Key]) -> dict[Key, list[ActionRecord]]:
    """Every recorded action on these items, per item."""
    out: dict[Key, list[ActionRecord]] = {}
    session = _session(uow)
    for chunk in _chunks(keys):
        rows = await session.execute(
            select(ActionRow).where(tuple_(ActionRow.platform, ActionRow.interaction_id).in_(chunk))
        )
        for row in rows.scalars():
            key = (str(row.platform), str(row.interaction_id))
            out.setdefault(key, []).append(action_from_row(row))
    return out


async def items_for(uow: UnitOfWork, keys: Iterable[Key]) -> dict[Key, Item]:
    """These interactions as triage items (with their stored signals, if any)."""
    session = _session(uow)
    select_items = _item_select(dialect_name(session) == "sqlite")
    out: dict[Key, Item] = {}
    for chunk in _chunks(keys):
        for item in await _items(session, select_items.where(_key().in_(chunk))):
            out[item.key] = item
    return out


async def author_engagement(
    uow: UnitOfWork, authors: Iterable[Key], since: datetime
) -> Counter[Key]:
    """Interactions of each of these authors since ``since`` (their relationship)."""
    counts: Counter[Key] = Counter()
    session = _session(uow)
    for chunk in _chunks(authors):
        rows = await session.execute(
            select(InteractionRow.platform, InteractionRow.author_id, func.count())
            .where(
                tuple_(InteractionRow.platform, InteractionRow.author_id).in_(chunk),
                InteractionRow.created_at >= since,
                InteractionRow.author_id != InteractionRow.account_id,
            )
            .group_by(InteractionRow.platform, InteractionRow.author_id)
        )
        counts.update({(str(p), str(a)): int(n) for p, a, n in rows})
    return counts


async def open_answer_before(uow: UnitOfWork, before: datetime) -> int:
    """Comments created before ``before`` that may need an answer and are not closed."""
    stmt = _with_signals(select(func.count()).select_from(InteractionRow)).where(
        InteractionRow.created_at < before,
        InteractionRow.author_id != InteractionRow.account_id,
        _may_need_answer(),
        not_(_closed()),
    )
    return int(await _session(uow).scalar(stmt) or 0)


async def answer_items_between(uow: UnitOfWork, start: datetime, end: datetime) -> list[Item]:
    """Open comments created in ``[start, end)`` that may need an answer, as triage items."""
    session = _session(uow)
    stmt = _item_select(dialect_name(session) == "sqlite").where(
        InteractionRow.created_at >= start,
        InteractionRow.created_at < end,
        InteractionRow.author_id != InteractionRow.account_id,
        _may_need_answer(),
        not_(_closed()),
    )
    return await _items(session, stmt)


async def long_ids(uow: UnitOfWork, min_length: int) -> list[Key]:
    """Keys whose external id is longer than ``min_length`` or holds whitespace.

    Only such ids are ever referred to by a hash on Discord, so resolving a hash compares
    against these few instead of every stored id.
    """
    external_id = InteractionRow.external_id
    blank = or_(*(external_id.contains(c, autoescape=True) for c in (" ", "\t", "\n", "\r")))
    rows = await _session(uow).execute(
        select(InteractionRow.platform, external_id).where(
            or_(func.length(external_id) > min_length, blank)
        )
    )
    return [(str(p), str(e)) for p, e in rows]


async def find_by_suffix(uow: UnitOfWork, platform: str, suffix: str) -> str | None:
    """The newest external id of ``platform`` ending with ``suffix``, if any."""
    return await _session(uow).scalar(
        select(InteractionRow.external_id)
        .where(
            InteractionRow.platform == platform,
            InteractionRow.external_id.endswith(suffix, autoescape=True),
        )
        .order_by(InteractionRow.created_at.desc())
        .limit(1)
    )
