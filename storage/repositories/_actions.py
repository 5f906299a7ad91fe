"""The audit trail of what the team did, idempotent on the action's key."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, Table, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from engagement.models import ActionRecord, ActionStatus, Platform
from storage._convert import action_from_row, action_values
from storage._dialect import dialect_name, insert_ignore
from storage._tables import ActionRow

_ACTIONS: Table = ActionRow.__table__  # type: ignore[assignment]


def _select() -> Select[ActionRow]:
    return select(ActionRow).execution_options(populate_existing=True)


class ActionRepository:
    """Actions recorded before they are sent and confirmed (or failed) after."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def begin(self, action: ActionRecord) -> tuple[ActionRecord, bool]:
        """Record ``action`` unless its idempotency key is already known.

        Returns:
            The stored action (the earlier one when the key was known) and whether it was
            created by this call.
        """
        stmt = insert_ignore(dialect_name(self._session), _ACTIONS, ["idempotency_key"])
        result = await self._session.execute(stmt.returning(_ACTIONS.c.id), action_values(action))
        created = result.first() is not None
        stored = await self.get(action.idempotency_key)
        if stored is None:  # pragma: no cover - the row was just written or already there
            raise RuntimeError(f"action {action.idempotency_key!r} vanished")
        return stored, created

    async def _finish(self, key: str, values: dict[str, Any]) -> ActionRecord:
        result = await self._session.execute(
            update(ActionRow)
            .where(ActionRow.idempotency_key == key)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 0:  # type: ignore[attr-defined]
            raise LookupError(f"no action with idempotency key {key!r}")
        stored = await self.get(key)
        assert stored is not None
        return stored

    async def confirm(self, key: str, result_id: str | None, at: datetime) -> ActionRecord:
        """Mark the action done on the platform, with the id of what it created.

        Raises:
            LookupError: No action has this key.
        """
        return await self._finish(
            key,
            {
                "status": ActionStatus.CONFIRMED.value,
                "result_id": result_id,
                "error": None,
                "completed_at": at,
            },
        )

    async def fail(self, key: str, error: str, at: datetime) -> ActionRecord:
        """Mark the action failed, with why.

        Raises:
            LookupError: No action has this key.
        """
        return await self._finish(
            key, {"status": ActionStatus.FAILED.value, "error": error, "completed_at": at}
        )

    async def unclear(self, key: str, error: str) -> ActionRecord:
        """Note on a ``pending`` action why its outcome is unknown (it may have happened).

        An action confirmed or failed meanwhile (by another attempt) is left as it is.

        Returns:
            The stored action.

        Raises:
            LookupError: No action has this key.
        """
        await self._session.execute(
            update(ActionRow)
            .where(
                ActionRow.idempotency_key == key,
                ActionRow.status == ActionStatus.PENDING.value,
            )
            .values(error=error)
            .execution_options(synchronize_session=False)
        )
        stored = await self.get(key)
        if stored is None:
            raise LookupError(f"no action with idempotency key {key!r}")
        return stored

    async def retry(self, key: str) -> bool:
        """Move a ``failed`` action back to ``pending`` (atomic); whether this call did it.

        Only the caller that gets ``True`` may send the action again.
        """
        result = await self._session.execute(
            update(ActionRow)
            .where(
                ActionRow.idempotency_key == key,
                ActionRow.status == ActionStatus.FAILED.value,
            )
            .values(status=ActionStatus.PENDING.value, error=None, completed_at=None)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def get(self, key: str) -> ActionRecord | None:
        """The action with this idempotency key, or ``None``."""
        row = await self._session.scalar(_select().where(ActionRow.idempotency_key == key))
        return None if row is None else action_from_row(row)

    async def for_interaction(self, platform: Platform, external_id: str) -> list[ActionRecord]:
        """Every action on one interaction, oldest first."""
        rows = await self._session.scalars(
            _select()
            .where(ActionRow.platform == platform.value, ActionRow.interaction_id == external_id)
            .order_by(ActionRow.created_at, ActionRow.id)
        )
        return [action_from_row(row) for row in rows]

    async def list_between(self, start: datetime, end: datetime) -> list[ActionRecord]:
        """Actions created in ``[start, end)``, oldest first (for KPIs and digests)."""
        rows = await self._session.scalars(
            _select()
            .where(ActionRow.created_at >= start, ActionRow.created_at < end)
            .order_by(ActionRow.created_at, ActionRow.id)
        )
        return [action_from_row(row) for row in rows]
