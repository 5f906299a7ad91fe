"""Idempotent batch ingest: authors, interactions and the stream's cursor in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, func
from sqlalchemy.ext.asyncio import AsyncSession

from engagement.models import Cursor, InteractionRecord, Platform
from storage._convert import author_values, cursor_values, interaction_values
from storage._dialect import Insert, dialect_name, insert_ignore, insert_stmt, upsert
from storage._tables import AuthorRow, CursorRow, InteractionRow

__all__ = ["IngestResult", "ingest"]

_AUTHORS: Table = AuthorRow.__table__  # type: ignore[assignment]
_INTERACTIONS: Table = InteractionRow.__table__  # type: ignore[assignment]
_CURSORS: Table = CursorRow.__table__  # type: ignore[assignment]

# Fields of a later sighting that replace an earlier one only when the later one knows them.
_KNOWN_ONLY = (
    "followers_count",
    "follows_count",
    "posts_count",
    "account_created_at",
    "avatar_url",
)
_NON_EMPTY_ONLY = ("display_name", "description")


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What one ingest did.

    Attributes:
        inserted: Interactions stored for the first time.
        duplicates: Records of the batch that were already stored (or repeated in the batch).
        new_records: The records stored for the first time, in batch order.
    """

    inserted: int
    duplicates: int
    new_records: tuple[InteractionRecord, ...] = ()


def _merge_authors(records: Sequence[InteractionRecord]) -> list[dict[str, Any]]:
    """One row per author of the batch: the latest sighting wins, unknown fields do not erase.

    PostgreSQL refuses an ``ON CONFLICT DO UPDATE`` that touches the same row twice in one
    statement, so the batch is deduplicated here.
    """
    merged: dict[tuple[Platform, str], dict[str, Any]] = {}
    for record in records:
        author = record.author
        seen = record.indexed_at
        values = author_values(author, seen)
        previous = merged.get(author.key)
        if previous is None:
            merged[author.key] = values
            continue
        if seen < previous["first_seen_at"]:
            previous["first_seen_at"] = seen
            if author.followers_count is not None:
                previous["first_followers_count"] = author.followers_count
        if seen < previous["last_seen_at"]:
            continue
        for name in ("handle", "verified", "last_seen_at"):
            previous[name] = values[name]
        for name in _KNOWN_ONLY:
            if values[name] is not None:
                previous[name] = values[name]
        for name in _NON_EMPTY_ONLY:
            if values[name]:
                previous[name] = values[name]
        if previous["first_followers_count"] is None:
            previous["first_followers_count"] = values["followers_count"]
    return list(merged.values())


def _authors_upsert(dialect: str) -> Insert:
    """Upsert authors; an older sighting (backfill) never overwrites a newer one."""
    stmt = insert_stmt(dialect, _AUTHORS)
    excluded, table = stmt.excluded, _AUTHORS.c
    update: dict[str, Any] = {
        "handle": excluded.handle,
        "verified": excluded.verified,
        "last_seen_at": excluded.last_seen_at,
        "first_followers_count": func.coalesce(
            table.first_followers_count, excluded.followers_count
        ),
    }
    for name in _KNOWN_ONLY:
        update[name] = func.coalesce(excluded[name], table[name])
    for name in _NON_EMPTY_ONLY:
        update[name] = func.coalesce(func.nullif(excluded[name], ""), table[name])
    return stmt.on_conflict_do_update(
        index_elements=["platform", "platform_id"],
        set_=update,
        where=excluded.last_seen_at >= table.last_seen_at,
    )


async def ingest(
    session: AsyncSession,
    records: Sequence[InteractionRecord],
    cursor: Cursor | None,
) -> IngestResult:
    """Write a batch of interactions, their authors and the stream's cursor.

    Nothing is committed here: the caller's unit of work commits, so the whole batch and the
    cursor land together or not at all. Ingesting the same batch twice changes nothing.

    Args:
        session: The unit of work's session.
        records: The batch, in any order; repeated keys keep their first occurrence.
        cursor: The stream's new position, or ``None`` to leave cursors alone.

    Returns:
        How many records were new and which.
    """
    dialect = dialect_name(session)
    conn = await session.connection()
    unique: dict[tuple[Platform, str], InteractionRecord] = {}
    for record in records:
        unique.setdefault(record.key, record)
    inserted_ids: set[str] = set()
    if unique:
        await conn.execute(_authors_upsert(dialect), _merge_authors(list(unique.values())))
        stmt = insert_ignore(dialect, _INTERACTIONS, ["platform", "external_id"]).returning(
            _INTERACTIONS.c.platform, _INTERACTIONS.c.external_id
        )
        result = await conn.execute(stmt, [interaction_values(r) for r in unique.values()])
        inserted_ids = {f"{platform}\x00{external_id}" for platform, external_id in result}
    if cursor is not None:
        cursor_upsert = upsert(dialect, _CURSORS, ["platform", "account_id", "stream"])
        await conn.execute(cursor_upsert, cursor_values(cursor))
    new = tuple(
        r for r in unique.values() if f"{r.platform.value}\x00{r.external_id}" in inserted_ids
    )
    return IngestResult(inserted=len(new), duplicates=len(records) - len(new), new_records=new)
