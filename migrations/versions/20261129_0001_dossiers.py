"""Dossiers, their append-only history, and stored idempotent responses.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Moment = sa.DateTime(timezone=True)
Document = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

# History is append-only (STANDARD.md section 4): the database itself refuses edits.
PG_APPEND_ONLY = [
    """CREATE FUNCTION dossier_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'dossier_history is append-only';
    END $$""",
    """CREATE TRIGGER dossier_history_append_only BEFORE UPDATE OR DELETE ON dossier_history
    FOR EACH ROW EXECUTE FUNCTION dossier_history_append_only()""",
]
SQLITE_APPEND_ONLY = [
    f"""CREATE TRIGGER dossier_history_no_{action} BEFORE {action.upper()} ON dossier_history
    BEGIN SELECT RAISE(ABORT, 'dossier_history is append-only'); END"""
    for action in ("update", "delete")
]


def upgrade() -> None:
    op.create_table(
        "dossiers",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("procedure_code", sa.String(60), nullable=False),
        sa.Column("receiving_agency", sa.String(20), nullable=False),
        sa.Column("handling_agency", sa.String(20), nullable=False),
        sa.Column("province_code", sa.String(2)),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("received_at", Moment),
        sa.Column("due_at", Moment),
        sa.Column("finished_at", Moment),
        sa.Column("paused_at", Moment),
        sa.Column("source_system", sa.String(100), nullable=False),
        sa.Column("source_version", BigId),
        sa.Column("source_updated_at", Moment, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("body", Document, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", Moment, nullable=False),
        sa.Column("updated_at", Moment, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_dossiers"),
        sa.UniqueConstraint("code", name="uq_dossiers_code"),
    )
    for name, columns in [
        ("ix_dossiers_updated", ["updated_at", "id"]),
        ("ix_dossiers_receiving_updated", ["receiving_agency", "updated_at", "id"]),
        ("ix_dossiers_handling_updated", ["handling_agency", "updated_at", "id"]),
        ("ix_dossiers_status_updated", ["status", "updated_at", "id"]),
        ("ix_dossiers_procedure_updated", ["procedure_code", "updated_at", "id"]),
        ("ix_dossiers_province_updated", ["province_code", "updated_at", "id"]),
        ("ix_dossiers_received_at", ["received_at"]),
        ("ix_dossiers_due_at", ["due_at"]),
    ]:
        op.create_index(name, "dossiers", columns)

    op.create_table(
        "dossier_history",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("dossier_id", BigId, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("at", Moment, nullable=False),
        sa.Column("recorded_at", Moment, nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("from_status", sa.String(30)),
        sa.Column("data", Document, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_dossier_history"),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossiers.id"],
                                name="fk_dossier_history_dossier_id_dossiers"),
        sa.UniqueConstraint("dossier_id", "version", name="uq_dossier_history_dossier_id_version"),
    )

    op.create_table(
        "idempotency_keys",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("principal", sa.String(100), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("headers", Document, nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", Moment, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_idempotency_keys"),
        sa.UniqueConstraint("principal", "key", name="uq_idempotency_keys_principal_key"),
    )
    op.create_index("ix_idempotency_keys_created_at", "idempotency_keys", ["created_at"])

    is_postgres = op.get_context().dialect.name == "postgresql"
    for statement in PG_APPEND_ONLY if is_postgres else SQLITE_APPEND_ONLY:
        op.execute(statement)


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP TRIGGER dossier_history_append_only ON dossier_history")
        op.execute("DROP FUNCTION dossier_history_append_only()")
    op.drop_table("idempotency_keys")
    op.drop_table("dossier_history")
    op.drop_table("dossiers")
