"""Engine: interactions by author, covering the digest's per-person aggregates.

``(platform, author_id, created_at, kind, account_id)`` lets the digest count per person
(relationship, thanks), list one person's interactions and count the period per kind by
reading this narrow index instead of the table and its raw payloads.

Revision ID: 0003_author_index
Revises: 0002_signals
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision: str = "0003_author_index"
down_revision: str | None = "0002_signals"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_index(
        "ix_interactions_author_created",
        "interactions",
        ["platform", "author_id", "created_at", "kind", "account_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_interactions_author_created", table_name="interactions")
