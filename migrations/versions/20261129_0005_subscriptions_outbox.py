"""Subscriptions and the delivery outbox.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Moment = sa.DateTime(timezone=True)
Document = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
OPEN = sa.text("status IN ('pending', 'retrying')")


def upgrade() -> None:
    op.create_table(
        "subscriptions",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("callback_url", sa.String(2000), nullable=False),
        sa.Column("events", Document, nullable=False),
        sa.Column("agencies", Document, nullable=False),
        sa.Column("procedures", Document, nullable=False),
        sa.Column("format", sa.String(50), nullable=False),
        sa.Column("secret", sa.String(200), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", Moment, nullable=False),
        sa.Column("updated_at", Moment, nullable=False),
    )
    op.create_table(
        "deliveries",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column(
            "subscription_id", BigId, sa.ForeignKey("subscriptions.id"), nullable=False
        ),
        sa.Column("change_position", BigId, nullable=False),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("dossier_id", BigId, nullable=False),
        sa.Column("dossier_code", sa.String(40), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text()),
        sa.Column("next_attempt_at", Moment, nullable=False),
        sa.Column("lease_token", sa.String(36)),
        sa.Column("leased_until", Moment),
        sa.Column("created_at", Moment, nullable=False),
        sa.Column("delivered_at", Moment),
    )
    op.create_index(
        "ix_deliveries_due",
        "deliveries",
        ["next_attempt_at", "id"],
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )
    op.create_index(
        "ix_deliveries_subscription_dossier",
        "deliveries",
        ["subscription_id", "dossier_id", "id"],
    )
    op.create_index("ix_deliveries_subscription_id", "deliveries", ["subscription_id", "id"])
    op.create_index("ix_deliveries_status", "deliveries", ["status"])


def downgrade() -> None:
    op.drop_table("deliveries")
    op.drop_table("subscriptions")
