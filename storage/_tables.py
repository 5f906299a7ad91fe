"""The tables, as SQLAlchemy declarative rows (``…Row``). Only storage sees these classes.

Names are plain so the database can be read with plain SQL. Every datetime column holds
aware UTC (:class:`~storage._types.UTCDateTime`). The schema itself is made by the Alembic
migrations in ``storage/migrations``, never by ``create_all``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storage._types import JSONDocument, UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite only auto-increments a column declared exactly INTEGER PRIMARY KEY.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    """Declarative base with a naming convention, so migrations name constraints stably."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class AccountRow(Base):
    """A brand account the bot is connected to."""

    __tablename__ = "accounts"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    platform_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    handle: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    status_message: Mapped[str] = mapped_column(Text, default="")


class AuthorRow(Base):
    """Somebody who interacted, with the audience seen first (for growth) and last."""

    __tablename__ = "authors"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    platform_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    handle: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(Text, default="")
    followers_count: Mapped[int | None] = mapped_column(BigInteger)
    follows_count: Mapped[int | None] = mapped_column(BigInteger)
    posts_count: Mapped[int | None] = mapped_column(BigInteger)
    account_created_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    description: Mapped[str] = mapped_column(Text, default="")
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    avatar_url: Mapped[str | None] = mapped_column(Text)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    first_followers_count: Mapped[int | None] = mapped_column(BigInteger)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)


class InteractionRow(Base):
    """One interaction, unique on ``(platform, external_id)``."""

    __tablename__ = "interactions"
    __table_args__ = (
        UniqueConstraint("platform", "external_id"),
        ForeignKeyConstraint(
            ["platform", "author_id"], ["authors.platform", "authors.platform_id"]
        ),
        CheckConstraint("external_id <> ''", name="external_id_not_empty"),
        CheckConstraint("kind <> ''", name="kind_not_empty"),
        Index("ix_interactions_account_kind_created", "account_id", "kind", "created_at"),
        Index("ix_interactions_created_at", "created_at"),
        Index(
            "ix_interactions_author_created",
            "platform",
            "author_id",
            "created_at",
            "kind",
            "account_id",
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(512))
    kind: Mapped[str] = mapped_column(String(64))
    account_id: Mapped[str] = mapped_column(String(255))
    author_id: Mapped[str] = mapped_column(String(255))
    text: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str | None] = mapped_column(String(35))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    indexed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    cid: Mapped[str | None] = mapped_column(String(255))
    subject_id: Mapped[str | None] = mapped_column(String(512))
    subject_cid: Mapped[str | None] = mapped_column(String(255))
    subject_text: Mapped[str | None] = mapped_column(Text)
    root_id: Mapped[str | None] = mapped_column(String(512))
    root_cid: Mapped[str | None] = mapped_column(String(255))
    parent_id: Mapped[str | None] = mapped_column(String(512))
    parent_cid: Mapped[str | None] = mapped_column(String(255))
    url: Mapped[str | None] = mapped_column(Text)
    raw: Mapped[dict[str, Any]] = mapped_column(JSONDocument())


class CursorRow(Base):
    """Where a watcher's stream stands, per account and stream."""

    __tablename__ = "cursors"
    __table_args__ = (CheckConstraint("stream <> ''", name="stream_not_empty"),)

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    stream: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ActionRow(Base):
    """Who did what about which interaction, recorded before sending, confirmed after."""

    __tablename__ = "actions"
    __table_args__ = (
        UniqueConstraint("idempotency_key"),
        Index("ix_actions_interaction", "platform", "interaction_id"),
        Index("ix_actions_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    idempotency_key: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[str] = mapped_column(String(255))
    actor_name: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    platform: Mapped[str | None] = mapped_column(String(16))
    interaction_id: Mapped[str | None] = mapped_column(String(512))
    text: Mapped[str | None] = mapped_column(Text)
    result_id: Mapped[str | None] = mapped_column(String(512))
    error: Mapped[str | None] = mapped_column(Text)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    snooze_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DigestRow(Base):
    """A digest for one period and destination; the unique pair makes posting happen once."""

    __tablename__ = "digests"
    __table_args__ = (UniqueConstraint("period_key", "destination"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    period_key: Mapped[str] = mapped_column(String(64))
    destination: Mapped[str] = mapped_column(String(255))
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    message_ids: Mapped[list[str]] = mapped_column(JSONDocument())
    payload: Mapped[dict[str, Any]] = mapped_column(JSONDocument())


class CredentialRow(Base):
    """A session string or rotated token, per platform, account and name."""

    __tablename__ = "credentials"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ApiUsageRow(Base):
    """One billable API call (resources read or written, and what it cost)."""

    __tablename__ = "api_usage"
    __table_args__ = (Index("ix_api_usage_platform_at", "platform", "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(16))
    endpoint: Mapped[str] = mapped_column(String(255))
    resources: Mapped[int] = mapped_column(Integer)
    cost_usd: Mapped[float] = mapped_column(Float)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
