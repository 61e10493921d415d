"""Reads: one dossier, a filtered list with keyset paging, and a dossier's history."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime

import orjson
from sqlalchemy import ColumnElement, and_, func, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import load_only

from app.db import Database
from app.domain.access import Principal
from app.domain.clock import is_overdue, utcnow
from app.domain.status import Status
from app.errors import DossierNotFound
from app.models import DossierRow, HistoryRow
from app.schemas.dossier import DossierListItem
from app.schemas.dossier_parts import Channel
from app.schemas.envelopes import HistoryEntry
from app.services.access import visible_to
from app.services.records import RENDERED_COLUMNS, render

EXPORT_CHUNK = 500


async def get_dossier(session: AsyncSession, code: str, who: Principal) -> DossierRow:
    row = await session.scalar(select(DossierRow).where(DossierRow.code == code, visible_to(who)))
    if row is None:
        raise DossierNotFound(code)
    return row


async def existing_codes(session: AsyncSession, codes: list[str]) -> set[str]:
    """Which of these dossier codes are stored (whoever may see them): for a backfill that
    writes only what is missing."""
    if not codes:
        return set()
    found = await session.scalars(select(DossierRow.code).where(DossierRow.code.in_(codes)))
    return set(found)


@dataclass(frozen=True)
class DossierFilter:
    receiving_agency: str | None = None
    handling_agency: str | None = None
    province_code: str | None = None
    procedure_code: str | None = None
    statuses: tuple[Status, ...] = ()
    received_from: datetime | None = None
    received_to: datetime | None = None
    updated_since: datetime | None = None
    overdue: bool | None = None


def _overdue(now: datetime) -> ColumnElement[bool]:
    judged_at = func.coalesce(DossierRow.finished_at, DossierRow.paused_at, now)
    return and_(DossierRow.due_at.is_not(None), DossierRow.due_at < judged_at)


def conditions(f: DossierFilter, now: datetime) -> list[ColumnElement[bool]]:
    c: list[ColumnElement[bool]] = []
    for column, value in (
        (DossierRow.receiving_agency, f.receiving_agency),
        (DossierRow.handling_agency, f.handling_agency),
        (DossierRow.province_code, f.province_code),
        (DossierRow.procedure_code, f.procedure_code),
    ):
        if value is not None:
            c.append(column == value)
    if f.statuses:
        c.append(DossierRow.status.in_([s.value for s in f.statuses]))
    if f.received_from is not None:
        c.append(DossierRow.received_at >= f.received_from)
    if f.received_to is not None:
        c.append(DossierRow.received_at < f.received_to)
    if f.updated_since is not None:
        c.append(DossierRow.updated_at >= f.updated_since)
    if f.overdue is not None:
        overdue = _overdue(now)
        c.append(overdue if f.overdue else or_(DossierRow.due_at.is_(None), ~overdue))
    return c


async def list_dossiers(
    session: AsyncSession,
    f: DossierFilter,
    who: Principal,
    *,
    after: tuple[datetime, int] | None,
    limit: int,
) -> tuple[list[DossierRow], datetime]:
    """A page in (updatedAt, id) order, one more row than asked to tell if more follow."""
    now = utcnow()
    listed = load_only(
        DossierRow.id,
        DossierRow.code,
        DossierRow.procedure_code,
        DossierRow.receiving_agency,
        DossierRow.handling_agency,
        DossierRow.status,
        DossierRow.channel,
        DossierRow.received_at,
        DossierRow.due_at,
        DossierRow.finished_at,
        DossierRow.paused_at,
        DossierRow.version,
        DossierRow.updated_at,
        raiseload=True,
    )
    query = select(DossierRow).options(listed).where(visible_to(who), *conditions(f, now))
    if after is not None:
        query = query.where(tuple_(DossierRow.updated_at, DossierRow.id) > tuple_(*after))
    query = query.order_by(DossierRow.updated_at, DossierRow.id).limit(limit + 1)
    rows = list(await session.scalars(query))
    return rows, now


async def history(
    session: AsyncSession, code: str, who: Principal, *, after: int | None, limit: int
) -> list[HistoryRow]:
    dossier_id = await session.scalar(
        select(DossierRow.id).where(DossierRow.code == code, visible_to(who))
    )
    if dossier_id is None:
        raise DossierNotFound(code)
    query = select(HistoryRow).where(HistoryRow.dossier_id == dossier_id)
    if after is not None:
        query = query.where(HistoryRow.version > after)
    return list(await session.scalars(query.order_by(HistoryRow.version).limit(limit + 1)))


def list_item(row: DossierRow, now: datetime) -> DossierListItem:
    return DossierListItem(
        code=row.code,
        procedure_code=row.procedure_code,
        receiving_agency=row.receiving_agency,
        handling_agency=row.handling_agency,
        status=Status(row.status),
        channel=Channel(row.channel),
        received_at=row.received_at,
        due_at=row.due_at,
        overdue=is_overdue(row.due_at, row.finished_at, row.paused_at, now),
        version=row.version,
        updated_at=row.updated_at,
    )


def history_entry(row: HistoryRow) -> HistoryEntry:
    return HistoryEntry(
        version=row.version,
        type=row.type,
        at=row.at,
        recorded_at=row.recorded_at,
        status=Status(row.status),
        from_status=Status(row.from_status) if row.from_status else None,
        data=row.data,
    )


async def export(db: Database, f: DossierFilter, who: Principal) -> AsyncIterator[bytes]:
    """Whole dossiers as NDJSON, streamed from a server-side cursor in id order: memory stays
    flat whatever the result's size. The export reads in a transaction of its own, so it is
    one consistent snapshot even though it outlives the request's unit of work."""
    now = utcnow()
    query = (
        select(*RENDERED_COLUMNS)
        .where(visible_to(who), *conditions(f, now))
        .order_by(DossierRow.id)
        .execution_options(yield_per=EXPORT_CHUNK)
    )
    async with db.transaction(write=False, cursor=True) as session:
        result = await session.stream(query)
        async for rows in result.partitions():
            yield b"".join(orjson.dumps(render(row, now)) + b"\n" for row in rows)
