"""Engine: stored text signals per interaction (computed once, read by every digest).

Revision ID: 0002_signals
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002_signals"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "interaction_signals",
        sa.Column("interaction_id", BigId, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("question", sa.Boolean(), nullable=False),
        sa.Column("request", sa.Boolean(), nullable=False),
        sa.Column("complaint", sa.Boolean(), nullable=False),
        sa.Column("sentiment", sa.SmallInteger(), nullable=False),
        sa.Column("negative", sa.Float(), nullable=False),
        sa.Column("positive", sa.Float(), nullable=False),
        sa.Column("complaint_p", sa.Float(), nullable=False),
        sa.Column("support_p", sa.Float(), nullable=False),
        sa.Column("needs_reply", sa.Boolean(), nullable=False),
        sa.Column("spam_cues", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("interaction_id", name="pk_interaction_signals"),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interactions.id"],
            name="fk_interaction_signals_interaction_id_interactions",
            ondelete="CASCADE",
        ),
    )


def downgrade() -> None:
    op.drop_table("interaction_signals")
