"""Digests: claimed once per period and destination (a lease), then marked posted.

A claim whose digest was never marked posted is a lease: once it is older than ``lease``, a
later run may claim it again (the first run crashed mid-post). Runs record the messages they
posted as they go (:meth:`DigestRepository.record_progress`) so the next claimant can remove a
half-posted digest before posting it whole, and a run that fails cleanly releases its claim.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage._dialect import dialect_name, insert_ignore
from storage._tables import DigestRow

_DIGESTS: Table = DigestRow.__table__  # type: ignore[assignment]
DEFAULT_LEASE = timedelta(minutes=15)


class DigestRepository:
    """Makes sure a digest for a period is posted to a destination once."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def claim(
        self, period_key: str, destination: str, at: datetime, lease: timedelta = DEFAULT_LEASE
    ) -> bool:
        """Claim the right to post the digest of ``period_key`` to ``destination``.

        Args:
            period_key: The period, e.g. ``2026-11-25``.
            destination: Where it goes.
            at: Now.
            lease: How long an unposted claim holds before another run may take it over.

        Returns:
            True for the first claim of the pair, or when taking over an expired, unposted
            claim; False otherwise (already posted, or being posted by another run).
        """
        taken = await self._session.execute(
            update(DigestRow)
            .where(
                DigestRow.period_key == period_key,
                DigestRow.destination == destination,
                DigestRow.posted_at.is_(None),
                DigestRow.claimed_at < at - lease,
            )
            .values(claimed_at=at)
            .execution_options(synchronize_session=False)
        )
        if taken.rowcount:  # type: ignore[attr-defined]
            return True
        stmt = insert_ignore(dialect_name(self._session), _DIGESTS, ["period_key", "destination"])
        result = await self._session.execute(
            stmt.returning(_DIGESTS.c.id),
            {
                "period_key": period_key,
                "destination": destination,
                "claimed_at": at,
                "posted_at": None,
                "message_ids": [],
                "payload": {},
            },
        )
        return result.first() is not None

    async def release(self, period_key: str, destination: str) -> None:
        """Drop an unposted claim so that the next run posts the digest (a posted one stays)."""
        await self._session.execute(
            delete(DigestRow).where(
                DigestRow.period_key == period_key,
                DigestRow.destination == destination,
                DigestRow.posted_at.is_(None),
            )
        )

    async def record_progress(
        self, period_key: str, destination: str, message_ids: Sequence[str]
    ) -> None:
        """Remember the messages posted so far for an unposted claim."""
        await self._session.execute(
            update(DigestRow)
            .where(
                DigestRow.period_key == period_key,
                DigestRow.destination == destination,
                DigestRow.posted_at.is_(None),
            )
            .values(message_ids=list(message_ids))
            .execution_options(synchronize_session=False)
        )

    async def partial_messages(self, period_key: str, destination: str) -> list[str]:
        """The messages a previous, unfinished run recorded for an unposted claim."""
        value: list[str] | None = await self._session.scalar(
            select(DigestRow.message_ids).where(
                DigestRow.period_key == period_key,
                DigestRow.destination == destination,
                DigestRow.posted_at.is_(None),
            )
        )
        return list(value or [])

    async def mark_posted(
        self,
        period_key: str,
        destination: str,
        message_ids: Sequence[str],
        payload: Mapping[str, Any],
        at: datetime | None = None,
    ) -> None:
        """Record what was posted for a claimed digest.

        Args:
            period_key: The period, e.g. ``2026-11-25``.
            destination: Where it went (channel id, ``webhook``, ``terminal``…).
            message_ids: Ids of the messages posted.
            payload: The digest as JSON-compatible data.
            at: When it was posted (default: when it was claimed).

        Raises:
            LookupError: The digest was never claimed.
        """
        values: dict[str, Any] = {"message_ids": list(message_ids), "payload": dict(payload)}
        values["posted_at"] = at if at is not None else DigestRow.claimed_at
        result = await self._session.execute(
            update(DigestRow)
            .where(DigestRow.period_key == period_key, DigestRow.destination == destination)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 0:  # type: ignore[attr-defined]
            raise LookupError(f"digest {period_key!r} for {destination!r} was never claimed")

    async def posted_at(self, period_key: str, destination: str) -> datetime | None:
        """When the digest was posted, or ``None`` (not claimed, or claimed but not posted)."""
        value: datetime | None = await self._session.scalar(
            select(DigestRow.posted_at).where(
                DigestRow.period_key == period_key, DigestRow.destination == destination
            )
        )
        return value
