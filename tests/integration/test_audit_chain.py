"""The audit chain of dossier history (QUALITY.md S5): each entry names the client that made it
and chains to the entry before it, so that an entry changed or removed behind the hub's back
is reported with its dossier and version, by `audit.verify` and by `lienthong audit verify`."""

import asyncio
import os
import sys
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy import select, text

from app import migrator
from app.db import Database, JSONDocument, UTCDateTime
from app.domain.audit import entry_hash
from app.models import DossierRow, HistoryRow
from app.services import audit
from app.settings import Settings
from tests.auth import ADMIN_ID, bearer, create_client
from tests.factories import code_of, extension, snapshot, status_change, step

MINISTRY = "000.00.04.G14"
CHAINED, OTHER = code_of(1), code_of(2)  # five entries; two entries
SQLITE_GUARDS = {
    action: f"""CREATE TRIGGER dossier_history_no_{action} BEFORE {action.upper()}
    ON dossier_history BEGIN SELECT RAISE(ABORT, 'dossier_history is append-only'); END"""
    for action in ("update", "delete")
}
ENTRY_OF = "dossier_id = (SELECT id FROM dossiers WHERE code = :code) AND version = :version"


async def tamper(db: Database, statement: str, **params: object) -> None:
    """Run one statement on the history as someone with database access would: lifting the
    append-only guard, and putting it back in the same transaction."""
    async with db.transaction(write=True) as session:
        if db.is_sqlite:
            for action in SQLITE_GUARDS:
                await session.execute(text(f"DROP TRIGGER dossier_history_no_{action}"))
        else:
            await session.execute(
                text("ALTER TABLE dossier_history DISABLE TRIGGER dossier_history_append_only")
            )
        result = await session.execute(text(statement), params)
        assert result.rowcount == 1  # type: ignore[attr-defined]
        if db.is_sqlite:
            for create in SQLITE_GUARDS.values():
                await session.execute(text(create))
        else:
            await session.execute(
                text("ALTER TABLE dossier_history ENABLE TRIGGER dossier_history_append_only")
            )


async def verdict_of(db: Database) -> audit.Verdict:
    async with db.transaction(write=False) as session:
        return await audit.verify(session)


def broken(verdict: audit.Verdict) -> list[tuple[str, int]]:
    return [(b.dossier, b.version) for b in verdict.breaks]


@dataclass
class Caller:
    client_id: str
    headers: dict[str, str]


@pytest.fixture
async def callers(client: httpx.AsyncClient) -> dict[str, Caller]:
    made = {
        "province": await create_client(client, "province", ["*.*.*.H56"]),
        "ministry": await create_client(client, "ministry", [MINISTRY]),
    }
    return {kind: Caller(c.client_id, await bearer(client, c)) for kind, c in made.items()}


@pytest.fixture
async def chained(client: httpx.AsyncClient, callers: dict[str, Caller]) -> None:
    """CHAINED: a snapshot and a sync by the province, a step by the ministry, an extension
    and a status change by the admin. OTHER: two snapshots by the admin."""
    province, ministry = callers["province"].headers, callers["ministry"].headers
    first = snapshot(code=CHAINED, handlingAgency=MINISTRY)
    later = snapshot(code=CHAINED, handlingAgency=MINISTRY, summary="Bổ sung", source_version=4)
    answers = [
        await client.put(f"/dossiers/{CHAINED}", json=first, headers=province),
        await client.post("/sync/dossiers", json={"items": [later]}, headers=province),
        await client.post(f"/dossiers/{CHAINED}/steps", json=step(), headers=ministry),
        await client.post(f"/dossiers/{CHAINED}/extensions", json=extension()),
        await client.post(f"/dossiers/{CHAINED}/status", json=status_change("resolved")),
        await client.put(f"/dossiers/{OTHER}", json=snapshot(code=OTHER)),
        await client.put(
            f"/dossiers/{OTHER}", json=snapshot(code=OTHER, summary="Bổ sung", source_version=4)
        ),
    ]
    assert [a.status_code for a in answers] == [201, 200, 201, 201, 200, 201, 200]
    assert answers[1].json()["results"][0]["outcome"] == "updated"
    assert answers[-1].headers["Sync-Outcome"] == "updated"


async def test_each_history_entry_names_the_client_that_made_it(
    db: Database, callers: dict[str, Caller], chained: None
) -> None:
    async with db.transaction(write=False) as session:
        rows = await session.scalars(
            select(HistoryRow)
            .join(DossierRow, DossierRow.id == HistoryRow.dossier_id)
            .where(DossierRow.code == CHAINED)
            .order_by(HistoryRow.version)
        )
        entries = [(row.version, row.client_id) for row in rows]

    province, ministry = callers["province"].client_id, callers["ministry"].client_id
    assert entries == [(1, province), (2, province), (3, ministry), (4, ADMIN_ID), (5, ADMIN_ID)]


async def test_an_untouched_history_verifies(db: Database, chained: None) -> None:
    verdict = await verdict_of(db)

    assert verdict.breaks == []
    assert (verdict.dossiers, verdict.entries) == (2, 7)


ALTERATIONS = {
    "data": "data = (SELECT h.data FROM dossier_history h"
    " WHERE h.dossier_id = dossier_history.dossier_id AND h.version = 1)",
    "status": "status = 'returned'",
    "client": "client_id = 'cli_someone_else'",
    "recorded time": "recorded_at = at",
    "type": "type = 'dossier.updated'",
}


@pytest.mark.parametrize("change", list(ALTERATIONS.values()), ids=list(ALTERATIONS))
async def test_an_altered_entry_is_reported_by_dossier_and_version(
    db: Database, chained: None, change: str
) -> None:
    await tamper(
        db, f"UPDATE dossier_history SET {change} WHERE {ENTRY_OF}", code=CHAINED, version=3
    )

    assert broken(await verdict_of(db)) == [(CHAINED, 3)]


@pytest.mark.parametrize(("version", "reported"), [(1, 1), (3, 3), (5, 5)])
async def test_a_deleted_entry_is_reported(
    db: Database, chained: None, version: int, reported: int
) -> None:
    await tamper(db, f"DELETE FROM dossier_history WHERE {ENTRY_OF}", code=CHAINED, version=version)

    assert broken(await verdict_of(db)) == [(CHAINED, reported)]


async def test_an_entry_rewritten_with_a_fresh_hash_breaks_the_next_link(
    db: Database, chained: None
) -> None:
    """Recomputing the altered entry's own hash does not help: the entry after it chained to
    the old one."""
    async with db.transaction(write=False) as session:
        entries = {
            row.version: row
            for row in await session.scalars(
                select(HistoryRow)
                .join(DossierRow, DossierRow.id == HistoryRow.dossier_id)
                .where(DossierRow.code == CHAINED)
            )
        }
    forged = entries[3]
    digest = entry_hash(
        entries[2].hash,
        dossier=CHAINED,
        version=3,
        type=forged.type,
        at=forged.at,
        recorded_at=forged.recorded_at,
        status="returned",
        from_status=forged.from_status,
        data=forged.data,
        client_id=forged.client_id,
    )

    await tamper(
        db,
        f"UPDATE dossier_history SET status = 'returned', hash = :digest WHERE {ENTRY_OF}",
        code=CHAINED,
        version=3,
        digest=digest,
    )

    assert broken(await verdict_of(db)) == [(CHAINED, 4)]


async def audit_command(settings: Settings) -> tuple[int, str]:
    environment = {**os.environ, "HUB_DATABASE_URL": settings.effective_database_url}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "app",
        "audit",
        "verify",
        cwd=migrator.ROOT,
        env=environment,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    assert process.returncode is not None
    return process.returncode, output.decode()


async def test_the_audit_command_passes_an_intact_history(
    settings: Settings, chained: None
) -> None:
    code, output = await audit_command(settings)

    assert code == 0, output
    assert "BROKEN" not in output
    assert "checked 7 history entries of 2 dossiers: 0 broken" in output


async def test_the_audit_command_names_the_broken_dossier_and_version(
    db: Database, settings: Settings, chained: None
) -> None:
    await tamper(
        db,
        f"UPDATE dossier_history SET status = 'returned' WHERE {ENTRY_OF}",
        code=OTHER,
        version=2,
    )

    code, output = await audit_command(settings)

    assert code == 1, output
    assert f"BROKEN {OTHER} at version 2" in output
    assert CHAINED not in output


MOMENT = datetime(2025, 11, 27, 1, 30, 15, 123456, tzinfo=UTC)
LEGACY_DOSSIERS = sa.table(
    "dossiers",
    *(sa.column(name) for name in ("id", "code", "procedure_code", "receiving_agency")),
    *(sa.column(name) for name in ("handling_agency", "channel", "status", "source_system")),
    *(sa.column(name) for name in ("content_hash", "version")),
    sa.column("body", JSONDocument),
    *(sa.column(name, UTCDateTime()) for name in ("source_updated_at", "created_at")),
    sa.column("updated_at", UTCDateTime()),
)
LEGACY_HISTORY = sa.table(
    "dossier_history",
    *(sa.column(name) for name in ("dossier_id", "version", "type", "status", "from_status")),
    sa.column("data", JSONDocument),
    *(sa.column(name, UTCDateTime()) for name in ("at", "recorded_at")),
)


async def _write_before_the_chain(settings: Settings) -> None:
    """A dossier and its two history entries as revision 0002 stored them: no hashes."""
    db = Database.connect(settings)
    try:
        async with db.transaction(write=True) as session:
            dossier_id = await session.scalar(
                LEGACY_DOSSIERS.insert()
                .values(
                    code=CHAINED,
                    procedure_code="1.001193",
                    receiving_agency="000.00.00.H56",
                    handling_agency="000.00.00.H56",
                    channel="online",
                    status="processing",
                    source_system="motcua-thanhhoa",
                    content_hash="0" * 64,
                    version=2,
                    body=snapshot(code=CHAINED),
                    source_updated_at=MOMENT,
                    created_at=MOMENT,
                    updated_at=MOMENT,
                )
                .returning(sa.column("id"))
            )
            await session.execute(
                LEGACY_HISTORY.insert(),
                [
                    {"dossier_id": dossier_id, "version": 1, "type": "dossier.created",
                     "status": "received", "from_status": None, "data": {"via": "snapshot"},
                     "at": MOMENT, "recorded_at": MOMENT},
                    {"dossier_id": dossier_id, "version": 2, "type": "dossier.status_changed",
                     "status": "processing", "from_status": "received",
                     "data": {"via": "snapshot", "note": "Thẩm định"}, "at": MOMENT,
                     "recorded_at": MOMENT},
                ],
            )  # fmt: skip
    finally:
        await db.dispose()


async def _verify(settings: Settings) -> audit.Verdict:
    db = Database.connect(settings)
    try:
        return await verdict_of(db)
    finally:
        await db.dispose()


def test_the_migration_chains_the_history_written_before_it(settings: Settings) -> None:
    url = settings.effective_database_url
    try:
        migrator.downgrade(url, "base")
        migrator.upgrade(url, "0002")
        asyncio.run(_write_before_the_chain(settings))

        migrator.upgrade(url)

        verdict = asyncio.run(_verify(settings))
    finally:
        migrator.upgrade(url)  # the server's test database must stay at head for the others
    assert verdict.breaks == []
    assert (verdict.dossiers, verdict.entries) == (1, 2)
