"""Fill a hub database with dossiers fast, straight into PostgreSQL rather than through HTTP.

Each row is built by the hub's own code: the canonical body (bench/dataset.py, checked against
`records.canonical_body`), `records.derived_columns`, `records.content_hash` and the audit
hash of `domain.audit`, as if a source system had synced each dossier once (version 1, one
`dossier.created` history entry and one feed change, the sequencer moved past them). The rows
go in with binary COPY from two processes; for a large load the secondary indexes and foreign
keys are set aside first and rebuilt after, and the tables are vacuumed and analysed, as
autovacuum would have left them."""

import asyncio
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any

import asyncpg
import orjson

from app.domain.audit import GENESIS, entry_hash
from app.services.records import content_hash, derived_columns
from bench import dataset

CHUNK = 20_000
WORKERS = 2
BULK = 50_000  # from this many new rows on, indexes are rebuilt rather than maintained
TABLES = ("dossiers", "dossier_history", "changes")
IMPORTER = "bench-import"

DOSSIER_COLUMNS = (
    "id", "code", "procedure_code", "receiving_agency", "handling_agency", "province_code",
    "channel", "status", "received_at", "due_at", "finished_at", "paused_at", "source_system",
    "source_version", "source_updated_at", "content_hash", "history_hash", "body", "version",
    "created_at", "updated_at",
)  # fmt: skip
HISTORY_COLUMNS = (
    "dossier_id", "version", "type", "at", "recorded_at", "status", "from_status", "data",
    "client_id", "hash",
)  # fmt: skip
CHANGE_COLUMNS = (
    "position", "type", "dossier_id", "dossier_code", "version", "status", "at", "recorded_at",
    "procedure_code", "receiving_agency", "handling_agency", "transfer_agency",
)  # fmt: skip


def rows(
    first: int, stop: int, id_base: int, position_base: int
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The dossier, history and change rows of dossiers first..stop-1."""
    dossiers, history, changes = [], [], []
    for n in range(first, stop):
        body = dataset.snapshot(n)
        stored_at = dataset.updated_at(body)
        columns = derived_columns(body, changed_at=stored_at)
        entry = {
            "version": 1,
            "type": "dossier.created",
            "at": columns["source_updated_at"],
            "recorded_at": stored_at,
            "status": columns["status"],
            "from_status": None,
            "data": {"via": "snapshot", "source": body["source"]},
            "client_id": IMPORTER,
        }
        chained = entry_hash(GENESIS, dossier=columns["code"], **entry)
        row_id = id_base + n - first
        columns.update(
            id=row_id,
            content_hash=content_hash(body),
            history_hash=chained,
            body=orjson.dumps(body).decode(),
            version=1,
            created_at=stored_at,
            updated_at=stored_at,
        )
        dossiers.append(tuple(columns[c] for c in DOSSIER_COLUMNS))
        entry.update(dossier_id=row_id, data=orjson.dumps(entry["data"]).decode(), hash=chained)
        history.append(tuple(entry[c] for c in HISTORY_COLUMNS))
        changes.append(
            (
                position_base + n - first,
                "dossier.created",
                row_id,
                columns["code"],
                1,
                columns["status"],
                entry["at"],
                stored_at,
                columns["procedure_code"],
                columns["receiving_agency"],
                columns["handling_agency"],
                None,
            )
        )
    return dossiers, history, changes


async def _copy(dsn: str, first: int, stop: int, id_base: int, position_base: int) -> None:
    dossiers, history, changes = rows(first, stop, id_base, position_base)
    connection = await asyncpg.connect(dsn)
    try:
        async with connection.transaction():
            await connection.copy_records_to_table(
                "dossiers", records=dossiers, columns=DOSSIER_COLUMNS
            )
            await connection.copy_records_to_table(
                "dossier_history", records=history, columns=HISTORY_COLUMNS
            )
            await connection.copy_records_to_table(
                "changes", records=changes, columns=CHANGE_COLUMNS
            )
    finally:
        await connection.close()


def _copy_chunk(dsn: str, first: int, stop: int, id_base: int, position_base: int) -> int:
    asyncio.run(_copy(dsn, first, stop, id_base, position_base))
    return stop - first


async def _set_aside(connection: asyncpg.Connection) -> list[str]:
    """Drop the foreign keys touching the seeded tables and their secondary indexes; returns
    the statements that put them back."""
    restore: list[str] = []
    foreign_keys = await connection.fetch(
        "SELECT conrelid::regclass::text AS owner, conname, pg_get_constraintdef(oid) AS def "
        "FROM pg_constraint WHERE contype = 'f' "
        "AND (conrelid::regclass::text = ANY($1) OR confrelid::regclass::text = ANY($1))",
        list(TABLES),
    )
    for fk in foreign_keys:
        await connection.execute(f'ALTER TABLE {fk["owner"]} DROP CONSTRAINT "{fk["conname"]}"')
    indexes = await connection.fetch(
        "SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def "
        "FROM pg_index i WHERE i.indrelid::regclass::text = ANY($1) AND NOT i.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
        list(TABLES),
    )
    for index in indexes:
        await connection.execute(f"DROP INDEX {index['name']}")
        restore.append(index["def"])
    restore += [
        f'ALTER TABLE {fk["owner"]} ADD CONSTRAINT "{fk["conname"]}" {fk["def"]}'
        for fk in foreign_keys
    ]
    return restore


async def _restore(dsn: str, statements: list[str]) -> None:
    """Rebuild on two connections at once (indexes first, then the foreign keys)."""
    indexes = [s for s in statements if s.startswith("CREATE")]
    keys = [s for s in statements if not s.startswith("CREATE")]

    async def run(mine: list[str]) -> None:
        connection = await asyncpg.connect(dsn)
        try:
            await connection.execute("SET maintenance_work_mem = '256MB'")
            for statement in mine:
                await connection.execute(statement)
        finally:
            await connection.close()

    await asyncio.gather(run(indexes[0::2]), run(indexes[1::2]))
    await run(keys)


async def _state(connection: asyncpg.Connection) -> tuple[int, int, int]:
    count = await connection.fetchval("SELECT count(*) FROM dossiers")
    top = await connection.fetchval("SELECT coalesce(max(id), 0) FROM dossiers")
    last = await connection.fetchval("SELECT last FROM feed_sequence WHERE id = 1")
    return count, top, last


async def grow(dsn: str, target: int) -> float:
    """Seed dossiers 0..target-1 (those already there are kept); returns the seconds taken.
    Only for a database that holds seeded dossiers alone: each new dossier `n` gets the next
    id and the next feed position."""
    started = time.perf_counter()
    connection = await asyncpg.connect(dsn)
    try:
        count, top, last = await _state(connection)
        if count >= target:
            return 0.0
        if not count == top == last:
            raise RuntimeError("this database holds more than seeded dossiers: seed a fresh one")
        if count == 0:
            dataset.check(range(0, target, max(1, target // 500)))
        restore = await _set_aside(connection) if target - count >= BULK else []
        loop = asyncio.get_running_loop()
        with ProcessPoolExecutor(WORKERS, mp_context=get_context("spawn")) as pool:
            jobs = [
                loop.run_in_executor(
                    pool,
                    _copy_chunk,
                    dsn,
                    first,
                    min(first + CHUNK, target),
                    top + 1 + first - count,
                    last + 1 + first - count,
                )
                for first in range(count, target, CHUNK)
            ]
            await asyncio.gather(*jobs)
        await _restore(dsn, restore)
        await connection.execute("UPDATE feed_sequence SET last = $1 WHERE id = 1", target)
        for table in ("dossiers", "dossier_history"):
            await connection.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        for table in TABLES:
            await connection.execute(f"VACUUM (ANALYZE) {table}")
    finally:
        await connection.close()
    return time.perf_counter() - started
