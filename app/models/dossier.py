"""The dossier table (real columns for what is filtered, sorted or joined; JSON for the rest)
and its append-only history, one entry per version."""

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, BigId, JSONDocument, UTCDateTime


class DossierRow(Base):
    __tablename__ = "dossiers"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    procedure_code: Mapped[str] = mapped_column(String(60))
    receiving_agency: Mapped[str] = mapped_column(String(20))
    handling_agency: Mapped[str] = mapped_column(String(20))
    province_code: Mapped[str | None] = mapped_column(String(2))
    channel: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(30))
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the clock stopped for good (result ready or a terminal status) and when it paused
    # for a supplement: `overdue` is `due_at < coalesce(finished_at, paused_at, now)`.
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    source_system: Mapped[str] = mapped_column(String(100))
    source_version: Mapped[int | None] = mapped_column(BigId)
    source_updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    content_hash: Mapped[str] = mapped_column(String(64))
    # The hash of the newest history entry: the next entry chains to it (domain/audit.py).
    history_hash: Mapped[str] = mapped_column(String(64))
    body: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_dossiers_updated", "updated_at", "id"),
        Index("ix_dossiers_receiving_updated", "receiving_agency", "updated_at", "id"),
        Index("ix_dossiers_handling_updated", "handling_agency", "updated_at", "id"),
        Index("ix_dossiers_status_updated", "status", "updated_at", "id"),
        Index("ix_dossiers_procedure_updated", "procedure_code", "updated_at", "id"),
        Index("ix_dossiers_province_updated", "province_code", "updated_at", "id"),
        Index("ix_dossiers_received_at", "received_at"),
        Index("ix_dossiers_due_at", "due_at"),
    )


class HistoryRow(Base):
    """One entry per dossier version, never edited or deleted (a trigger refuses both)."""

    __tablename__ = "dossier_history"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"))
    version: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str | None] = mapped_column(String(30))
    data: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    client_id: Mapped[str | None] = mapped_column(String(100))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (UniqueConstraint("dossier_id", "version"),)
