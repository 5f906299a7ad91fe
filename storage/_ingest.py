"""Idempotent batch ingest: authors, interactions and the stream's cursor in one transaction."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import cache
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
_AUTHOR_KEY = ("platform", "platform_id")

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
    """One row per author of the batch (see :func:`_fold`), sorted by key.

    PostgreSQL refuses an ``ON CONFLICT DO UPDATE`` that touches the same row twice in one
    statement, so the batch is deduplicated here. Most authors look the same in every record
    of a batch; only those that differ are folded sighting by sighting.
    """
    # platform -> platform_id -> [first seen, last seen, author as first seen]
    seen: dict[Platform, dict[str, list[Any]]] = {}
    varied: set[tuple[Platform, str]] = set()
    for record in records:
        author = record.author
        at = record.indexed_at
        per_platform = seen.get(author.platform)
        if per_platform is None:
            per_platform = seen[author.platform] = {}
        entry = per_platform.get(author.platform_id)
        if entry is None:
            per_platform[author.platform_id] = [at, at, author]
            continue
        if at < entry[0]:
            entry[0] = at
        if at > entry[1]:
            entry[1] = at
        if author is not entry[2] and author != entry[2]:
            varied.add(author.key)
    sightings: dict[tuple[Platform, str], list[tuple[datetime, Author]]] = {}
    if varied:
        for record in records:
            if record.author.key in varied:
                sightings.setdefault(record.author.key, []).append(
                    (record.indexed_at, record.author)
                )
    rows: list[dict[str, Any]] = []
    for platform in sorted(seen):
        per_platform = seen[platform]
        for platform_id in sorted(per_platform):
            first_at, last_at, author = per_platform[platform_id]
            if (platform, platform_id) in varied:
                rows.append(_fold(sightings[(platform, platform_id)]))
                continue
            values = author_values(author, first_at)
            values["last_seen_at"] = last_at
            rows.append(values)
    return rows


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a batch is converted.

    Converting a large batch allocates hundreds of thousands of short-lived containers (no
    cycles), which would otherwise trigger full collections that walk the whole heap of a
    running bot. Reference counting still frees everything; the collector resumes after.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _key_of(record: InteractionRecord) -> tuple[str, str]:
    return (str(record.platform), record.external_id)


def _identity(row: dict[str, Any]) -> dict[str, Any]:
    return row


@cache
def _authors_upsert(dialect: str) -> Insert:
    """Upsert authors; only a newer sighting updates (a backfill or a re-run changes nothing)."""
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
        index_elements=list(_AUTHOR_KEY),
        set_=update,
        where=excluded.last_seen_at > table.last_seen_at,
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
    with gc_paused():
        return await _ingest(session, records, cursor)


async def _ingest(
    session: AsyncSession,
    records: Sequence[InteractionRecord],
    cursor: Cursor | None,
) -> IngestResult:
    dialect = dialect_name(session)
    conn = await session.connection()
    # platform -> external_id -> record (first occurrence wins, like ON CONFLICT DO NOTHING)
    unique: dict[Platform, dict[str, InteractionRecord]] = {}
    for record in records:
        per_platform = unique.get(record.platform)
        if per_platform is None:
            per_platform = unique[record.platform] = {}
        per_platform.setdefault(record.external_id, record)
    # Key order turns random B-tree inserts into near-sequential ones (much faster).
    batch = [
        unique[platform][external_id]
        for platform in sorted(unique)
        for external_id in sorted(unique[platform])
    ]
    new: tuple[InteractionRecord, ...] = ()
    if batch:
        authors = _merge_authors(batch)
        await execute_many(
            conn, _authors_upsert(dialect), _AUTHORS, authors, _identity, _AUTHOR_KEY
        )
        to_tuple = interaction_tuple_factory(
            driver_processor(_INTERACTIONS, "created_at", conn.dialect),
            driver_processor(_INTERACTIONS, "raw", conn.dialect),
        )
        new = tuple(
            await insert_new(
                conn, _INTERACTIONS, INTERACTION_COLUMNS, batch, to_tuple, _INTERACTION_KEY, _key_of
            )
        )
    if cursor is not None:
        cursor_upsert = upsert(dialect, _CURSORS, ["platform", "account_id", "stream"])
        await conn.execute(cursor_upsert, cursor_values(cursor))
    return IngestResult(inserted=len(new), duplicates=len(records) - len(new), new_records=new)
