"""The PostgreSQL pool without a ping on every checkout (app/db.py): reads run in autocommit,
writes in transactions, and a connection that died in the pool is replaced before a request
sees it."""

import asyncio
from typing import Any

import asyncpg
import pytest
from sqlalchemy import text

from app import db as db_module
from app.db import Database
from app.settings import Settings
from tests.databases import _dsn

pytestmark = pytest.mark.postgres_only


async def _backend(db: Database, *, write: bool) -> int:
    async with db.transaction(write=write) as session:
        pid: int = await session.scalar(text("SELECT pg_backend_pid()"))
        return pid


async def _two_transaction_ids(db: Database, *, write: bool, cursor: bool = False) -> set[int]:
    async with db.transaction(write=write, cursor=cursor) as session:
        return {await session.scalar(text("SELECT txid_current()")) for _ in range(2)}


async def test_reads_run_in_autocommit_and_writes_in_a_transaction(db: Database) -> None:
    assert len(await _two_transaction_ids(db, write=False)) == 2  # a transaction a statement
    assert len(await _two_transaction_ids(db, write=True)) == 1
    assert len(await _two_transaction_ids(db, write=False, cursor=True)) == 1


async def test_a_connection_the_server_closed_is_replaced_at_checkout(
    db: Database, settings: Settings
) -> None:
    first = await _backend(db, write=False)
    admin = await asyncpg.connect(_dsn(settings.database_url))
    try:
        assert await admin.fetchval("SELECT pg_terminate_backend($1)", first)
    finally:
        await admin.close()
    await asyncio.sleep(0.2)  # the socket's end reaches the pooled connection
    assert await _backend(db, write=False) != first
    assert await _backend(db, write=True) != first


async def test_an_idle_connection_is_pinged_and_replaced_when_it_does_not_answer(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = await _backend(db, write=False)
    pings: list[Any] = []

    def failing_ping(dbapi_connection: Any) -> bool:
        pings.append(dbapi_connection)
        raise OSError("no answer")

    monkeypatch.setattr(db_module, "IDLE_PING_SECONDS", 0.0)
    monkeypatch.setattr(db.reader.sync_engine.dialect, "do_ping", failing_ping)
    assert await _backend(db, write=False) != first
    assert len(pings) == 1  # the new connection was not idle, so it was not pinged


async def test_a_busy_connection_is_not_pinged(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _backend(db, write=False)
    pings: list[Any] = []
    monkeypatch.setattr(db.reader.sync_engine.dialect, "do_ping", pings.append)
    for _ in range(5):
        await _backend(db, write=False)
        await _backend(db, write=True)
    assert pings == []
