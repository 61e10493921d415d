"""Catalogs: agencies, procedures, calendar overrides, and the counters that issue codes."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, JSONDocument, UTCDateTime


class AgencyRow(Base):
    __tablename__ = "agencies"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    level: Mapped[str] = mapped_column(String(10))
    parent: Mapped[str | None] = mapped_column(String(20))
    province_code: Mapped[str | None] = mapped_column(String(2))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_agencies_province_level", "province_code", "level"),)


class ProcedureRow(Base):
    __tablename__ = "procedures"

    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    name: Mapped[str] = mapped_column(String(500))
    field_code: Mapped[str | None] = mapped_column(String(50))
    limit_value: Mapped[int] = mapped_column(Integer)
    limit_unit: Mapped[str] = mapped_column(String(20))
    fees: Mapped[list[dict[str, Any]]] = mapped_column(JSONDocument)
    issues_result: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CalendarOverrideRow(Base):
    """An administrator's correction of the holiday library: a day off or a worked day."""

    __tablename__ = "calendar_overrides"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    working: Mapped[bool] = mapped_column(Boolean)
    name: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DossierCodeCounterRow(Base):
    """The last sequence number issued for an agency on a day (Vietnam time)."""

    __tablename__ = "dossier_code_counters"

    agency: Mapped[str] = mapped_column(String(20), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last: Mapped[int] = mapped_column(Integer)
