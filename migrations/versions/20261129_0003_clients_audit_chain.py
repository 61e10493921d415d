"""API clients, and the audit chain of the history (client and hash of each entry).

Existing history entries are chained in place: the append-only triggers are lifted for the
backfill only.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from collections.abc import Sequence
from datetime import UTC

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from app.domain.audit import GENESIS, entry_hash

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Moment = sa.DateTime(timezone=True)
Document = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
SQLITE_TRIGGERS = {
    action: f"""CREATE TRIGGER dossier_history_no_{action} BEFORE {action.upper()}
    ON dossier_history BEGIN SELECT RAISE(ABORT, 'dossier_history is append-only'); END"""
    for action in ("update", "delete")
}


def _backfill() -> None:
    bind = op.get_bind()
    history = sa.table(
        "dossier_history", sa.column("id"), sa.column("dossier_id"), sa.column("version"),
        sa.column("type"), sa.column("at", Moment), sa.column("recorded_at", Moment),
        sa.column("status"), sa.column("from_status"), sa.column("data", Document),
        sa.column("client_id"), sa.column("hash"),
    )
    dossiers = sa.table("dossiers", sa.column("id"), sa.column("code"),
                        sa.column("history_hash"))
    codes = dict(bind.execute(sa.select(dossiers.c.id, dossiers.c.code)).all())
    last: dict[int, str] = {}
    rows = bind.execute(sa.select(history).order_by(history.c.dossier_id, history.c.version))
    for row in rows.all():
        at, recorded = (m if m.tzinfo else m.replace(tzinfo=UTC) for m in (row.at,
                                                                             row.recorded_at))
        digest = entry_hash(
            last.get(row.dossier_id, GENESIS), dossier=codes[row.dossier_id],
            version=row.version, type=row.type, at=at, recorded_at=recorded, status=row.status,
            from_status=row.from_status, data=row.data, client_id=None,
        )
        bind.execute(history.update().where(history.c.id == row.id).values(hash=digest))
        last[row.dossier_id] = digest
    for dossier_id, digest in last.items():
        bind.execute(dossiers.update().where(dossiers.c.id == dossier_id)
                     .values(history_hash=digest))


def upgrade() -> None:
    op.create_table(
        "clients",
        sa.Column("id", sa.String(100), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("agencies", Document, nullable=False),
        sa.Column("scopes", Document, nullable=False),
        sa.Column("secret_hash", sa.String(200), nullable=False),
        sa.Column("created_at", Moment, nullable=False),
        sa.Column("revoked_at", Moment),
        sa.PrimaryKeyConstraint("id", name="pk_clients"),
    )
    is_postgres = op.get_context().dialect.name == "postgresql"
    if is_postgres:
        op.execute("ALTER TABLE dossier_history DISABLE TRIGGER dossier_history_append_only")
    else:
        for action in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER dossier_history_no_{action}")
    with op.batch_alter_table("dossier_history") as batch:
        batch.add_column(sa.Column("client_id", sa.String(100)))
        batch.add_column(sa.Column("hash", sa.String(64), nullable=False, server_default=""))
    with op.batch_alter_table("dossiers") as batch:
        batch.add_column(sa.Column("history_hash", sa.String(64), nullable=False,
                                   server_default=GENESIS))
    _backfill()
    with op.batch_alter_table("dossier_history") as batch:
        batch.alter_column("hash", server_default=None)
    with op.batch_alter_table("dossiers") as batch:
        batch.alter_column("history_hash", server_default=None)
    if is_postgres:
        op.execute("ALTER TABLE dossier_history ENABLE TRIGGER dossier_history_append_only")
    else:
        for statement in SQLITE_TRIGGERS.values():
            op.execute(statement)


def downgrade() -> None:
    is_postgres = op.get_context().dialect.name == "postgresql"
    if is_postgres:
        op.execute("ALTER TABLE dossier_history DISABLE TRIGGER dossier_history_append_only")
    else:
        for action in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER dossier_history_no_{action}")
    with op.batch_alter_table("dossiers") as batch:
        batch.drop_column("history_hash")
    with op.batch_alter_table("dossier_history") as batch:
        batch.drop_column("hash")
        batch.drop_column("client_id")
    if is_postgres:
        op.execute("ALTER TABLE dossier_history ENABLE TRIGGER dossier_history_append_only")
    else:
        for statement in SQLITE_TRIGGERS.values():
            op.execute(statement)
    op.drop_table("clients")
