"""`lienthong demo` on a real database: every status and transfer outcome stored through the
services, a second run writes nothing, the codes it used are never issued again, and the
command refuses a database that is not the embedded one."""

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from app.cli import main
from app.db import Database
from app.demo import loader, showcase
from app.domain.access import ClientKind, Principal
from app.domain.status import Status
from app.models import ChangeRow, DossierRow, HistoryRow, TransferRow
from app.services import audit, codes
from app.settings import Settings

NOW = datetime.fromisoformat("2026-06-10T10:00:00+07:00")


async def _counts(db: Database) -> dict[str, int]:
    async with db.transaction(write=False) as session:
        return {
            table.__tablename__: await session.scalar(select(func.count()).select_from(table)) or 0
            for table in (DossierRow, HistoryRow, ChangeRow, TransferRow)
        }


# A thousand dossiers take a while: once, on SQLite; the smaller runs below use both engines.
@pytest.mark.parametrize("engine", ["sqlite"])
async def test_the_demo_stores_every_status_and_every_transfer_outcome(
    settings: Settings, db: Database
) -> None:
    report = await loader.seed(settings, 1000, now=NOW)

    async with db.transaction(write=False) as session:
        statuses = dict(
            (
                await session.execute(
                    select(DossierRow.status, func.count()).group_by(DossierRow.status)
                )
            ).all()
        )
        transfers = dict(
            (
                await session.execute(
                    select(TransferRow.status, func.count()).group_by(TransferRow.status)
                )
            ).all()
        )
        kinds = set(await session.scalars(select(HistoryRow.type).distinct()))
        overdue_open = await session.scalar(
            select(func.count()).where(
                DossierRow.due_at < NOW,
                DossierRow.finished_at.is_(None),
                DossierRow.paused_at.is_(None),
            )
        )
        verdict = await audit.verify(session, None)
    assert report.written == report.planned == 1001
    assert set(statuses) == {s.value for s in Status}
    assert statuses == report.statuses
    assert set(transfers) == {"sent", "accepted", "rejected", "completed"}
    assert kinds >= {"dossier.step_added", "dossier.extended", "dossier.updated"}
    assert overdue_open
    assert verdict.breaks == []


async def test_a_second_run_writes_nothing(settings: Settings, db: Database) -> None:
    first = await loader.seed(settings, 120, now=NOW)
    before = await _counts(db)

    again = await loader.seed(settings, 120, now=NOW)

    assert first.created_clients and first.written == 121
    assert not again.created_clients and again.written == 0
    assert await _counts(db) == before


async def test_codes_the_demo_used_are_never_issued_again(settings: Settings, db: Database) -> None:
    await loader.seed(settings, 120, now=NOW)
    operator = Principal("ops", ClientKind.ADMIN, (), frozenset())
    async with db.transaction(write=True) as session:
        issued = await codes.issue(session, "000.00.00.H56", date(2025, 11, 27), operator)
    assert showcase.CODE == "000.00.00.H56-251127-0012"
    assert issued.sequence == 13


def test_the_command_refuses_a_database_that_is_not_the_embedded_one(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HUB_DATABASE_URL", "postgresql+asyncpg://hub@db.example.vn/hub")

    assert main(["demo"]) == 2
    assert "PUBLIC secrets" in capsys.readouterr().err
