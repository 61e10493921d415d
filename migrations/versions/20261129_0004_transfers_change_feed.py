"""Transfers between agencies, and the change feed with its sequencer.

Every history entry stored before this revision becomes a change, in the order it was
recorded, so that a follower starting from the beginning sees the whole past.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Moment = sa.DateTime(timezone=True)
Document = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
OPEN = sa.text("status IN ('sent', 'accepted')")

BACKFILL = """
INSERT INTO changes (position, type, dossier_id, dossier_code, version, status, at,
    recorded_at, procedure_code, receiving_agency, handling_agency, transfer_agency)
SELECT ROW_NUMBER() OVER (ORDER BY h.recorded_at, h.id), h.type, h.dossier_id, d.code,
    h.version, h.status, h.at, h.recorded_at, d.procedure_code, d.receiving_agency,
    d.handling_agency, NULL
FROM dossier_history h JOIN dossiers d ON d.id = h.dossier_id
"""


def upgrade() -> None:
    op.create_table(
        "transfers",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("dossier_id", BigId, sa.ForeignKey("dossiers.id"), nullable=False),
        sa.Column("dossier_code", sa.String(40), nullable=False),
        sa.Column("from_agency", sa.String(20), nullable=False),
        sa.Column("to_agency", sa.String(20), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("body", Document, nullable=False),
        sa.Column("sent_by", sa.String(100), nullable=False),
        sa.Column("sent_at", Moment, nullable=False),
        sa.Column("updated_at", Moment, nullable=False),
    )
    op.create_index(
        "uq_transfers_open_dossier",
        "transfers",
        ["dossier_id"],
        unique=True,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )
    op.create_index("ix_transfers_to_agency_id", "transfers", ["to_agency", "id"])
    op.create_index("ix_transfers_from_agency_id", "transfers", ["from_agency", "id"])
    op.create_index("ix_transfers_dossier_id", "transfers", ["dossier_id", "id"])

    op.create_table(
        "changes",
        sa.Column("position", BigId, primary_key=True, autoincrement=False),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("dossier_id", BigId, sa.ForeignKey("dossiers.id"), nullable=False),
        sa.Column("dossier_code", sa.String(40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("at", Moment, nullable=False),
        sa.Column("recorded_at", Moment, nullable=False),
        sa.Column("procedure_code", sa.String(60), nullable=False),
        sa.Column("receiving_agency", sa.String(20), nullable=False),
        sa.Column("handling_agency", sa.String(20), nullable=False),
        sa.Column("transfer_agency", sa.String(20)),
    )
    op.create_index("ix_changes_receiving_position", "changes", ["receiving_agency", "position"])
    op.create_index("ix_changes_handling_position", "changes", ["handling_agency", "position"])
    op.create_index("ix_changes_dossier_position", "changes", ["dossier_id", "position"])

    op.create_table(
        "feed_sequence",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("last", BigId, nullable=False),
    )
    op.execute(BACKFILL)
    op.execute("INSERT INTO feed_sequence (id, last) SELECT 1, COUNT(*) FROM changes")


def downgrade() -> None:
    op.drop_table("feed_sequence")
    op.drop_table("changes")
    op.drop_table("transfers")
