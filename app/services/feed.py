"""The change feed (STANDARD.md section 5, "Change feed"): changes are staged while a
transaction works and take their positions from the one-row sequencer just before it commits.

Why that is gap-free (docs/feed.md): the sequencer row stays locked from the moment a
transaction takes its positions until it commits, so positions are handed out in commit order
and every committed position has only committed positions below it. A reader that sees the
sequencer at N sees all of 1..N.
"""

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Row, Table, false, insert, or_, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import before_commit
from app.domain.access import ClientKind, Principal
from app.domain.clock import to_vietnam
from app.models import ChangeRow, FeedSequenceRow
from app.services import outbox
from app.services.access import matching

CHANGES = cast(Table, ChangeRow.__table__)
_PENDING = "feed.pending"


def stage(session: AsyncSession, changes: Sequence[dict[str, Any]]) -> None:
    """Queue changes (ChangeRow members but `position`) for this transaction's commit."""
    if not changes:
        return
    pending: list[dict[str, Any]] = session.info.setdefault(_PENDING, [])
    pending.extend(changes)
    before_commit(session, "feed", publish)


def change_of(
    kind: str,
    dossier: Any,
    *,
    at: datetime,
    recorded_at: datetime,
    transfer_agency: str | None = None,
) -> dict[str, Any]:
    """The change a new dossier version makes; `dossier` is its row after the change."""
    return {
        "type": kind,
        "dossier_id": dossier.id,
        "dossier_code": dossier.code,
        "version": dossier.version,
        "status": dossier.status,
        "at": at,
        "recorded_at": recorded_at,
        "procedure_code": dossier.procedure_code,
        "receiving_agency": dossier.receiving_agency,
        "handling_agency": dossier.handling_agency,
        "transfer_agency": transfer_agency,
    }


async def publish(session: AsyncSession) -> None:
    """Give the staged changes their positions and store them: the last statements before
    the commit, so that the sequencer stays locked as briefly as possible."""
    pending: list[dict[str, Any]] = session.info.pop(_PENDING, [])
    if not pending:
        return
    last = await session.scalar(
        update(FeedSequenceRow)
        .where(FeedSequenceRow.id == 1)
        .values(last=FeedSequenceRow.last + len(pending))
        .returning(FeedSequenceRow.last)
    )
    if last is None:
        raise RuntimeError("the feed sequencer row is missing: run the migrations")
    first = last - len(pending) + 1
    rows = [{**change, "position": first + i} for i, change in enumerate(pending)]
    await session.execute(insert(CHANGES), rows)
    await outbox.enqueue(session, rows)


@asynccontextmanager
async def savepoint(session: AsyncSession) -> AsyncIterator[None]:
    """A savepoint whose staged changes are dropped with it when it rolls back."""
    pending: list[dict[str, Any]] = session.info.setdefault(_PENDING, [])
    mark = len(pending)
    try:
        async with session.begin_nested():
            yield
    except BaseException:
        del pending[mark:]
        raise


# Which columns of a change bind it to a client of each kind: a province follows the dossiers
# it received; a ministry what its agencies handled and the transfers sent to them.
_C = CHANGES.c
_BOUND_COLUMNS = {
    ClientKind.PROVINCE: (_C.receiving_agency,),
    ClientKind.MINISTRY: (_C.handling_agency, _C.transfer_agency),
}


def _matching(columns: Sequence[Any], patterns: Sequence[str]) -> ColumnElement[bool]:
    """One of the columns holds an agency one of the patterns covers."""
    return or_(*(matching(column, patterns) for column in columns))


def visible_changes(who: Principal) -> ColumnElement[bool]:
    columns = _BOUND_COLUMNS.get(who.kind)
    if columns is None:
        return true()
    if not who.agencies:
        return false()
    return _matching(columns, who.agencies)


@dataclass(frozen=True)
class ChangeFilter:
    agency: str | None = None
    types: tuple[str, ...] = ()


async def read(
    session: AsyncSession, who: Principal, f: ChangeFilter, *, after: int, limit: int
) -> tuple[Sequence[Row[Any]], int]:
    """Up to `limit` changes after position `after`, and the position to continue from.

    The sequencer is read first: every position up to it is committed, so the page query
    sees all of them. When the page is not full, everything up to that position was looked
    at, and the follower continues from there even if the filters kept nothing."""
    last = await session.scalar(select(FeedSequenceRow.last).where(FeedSequenceRow.id == 1))
    last = last or 0
    if after >= last:
        return [], after
    # Core over the table, not ORM objects: building a thousand instances a page was half of
    # a page's time (QUALITY.md P3). A row has the same attributes.
    query = select(CHANGES).where(_C.position > after, _C.position <= last, visible_changes(who))
    if f.agency is not None:
        query = query.where(
            _matching((_C.receiving_agency, _C.handling_agency, _C.transfer_agency), (f.agency,))
        )
    if f.types:
        query = query.where(_C.type.in_(f.types))
    result = await session.execute(query.order_by(_C.position).limit(limit))
    rows = result.all()
    return rows, rows[-1].position if len(rows) == limit else last


def item(row: Row[Any]) -> dict[str, Any]:
    """A change as the feed shows it (JSON-ready)."""
    return {
        "id": str(row.position),
        "type": row.type,
        "dossierCode": row.dossier_code,
        "at": to_vietnam(row.at).isoformat(),
        "recordedAt": to_vietnam(row.recorded_at).isoformat(),
        "version": row.version,
        "status": row.status,
    }
