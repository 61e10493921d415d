"""The databases the suite runs on: a SQLite file always, PostgreSQL when one answers.

PostgreSQL is `HUB_TEST_DATABASE_URL` when set, else the local server at 127.0.0.1:5432 (user
`postgres`). The suite makes its own database there, migrates it once, and empties its tables
before each test.
"""

import asyncio
import itertools
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from app import migrator

TABLES = [
    "deliveries",
    "subscriptions",
    "changes",
    "transfers",
    "idempotency_keys",
    "dossier_history",
    "dossiers",
    "agencies",
    "procedures",
    "calendar_overrides",
    "dossier_code_counters",
    "clients",
]  # every table; the app's lifespan seeds the catalog again
LOCAL_SERVER = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"


def _dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _answers(url: str) -> bool:
    try:
        connection = await asyncpg.connect(_dsn(url), timeout=3)
    except (TimeoutError, OSError, asyncpg.PostgresError):
        return False
    await connection.close()
    return True


def postgres_server_url() -> str | None:
    """A server URL to create test databases on, or None when there is no server."""
    url = os.environ.get("HUB_TEST_DATABASE_URL") or LOCAL_SERVER
    return url if asyncio.run(_answers(url)) else None


class PostgresTestDatabase:
    """A database of the suite's own on the server, migrated once, emptied per test."""

    def __init__(self, server_url: str, name: str | None = None) -> None:
        self.name = name or f"lienthong_test_{os.getpid()}"
        self.server_url = server_url
        self.url = (
            make_url(server_url).set(database=self.name).render_as_string(hide_password=False)
        )

    async def _admin(self, sql: str) -> None:
        connection = await asyncpg.connect(_dsn(self.server_url))
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    def create(self) -> None:
        asyncio.run(self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        asyncio.run(self._admin(f'CREATE DATABASE "{self.name}"'))
        migrator.upgrade(self.url)

    def drop(self) -> None:
        asyncio.run(self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))

    async def empty(self) -> None:
        connection = await asyncpg.connect(_dsn(self.url))
        try:
            await connection.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
            await connection.execute("UPDATE feed_sequence SET last = 0")
        finally:
            await connection.close()


_SCRATCH_NUMBERS = itertools.count(1)


@contextmanager
def scratch_postgres_database(server_url: str, label: str) -> Iterator[str]:
    """A database of its own on the server (`lienthong_<label>_<pid>_<n>`), migrated, dropped
    afterwards: for tests whose processes share a database and cannot be emptied under them."""
    scratch = PostgresTestDatabase(
        server_url, f"lienthong_{label}_{os.getpid()}_{next(_SCRATCH_NUMBERS)}"
    )
    scratch.create()
    try:
        yield scratch.url
    finally:
        scratch.drop()


class SqliteTemplate:
    """A migrated SQLite file, copied for each test: a fresh database in a millisecond."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "template.db"

    def create(self) -> None:
        migrator.upgrade(f"sqlite+aiosqlite:///{self.path}")

    def copy_to(self, folder: Path) -> str:
        """A fresh copy at `folder/hub.db`, replacing any earlier one and its WAL files."""
        target = folder / "hub.db"
        for leftover in (folder / "hub.db-wal", folder / "hub.db-shm"):
            leftover.unlink(missing_ok=True)
        shutil.copy(self.path, target)
        return f"sqlite+aiosqlite:///{target}"
