"""The change feed: every change of every dossier at its position in one total order, and the
one-row sequencer that hands out the positions (docs/feed.md explains why it is gap-free)."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, BigId, UTCDateTime


class ChangeRow(Base):
    __tablename__ = "changes"

    # Given by the sequencer at commit time, never by an autoincrement: see docs/feed.md.
    position: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    type: Mapped[str] = mapped_column(String(40))
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"))
    dossier_code: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(30))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    procedure_code: Mapped[str] = mapped_column(String(60))
    # The agencies of the dossier at the time of the change, and for a transfer event the
    # other party: what the `agency` filter and the clients' agency binding look at.
    receiving_agency: Mapped[str] = mapped_column(String(20))
    handling_agency: Mapped[str] = mapped_column(String(20))
    transfer_agency: Mapped[str | None] = mapped_column(String(20))

    __table_args__ = (
        Index("ix_changes_receiving_position", "receiving_agency", "position"),
        Index("ix_changes_handling_position", "handling_agency", "position"),
        Index("ix_changes_dossier_position", "dossier_id", "position"),
    )


class FeedSequenceRow(Base):
    """One row: the last position given. Taking the next ones locks it until commit."""

    __tablename__ = "feed_sequence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(BigId)
