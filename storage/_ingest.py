"""Idempotent batch ingest: authors, interactions and the stream's cursor in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from operator import itemgetter
from typing import Any

from sqlalchemy import Table, func, literal_column
from sqlalchemy.ext.asyncio import AsyncSession

from engagement.models import Author, Cursor, InteractionRecord, Platform
from storage._bulk import driver_processor, execute_many, insert_new
from storage._convert import (
    INTERACTION_COLUMNS,
    author_values,
    cursor_values,
    interaction_tuple_factory,
)
from storage._dialect import Insert, dialect_name, insert_stmt, upsert
from storage._tables import AuthorRow, CursorRow, InteractionRow

__all__ = ["IngestResult", "ingest"]

_AUTHORS: Table = AuthorRow.__table__  # type: ignore[assignment]
_INTERACTIONS: Table = InteractionRow.__table__  # type: ignore[assignment]
_CURSORS: Table = CursorRow.__table__  # type: ignore[assignment]
_INTERACTION_KEY = ("platform", "external_id")

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


def _fold(sightings: list[tuple[datetime, Author]]) -> dict[str, Any]:
    """Merge the sightings of one author: the latest wins, unknown fields do not erase."""
    sightings.sort(key=lambda pair: pair[0])
    first_seen, first = sightings[0]
    values = author_values(first, first_seen)
    for seen, author in sightings[1:]:
        later = author_values(author, seen)
        for name in ("handle", "verified", "last_seen_at"):
            values[name] = later[name]
        for name in _KNOWN_ONLY:
            if later[name] is not None:
                values[name] = later[name]
        for name in _NON_EMPTY_ONLY:
            if later[name]:
                values[name] = later[name]
        if values["first_followers_count"] is None:
            values["first_followers_count"] = later["followers_count"]
    return values


def _merge_authors(records: Sequence[InteractionRecord]) -> list[dict[str, Any]]:
    """One row per author of the batch (see :func:`_fold`).

    PostgreSQL refuses an ``ON CONFLICT DO UPDATE`` that touches the same row twice in one
    statement, so the batch is deduplicated here. Most authors look the same in every record
    of a batch; only those that differ are folded sighting by sighting.
    """
    sightings: dict[tuple[Platform, str], list[tuple[datetime, Author]]] = {}
    varied: set[tuple[Platform, str]] = set()
    for record in records:
        author = record.author
        key = (author.platform, author.platform_id)
        seen = sightings.get(key)
        if seen is None:
            sightings[key] = [(record.indexed_at, author)]
            continue
        last = seen[-1][1]
        if author is not last and author != last:
            varied.add(key)
        seen.append((record.indexed_at, author))
    rows: list[dict[str, Any]] = []
    for key, seen in sightings.items():
        if key in varied:
            rows.append(_fold(seen))
            continue
        times = [at for at, _ in seen]
        values = author_values(seen[0][1], min(times))
        values["last_seen_at"] = max(times)
        rows.append(values)
    return rows


def _identity(row: dict[str, Any]) -> dict[str, Any]:
    return row


def _sort_key(record: InteractionRecord) -> tuple[str, str]:
    return (record.platform.value, record.external_id)


@cache
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
        update[name] = func.coalesce(func.nullif(excluded[name], literal_column("''")), table[name])
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
        unique.setdefault((record.platform, record.external_id), record)
    inserted: set[tuple[str, str]] = set()
    if unique:
        # Key order turns random B-tree inserts into near-sequential ones (much faster).
        batch = sorted(unique.values(), key=_sort_key)
        authors = sorted(_merge_authors(batch), key=itemgetter("platform", "platform_id"))
        await execute_many(conn, _authors_upsert(dialect), _AUTHORS, authors, _identity)
        to_tuple = interaction_tuple_factory(
            driver_processor(_INTERACTIONS, "created_at", conn.dialect),
            driver_processor(_INTERACTIONS, "raw", conn.dialect),
        )
        keys = await insert_new(
            conn, _INTERACTIONS, INTERACTION_COLUMNS, batch, to_tuple, _INTERACTION_KEY
        )
        inserted = {(str(platform), str(external_id)) for platform, external_id in keys}
    if cursor is not None:
        cursor_upsert = upsert(dialect, _CURSORS, ["platform", "account_id", "stream"])
        await conn.execute(cursor_upsert, cursor_values(cursor))
    new = tuple(r for r in unique.values() if (r.platform.value, r.external_id) in inserted)
    return IngestResult(inserted=len(new), duplicates=len(records) - len(new), new_records=new)
