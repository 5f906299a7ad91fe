"""The engine's read path: stored text signals, triage items and actions.

Text signals are computed once per interaction and kept in ``interaction_signals``
(:func:`score_pending`), so a digest over 100,000 interactions reads them instead of
classifying again. :func:`load_items` fetches only the columns triage reads, for the
window, as light :class:`~engagement.triage.Item` tuples; the digest itself is read by
:mod:`storage._triage_digest` (period counts: :mod:`storage._triage_counts`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    and_,
    false,
    func,
    literal_column,
    or_,
    select,
    tuple_,
    type_coerce,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import ColumnElement, Select

from engagement.classifiers import TextClassifier
from engagement.models import ActionRecord
from engagement.signals import TextSignals, text_signals
from engagement.triage import Item
from storage._convert import action_from_row
from storage._dialect import dialect_name, insert_stmt
from storage._tables import ActionRow, AuthorRow, Base, BigId, InteractionRow
from storage._types import UTCDateTime
from storage._uow import UnitOfWork

__all__ = [
    "SIGNALS",
    "SIGNALS_VERSION",
    "keys_in",
    "load_actions",
    "load_items",
    "scan_created_at",
    "scoped",
    "score_pending",
]

# Bumped when the classifiers or the signal rules change: older rows are scored again.
# 2: complaint with word-vector heads, needs-reply stacker (2026-12).
SIGNALS_VERSION = 2
_TEXT_KINDS = ("mention", "reply", "quote")
_MAX_TEXT = 2_000

_I: Table = InteractionRow.__table__  # type: ignore[assignment]
_A: Table = AuthorRow.__table__  # type: ignore[assignment]
SIGNALS = Table(
    "interaction_signals",
    Base.metadata,  # with the other tables, so tests can compare them with the migrations
    Column("interaction_id", BigId, ForeignKey(_I.c.id, ondelete="CASCADE"), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("language", String(16), nullable=False),
    Column("question", Boolean, nullable=False),
    Column("request", Boolean, nullable=False),
    Column("complaint", Boolean, nullable=False),
    Column("sentiment", SmallInteger, nullable=False),
    Column("negative", Float, nullable=False),
    Column("positive", Float, nullable=False),
    Column("complaint_p", Float, nullable=False),
    Column("support_p", Float, nullable=False),
    Column("needs_reply", Boolean, nullable=False),
    Column("spam_cues", Text, nullable=False),
)


def _session(uow: UnitOfWork) -> AsyncSession:
    return uow._session  # same package: the unit of work's own session


async def score_pending(
    uow: UnitOfWork, classifier: TextClassifier, *, batch: int = 2_000, limit: int | None = None
) -> int:
    """Compute and store the text signals of interactions that have none yet (text kinds).

    Signals stored by an older version of the classifiers (``SIGNALS_VERSION``) are
    computed again, once. Call it after ingest (the runner does, per poll cycle) or before a
    digest; it is idempotent and does not commit.

    Returns:
        How many interactions were scored.
    """
    session = _session(uow)
    stmt = insert_stmt(dialect_name(session), SIGNALS)
    # The first writer of a version stands: a concurrent cycle's copy only replaces older ones.
    write = stmt.on_conflict_do_update(
        index_elements=["interaction_id"],
        set_={c.name: stmt.excluded[c.name] for c in SIGNALS.columns if c.name != "interaction_id"},
        where=SIGNALS.c.version < stmt.excluded.version,
    )
    done = 0
    after = 0  # keyset: each pass starts after the last id seen, so no row is read twice
    while limit is None or done < limit:
        size = batch if limit is None else min(batch, limit - done)
        rows = (
            await session.execute(
                select(_I.c.id, func.substr(_I.c.text, 1, _MAX_TEXT), _I.c.language)
                .outerjoin(SIGNALS, SIGNALS.c.interaction_id == _I.c.id)
                .where(
                    or_(
                        SIGNALS.c.interaction_id.is_(None),
                        SIGNALS.c.version < SIGNALS_VERSION,
                    ),
                    _I.c.kind.in_(_TEXT_KINDS),
                    _I.c.id > after,
                )
                .order_by(_I.c.id)
                .limit(size)
            )
        ).all()
        if not rows:
            break
        signals = text_signals([(r[1] or "", r[2]) for r in rows], classifier)
        # Two poll cycles may score the same new rows at once (each poller after its
        # cycle, or two processes): the first one's signals stand, the other's are dropped.
        await session.execute(
            write, [_signal_values(r[0], s) for r, s in zip(rows, signals, strict=True)]
        )
        done += len(rows)
        after = rows[-1][0]
        if len(rows) < size:
            break
    return done


def _signal_values(interaction_id: int, s: TextSignals) -> dict[str, Any]:
    return {
        "interaction_id": interaction_id,
        "version": SIGNALS_VERSION,
        "language": s.language,
        "question": s.question,
        "request": s.request,
        "complaint": s.complaint,
        "sentiment": s.sentiment,
        "negative": s.negative,
        "positive": s.positive,
        "complaint_p": s.complaint_p,
        "support_p": s.support_p,
        "needs_reply": s.needs_reply,
        "spam_cues": "|".join(s.spam_cues),
    }


def _dt(column: Any, sqlite: bool) -> Any:
    # On SQLite the stored text is parsed by datetime.fromisoformat (C), not row processors.
    return type_coerce(column, String()) if sqlite else column


def _parse(value: object) -> datetime | None:
    if isinstance(value, str):  # naive UTC text on SQLite
        try:
            return datetime.fromisoformat(value + "+00:00")  # several times faster than replace
        except ValueError:
            return _parse(datetime.fromisoformat(value))
    if not isinstance(value, datetime):
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC) if value.utcoffset() else value


def scan_created_at(sqlite: bool) -> Any:
    """``interactions.created_at`` for window filters that read most of the table.

    On SQLite the column is written ``+created_at`` (SQLite's documented way to keep a term
    from choosing an index): a history window covers most rows, and a sequential scan reads
    them faster than one random row fetch per ``created_at`` index entry.
    """
    if not sqlite:
        return _I.c.created_at
    return type_coerce(literal_column("+interactions.created_at"), UTCDateTime())


def _account_filter(accounts: Collection[tuple[str, str]]) -> ColumnElement[bool] | None:
    if not accounts:
        return None
    return tuple_(_I.c.platform, _I.c.account_id).in_([tuple(a) for a in accounts])


def scoped(stmt: Any, accounts: Collection[tuple[str, str]]) -> Any:
    """``stmt`` restricted to interactions addressed to ``accounts`` (empty: all)."""
    account_filter = _account_filter(accounts)
    return stmt if account_filter is None else stmt.where(account_filter)


def keys_in(platform: Any, ids: Any, keys: Collection[tuple[str, str]]) -> ColumnElement[bool]:
    """``(platform, ids)`` is one of ``keys``, written so an index on both is searched.

    SQLite searches an index for ``platform = ? AND id IN (…)`` but scans the table for a
    row-value ``(platform, id) IN (VALUES …)``.
    """
    by_platform: dict[str, list[str]] = {}
    for p, key in keys:
        by_platform.setdefault(p, []).append(key)
    if not by_platform:
        return false()
    return or_(*(and_(platform == p, ids.in_(v)) for p, v in sorted(by_platform.items())))


def _item_select(sqlite: bool) -> Select[Any]:
    s = SIGNALS.c
    return (
        select(
            _I.c.platform,
            _I.c.external_id,
            _I.c.kind,
            _I.c.account_id,
            _I.c.author_id,
            _A.c.handle,
            _A.c.display_name,
            _A.c.followers_count,
            _A.c.follows_count,
            _A.c.posts_count,
            _dt(_A.c.account_created_at, sqlite),
            _A.c.avatar_url.is_not(None),
            _A.c.description,
            _A.c.verified,
            _A.c.first_followers_count,
            _dt(_A.c.first_seen_at, sqlite),
            func.substr(_I.c.text, 1, _MAX_TEXT),
            _dt(_I.c.created_at, sqlite),
            _I.c.parent_id,
            _I.c.root_id,
            _I.c.url,
            s.interaction_id,
            s.language,
            s.question,
            s.request,
            s.complaint,
            s.sentiment,
            s.negative,
            s.positive,
            s.complaint_p,
            s.support_p,
            s.needs_reply,
            s.spam_cues,
        )
        .join(_A, and_(_A.c.platform == _I.c.platform, _A.c.platform_id == _I.c.author_id))
        .outerjoin(SIGNALS, SIGNALS.c.interaction_id == _I.c.id)
    )


async def _items(session: AsyncSession, stmt: Select[Any]) -> list[Item]:
    return [_item(row) for row in (await session.execute(stmt))]


async def load_items(
    uow: UnitOfWork,
    *,
    since: datetime,
    accounts: Collection[tuple[str, str]] = (),
) -> list[Item]:
    """Every interaction created since ``since``, as triage items (for small windows/tests).

    Args:
        uow: The unit of work to read in.
        since: Start of the window (UTC).
        accounts: ``(platform, account id)`` to restrict to; empty means all.
    """
    session = _session(uow)
    stmt = _item_select(dialect_name(session) == "sqlite").where(_I.c.created_at >= since)
    account_filter = _account_filter(accounts)
    if account_filter is not None:
        stmt = stmt.where(account_filter)
    return await _items(session, stmt)


def _item(r: Sequence[Any]) -> Item:
    signals = None
    if r[21] is not None:
        signals = TextSignals(
            r[22],
            bool(r[23]),
            bool(r[24]),
            bool(r[25]),
            int(r[26]),
            r[27],
            r[28],
            r[29],
            r[30],
            bool(r[31]),
            tuple(r[32].split("|")) if r[32] else (),
        )
    created = _parse(r[17])
    assert created is not None  # NOT NULL column
    return Item(
        r[0],
        r[1],
        r[2],
        r[3],
        r[4],
        r[5],
        r[6] or "",
        r[7],
        r[8],
        r[9],
        _parse(r[10]),
        bool(r[11]),
        r[12] or "",
        bool(r[13]),
        r[14],
        _parse(r[15]),
        r[16] or "",
        created,
        r[18],
        r[19],
        r[20],
        signals,
    )


async def load_actions(uow: UnitOfWork, *, since: datetime) -> list[ActionRecord]:
    """Actions on interactions recorded since ``since``, plus snoozes still running."""
    session = _session(uow)
    rows = await session.execute(
        select(ActionRow).where(
            ActionRow.interaction_id.is_not(None),
            or_(ActionRow.created_at >= since, ActionRow.snooze_until >= since),
        )
    )
    return [action_from_row(row) for row in rows.scalars()]
