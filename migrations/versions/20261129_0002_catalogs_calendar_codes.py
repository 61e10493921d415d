"""Catalogs (agencies, procedures), calendar overrides and dossier code counters.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Moment = sa.DateTime(timezone=True)
Document = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "agencies",
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("level", sa.String(10), nullable=False),
        sa.Column("parent", sa.String(20)),
        sa.Column("province_code", sa.String(2)),
        sa.Column("updated_at", Moment, nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_agencies"),
    )
    op.create_index("ix_agencies_province_level", "agencies", ["province_code", "level"])
    op.create_table(
        "procedures",
        sa.Column("code", sa.String(60), nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("field_code", sa.String(50)),
        sa.Column("limit_value", sa.Integer(), nullable=False),
        sa.Column("limit_unit", sa.String(20), nullable=False),
        sa.Column("fees", Document, nullable=False),
        sa.Column("issues_result", sa.Boolean(), nullable=False),
        sa.Column("updated_at", Moment, nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_procedures"),
    )
    op.create_table(
        "calendar_overrides",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("working", sa.Boolean(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("updated_at", Moment, nullable=False),
        sa.PrimaryKeyConstraint("day", name="pk_calendar_overrides"),
    )
    op.create_table(
        "dossier_code_counters",
        sa.Column("agency", sa.String(20), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("agency", "day", name="pk_dossier_code_counters"),
    )


def downgrade() -> None:
    op.drop_table("dossier_code_counters")
    op.drop_table("calendar_overrides")
    op.drop_table("procedures")
    op.drop_table("agencies")
