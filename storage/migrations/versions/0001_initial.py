"""Initial schema: accounts, authors, interactions, cursors, actions, digests, credentials, usage.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage._types import JSONDocument, UTCDateTime

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("platform_id", sa.String(255), nullable=False),
        sa.Column("handle", sa.String(255), nullable=False),
        sa.Column("display_name", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("status_message", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("platform", "platform_id", name="pk_accounts"),
    )
    op.create_table(
        "authors",
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("platform_id", sa.String(255), nullable=False),
        sa.Column("handle", sa.String(255), nullable=False),
        sa.Column("display_name", sa.Text(), nullable=False),
        sa.Column("followers_count", sa.BigInteger(), nullable=True),
        sa.Column("follows_count", sa.BigInteger(), nullable=True),
        sa.Column("posts_count", sa.BigInteger(), nullable=True),
        sa.Column("account_created_at", UTCDateTime(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("avatar_url", sa.Text(), nullable=True),
        sa.Column("first_seen_at", UTCDateTime(), nullable=False),
        sa.Column("first_followers_count", sa.BigInteger(), nullable=True),
        sa.Column("last_seen_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("platform", "platform_id", name="pk_authors"),
    )
    op.create_table(
        "interactions",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("external_id", sa.String(512), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("account_id", sa.String(255), nullable=False),
        sa.Column("author_id", sa.String(255), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(35), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("indexed_at", UTCDateTime(), nullable=False),
        sa.Column("cid", sa.String(255), nullable=True),
        sa.Column("subject_id", sa.String(512), nullable=True),
        sa.Column("subject_cid", sa.String(255), nullable=True),
        sa.Column("subject_text", sa.Text(), nullable=True),
        sa.Column("root_id", sa.String(512), nullable=True),
        sa.Column("root_cid", sa.String(255), nullable=True),
        sa.Column("parent_id", sa.String(512), nullable=True),
        sa.Column("parent_cid", sa.String(255), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("raw", JSONDocument(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_interactions"),
        sa.UniqueConstraint("platform", "external_id", name="uq_interactions_platform_external_id"),
        sa.ForeignKeyConstraint(
            ["platform", "author_id"],
            ["authors.platform", "authors.platform_id"],
            name="fk_interactions_platform_author_id_authors",
        ),
        sa.CheckConstraint("external_id <> ''", name="ck_interactions_external_id_not_empty"),
        sa.CheckConstraint("kind <> ''", name="ck_interactions_kind_not_empty"),
    )
    op.create_index(
        "ix_interactions_account_kind_created",
        "interactions",
        ["account_id", "kind", "created_at"],
    )
    op.create_index("ix_interactions_created_at", "interactions", ["created_at"])
    op.create_table(
        "cursors",
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("account_id", sa.String(255), nullable=False),
        sa.Column("stream", sa.String(64), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("platform", "account_id", "stream", name="pk_cursors"),
        sa.CheckConstraint("stream <> ''", name="ck_cursors_stream_not_empty"),
    )
    op.create_table(
        "actions",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("idempotency_key", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("actor_id", sa.String(255), nullable=False),
        sa.Column("actor_name", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("platform", sa.String(16), nullable=True),
        sa.Column("interaction_id", sa.String(512), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("result_id", sa.String(512), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("completed_at", UTCDateTime(), nullable=True),
        sa.Column("snooze_until", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_actions"),
        sa.UniqueConstraint("idempotency_key", name="uq_actions_idempotency_key"),
    )
    op.create_index("ix_actions_interaction", "actions", ["platform", "interaction_id"])
    op.create_index("ix_actions_created_at", "actions", ["created_at"])
    op.create_table(
        "digests",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("period_key", sa.String(64), nullable=False),
        sa.Column("destination", sa.String(255), nullable=False),
        sa.Column("claimed_at", UTCDateTime(), nullable=False),
        sa.Column("posted_at", UTCDateTime(), nullable=True),
        sa.Column("message_ids", JSONDocument(), nullable=False),
        sa.Column("payload", JSONDocument(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_digests"),
        sa.UniqueConstraint(
            "period_key", "destination", name="uq_digests_period_key_destination"
        ),
    )
    op.create_table(
        "credentials",
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("account_id", sa.String(255), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("platform", "account_id", "name", name="pk_credentials"),
    )
    op.create_table(
        "api_usage",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("endpoint", sa.String(255), nullable=False),
        sa.Column("resources", sa.Integer(), nullable=False),
        sa.Column("cost_usd", sa.Float(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_api_usage"),
    )
    op.create_index("ix_api_usage_platform_at", "api_usage", ["platform", "at"])


def downgrade() -> None:
    for table in (
        "api_usage",
        "credentials",
        "digests",
        "actions",
        "cursors",
        "interactions",
        "authors",
        "accounts",
    ):
        op.drop_table(table)
