"""The storage layer on a real SQLite file and a real PostgreSQL database."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import DBAPIError

from app.db import Database
from app.domain.access import ClientKind, Principal, Scope
from app.domain.calendar import OfficeHours
from app.domain.snapshots import Outcome
from app.domain.status import Status
from app.models import DossierRow, HistoryRow
from app.schemas.acts import StatusChange
from app.schemas.dossier import DossierSnapshot
from app.services import acts, queries
from app.services.sync import sync_snapshots
from app.settings import Settings
from tests.factories import code_of, snapshot

HOURS = OfficeHours()
OPERATOR = Principal("operator", ClientKind.ADMIN, (), frozenset(Scope))


def _snap(n: int, **changes: object) -> DossierSnapshot:
    return DossierSnapshot.model_validate(snapshot(code=code_of(n), **changes))


async def test_a_batch_stores_every_new_dossier_with_one_history_entry_each(db: Database) -> None:
    async with db.transaction(write=True) as session:
        results = await sync_snapshots(session, [_snap(n) for n in range(1, 51)], HOURS, OPERATOR)
    assert {r.outcome for r in results} == {Outcome.CREATED}
    async with db.transaction(write=False) as session:
        assert await session.scalar(select(func.count()).select_from(DossierRow)) == 50
        assert await session.scalar(select(func.count()).select_from(HistoryRow)) == 50


async def test_derived_columns_follow_the_body(db: Database) -> None:
    async with db.transaction(write=True) as session:
        await sync_snapshots(session, [_snap(1)], HOURS, OPERATOR)
    async with db.transaction(write=False) as session:
        row = await queries.get_dossier(session, code_of(1), OPERATOR)
    assert row.status == "processing" and row.province_code == "38"
    assert row.received_at == datetime(2025, 11, 27, 1, 30, tzinfo=UTC)
    assert row.body["receivedAt"] == "2025-11-27T08:30:00+07:00"


async def test_a_failed_transaction_leaves_nothing_half_written(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with db.transaction(write=True) as session:
            await sync_snapshots(session, [_snap(1), _snap(2)], HOURS, OPERATOR)
            raise RuntimeError("the request failed after the writes")
    async with db.transaction(write=False) as session:
        assert await session.scalar(select(func.count()).select_from(DossierRow)) == 0
        assert await session.scalar(select(func.count()).select_from(HistoryRow)) == 0


async def test_history_rows_cannot_be_edited_or_deleted(db: Database) -> None:
    async with db.transaction(write=True) as session:
        await sync_snapshots(session, [_snap(1)], HOURS, OPERATOR)
    with pytest.raises(DBAPIError, match="append-only"):
        async with db.transaction(write=True) as session:
            await session.execute(update(HistoryRow).values(type="dossier.forged"))
    with pytest.raises(DBAPIError, match="append-only"):
        async with db.transaction(write=True) as session:
            await session.execute(text("DELETE FROM dossier_history"))


async def test_a_status_change_appends_history_and_bumps_the_version(db: Database) -> None:
    async with db.transaction(write=True) as session:
        await sync_snapshots(session, [_snap(1)], HOURS, OPERATOR)
    change = StatusChange.model_validate(
        {
            "status": "resolved",
            "at": "2025-11-28T10:00:00+07:00",
            "actor": {"name": "Nguyễn Văn Bình"},
        }
    )
    async with db.transaction(write=True) as session:
        row = await acts.change_status(session, code_of(1), change, None, HOURS, OPERATOR)
    assert (row.version, row.status) == (2, "resolved")
    assert row.body["resolvedAt"] == "2025-11-28T10:00:00+07:00"
    async with db.transaction(write=False) as session:
        entries = await queries.history(session, code_of(1), OPERATOR, after=None, limit=10)
    assert [(e.version, e.type, e.from_status) for e in entries] == [
        (1, "dossier.created", None),
        (2, "dossier.status_changed", "processing"),
    ]


async def test_keyset_pages_in_update_order_without_repeats(db: Database) -> None:
    async with db.transaction(write=True) as session:
        await sync_snapshots(session, [_snap(n) for n in range(1, 8)], HOURS, OPERATOR)
    seen: list[str] = []
    after = None
    while True:
        async with db.transaction(write=False) as session:
            rows, _ = await queries.list_dossiers(
                session, queries.DossierFilter(), OPERATOR, after=after, limit=3
            )
        seen += [r.code for r in rows[:3]]
        if len(rows) <= 3:
            break
        after = (rows[2].updated_at, rows[2].id)
    assert sorted(seen) == [code_of(n) for n in range(1, 8)] and len(seen) == 7


async def test_overdue_filter_is_computed_in_sql(db: Database) -> None:
    past = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    future = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    async with db.transaction(write=True) as session:
        await sync_snapshots(
            session,
            [
                _snap(1, dueAt=past),
                _snap(2, dueAt=future),
                _snap(3, dueAt=None, procedure={"code": "9.999999"}),  # no limit known
            ],
            HOURS,
            OPERATOR,
        )
    async with db.transaction(write=False) as session:
        late, _ = await queries.list_dossiers(
            session, queries.DossierFilter(overdue=True), OPERATOR, after=None, limit=10
        )
        fine, _ = await queries.list_dossiers(
            session, queries.DossierFilter(overdue=False), OPERATOR, after=None, limit=10
        )
    assert [r.code for r in late] == [code_of(1)]
    assert sorted(r.code for r in fine) == [code_of(2), code_of(3)]


async def test_status_filter_takes_several_statuses(db: Database) -> None:
    async with db.transaction(write=True) as session:
        await sync_snapshots(
            session,
            [_snap(1), _snap(2, status="received"), _snap(3, status="submitted", receivedAt=None)],
            HOURS,
            OPERATOR,
        )
    async with db.transaction(write=False) as session:
        rows, _ = await queries.list_dossiers(
            session,
            queries.DossierFilter(statuses=(Status.RECEIVED, Status.SUBMITTED)),
            OPERATOR,
            after=None,
            limit=10,
        )
    assert sorted(r.code for r in rows) == [code_of(2), code_of(3)]


@pytest.mark.parametrize(("setting", "level"), [("normal", 1), ("FULL", 2)])
async def test_the_embedded_database_syncs_its_commits_as_configured(
    tmp_path: Path, setting: str, level: int
) -> None:
    settings = Settings(  # type: ignore[call-arg]
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'hub.db'}",
        sqlite_synchronous=setting,
        _env_file=None,
    )
    database = Database.connect(settings)
    try:
        for write in (True, False):
            async with database.transaction(write=write) as session:
                assert await session.scalar(text("PRAGMA journal_mode")) == "wal"
                assert await session.scalar(text("PRAGMA synchronous")) == level
    finally:
        await database.dispose()
