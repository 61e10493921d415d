"""Outbound delivery: subscriptions and the transactional outbox of their deliveries."""

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, LargeBinary, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, BigId, JSONDocument, UTCDateTime


class SubscriptionRow(Base):
    __tablename__ = "subscriptions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    callback_url: Mapped[str] = mapped_column(String(2000))
    events: Mapped[list[str]] = mapped_column(JSONDocument)  # empty: every change type
    agencies: Mapped[list[str]] = mapped_column(JSONDocument)  # agency patterns; empty: all
    procedures: Mapped[list[str]] = mapped_column(JSONDocument)  # empty: all
    format: Mapped[str] = mapped_column(String(50))  # "common" or an adapter's system
    # Kept as given: signing needs the secret itself, not a hash of it (docs/delivery.md).
    secret: Mapped[str] = mapped_column(String(200))
    paused: Mapped[bool] = mapped_column(Boolean)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DeliveryRow(Base):
    """One change for one subscription, rendered in its format when the change committed."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscriptions.id"))
    change_position: Mapped[int] = mapped_column(BigId)  # the event id receivers dedupe on
    type: Mapped[str] = mapped_column(String(40))
    dossier_id: Mapped[int] = mapped_column(BigId)
    dossier_code: Mapped[str] = mapped_column(String(40))
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(10))  # pending, retrying, delivered, dead
    attempts: Mapped[int] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # A worker's claim: no other worker takes the delivery until the lease ends.
    lease_token: Mapped[str | None] = mapped_column(String(36))
    leased_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        # What the workers look for: the open deliveries, by when they are due.
        Index(
            "ix_deliveries_due",
            "next_attempt_at",
            "id",
            sqlite_where=text("status IN ('pending', 'retrying')"),
            postgresql_where=text("status IN ('pending', 'retrying')"),
        ),
        # The order rule: the earliest open delivery of a dossier for a subscription goes first.
        Index("ix_deliveries_subscription_dossier", "subscription_id", "dossier_id", "id"),
        Index("ix_deliveries_subscription_id", "subscription_id", "id"),
        Index("ix_deliveries_status", "status"),
    )
