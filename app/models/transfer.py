"""Transfers (liên thông): a dossier sent from its handling agency to another agency or level,
accepted or rejected there, and completed back with the result."""

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, BigId, JSONDocument, UTCDateTime

OPEN = ("sent", "accepted")


class TransferRow(Base):
    __tablename__ = "transfers"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"))
    dossier_code: Mapped[str] = mapped_column(String(40))
    from_agency: Mapped[str] = mapped_column(String(20))
    to_agency: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10))  # sent, accepted, rejected, completed
    # The request as sent, and what each later act said: JSON as the API shows it.
    body: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    sent_by: Mapped[str] = mapped_column(String(100))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        # At most one open transfer per dossier, whatever the service checks first.
        Index(
            "uq_transfers_open_dossier",
            "dossier_id",
            unique=True,
            sqlite_where=text("status IN ('sent', 'accepted')"),
            postgresql_where=text("status IN ('sent', 'accepted')"),
        ),
        Index("ix_transfers_to_agency_id", "to_agency", "id"),
        Index("ix_transfers_from_agency_id", "from_agency", "id"),
        Index("ix_transfers_dossier_id", "dossier_id", "id"),
    )
