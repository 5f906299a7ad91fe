"""Translation between domain objects and row values. Nothing outside storage sees a row."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from engagement.models import (
    Account,
    ActionKind,
    ActionRecord,
    ActionStatus,
    Author,
    Cursor,
    InteractionRecord,
    Platform,
    PostRef,
)
from storage._tables import AccountRow, ActionRow, AuthorRow, CursorRow, InteractionRow


def _ref(ref_id: str | None, cid: str | None) -> PostRef | None:
    return None if ref_id is None else PostRef(ref_id, cid)


INTERACTION_COLUMNS = (
    "platform",
    "external_id",
    "kind",
    "account_id",
    "author_id",
    "text",
    "language",
    "created_at",
    "indexed_at",
    "cid",
    "subject_id",
    "subject_cid",
    "subject_text",
    "root_id",
    "root_cid",
    "parent_id",
    "parent_cid",
    "url",
    "raw",
)


def interaction_tuple_factory(
    to_time: Callable[[datetime], Any], to_json: Callable[[Any], Any]
) -> Callable[[InteractionRecord], tuple[Any, ...]]:
    """A fast ``record -> row tuple`` (in :data:`INTERACTION_COLUMNS` order) for bulk ingest.

    Args:
        to_time: Converts an aware datetime for the driver.
        to_json: Converts the raw payload for the driver.
    """

    def build(r: InteractionRecord) -> tuple[Any, ...]:
        s, root, parent, raw = r.subject, r.root, r.parent, r.raw
        return (
            r.platform.value,
            r.external_id,
            str(r.kind),
            r.account_id,
            r.author.platform_id,
            r.text,
            r.language,
            to_time(r.created_at),
            to_time(r.indexed_at),
            r.cid,
            s.id if s else None,
            s.cid if s else None,
            r.subject_text,
            root.id if root else None,
            root.cid if root else None,
            parent.id if parent else None,
            parent.cid if parent else None,
            r.url,
            to_json(raw if isinstance(raw, dict) else dict(raw)),
        )

    return build


def author_values(author: Author, seen_at: datetime) -> dict[str, Any]:
    """Column values of the ``authors`` row for ``author``, first seen at ``seen_at``."""
    return {
        "platform": author.platform.value,
        "platform_id": author.platform_id,
        "handle": author.handle,
        "display_name": author.display_name,
        "followers_count": author.followers_count,
        "follows_count": author.follows_count,
        "posts_count": author.posts_count,
        "account_created_at": author.account_created_at,
        "description": author.description,
        "verified": author.verified,
        "avatar_url": author.avatar_url,
        "first_seen_at": seen_at,
        "first_followers_count": author.followers_count,
        "last_seen_at": seen_at,
    }


def author_from_row(row: AuthorRow) -> Author:
    """The domain author of a row."""
    return Author(
        platform=Platform(row.platform),
        platform_id=row.platform_id,
        handle=row.handle,
        display_name=row.display_name,
        followers_count=row.followers_count,
        follows_count=row.follows_count,
        posts_count=row.posts_count,
        account_created_at=row.account_created_at,
        description=row.description,
        verified=row.verified,
        avatar_url=row.avatar_url,
    )


def interaction_from_row(row: InteractionRow, author: AuthorRow) -> InteractionRecord:
    """The domain record of an interaction row and its author row."""
    return InteractionRecord(
        platform=Platform(row.platform),
        external_id=row.external_id,
        kind=row.kind,
        author=author_from_row(author),
        account_id=row.account_id,
        created_at=row.created_at,
        indexed_at=row.indexed_at,
        text=row.text,
        language=row.language,
        cid=row.cid,
        subject=_ref(row.subject_id, row.subject_cid),
        subject_text=row.subject_text,
        root=_ref(row.root_id, row.root_cid),
        parent=_ref(row.parent_id, row.parent_cid),
        url=row.url,
        raw=row.raw or {},
    )


def interactions_from_rows(
    pairs: Iterable[tuple[InteractionRow, AuthorRow]],
) -> list[InteractionRecord]:
    """Domain records of ``(interaction, author)`` row pairs, in order."""
    return [interaction_from_row(row, author) for row, author in pairs]


def account_from_row(row: AccountRow) -> Account:
    """The domain account of a row."""
    return Account(
        platform=Platform(row.platform),
        platform_id=row.platform_id,
        handle=row.handle,
        display_name=row.display_name,
        active=row.active,
        status_message=row.status_message,
    )


def cursor_from_row(row: CursorRow) -> Cursor:
    """The domain cursor of a row."""
    return Cursor(
        platform=Platform(row.platform),
        account_id=row.account_id,
        stream=row.stream,
        value=row.value,
        updated_at=row.updated_at,
    )


def cursor_values(cursor: Cursor) -> dict[str, Any]:
    """Column values of the ``cursors`` row for ``cursor``."""
    return {
        "platform": cursor.platform.value,
        "account_id": cursor.account_id,
        "stream": cursor.stream,
        "value": cursor.value,
        "updated_at": cursor.updated_at,
    }


def action_values(action: ActionRecord) -> dict[str, Any]:
    """Column values of the ``actions`` row for ``action`` (without the id)."""
    return {
        "idempotency_key": action.idempotency_key,
        "kind": action.kind.value,
        "status": action.status.value,
        "actor_id": action.actor_id,
        "actor_name": action.actor_name,
        "created_at": action.created_at,
        "platform": action.platform.value if action.platform else None,
        "interaction_id": action.interaction_id,
        "text": action.text,
        "result_id": action.result_id,
        "error": action.error,
        "completed_at": action.completed_at,
        "snooze_until": action.snooze_until,
    }


def action_from_row(row: ActionRow) -> ActionRecord:
    """The domain action of a row."""
    return ActionRecord(
        idempotency_key=row.idempotency_key,
        kind=ActionKind(row.kind),
        status=ActionStatus(row.status),
        actor_id=row.actor_id,
        actor_name=row.actor_name,
        created_at=row.created_at,
        platform=Platform(row.platform) if row.platform else None,
        interaction_id=row.interaction_id,
        text=row.text,
        result_id=row.result_id,
        error=row.error,
        completed_at=row.completed_at,
        snooze_until=row.snooze_until,
        id=row.id,
    )
