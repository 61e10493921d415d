"""Database plumbing: the declarative Base, engines and the unit of work (one transaction).

On SQLite, writes begin with `BEGIN IMMEDIATE` so that two writers queue on the lock instead of
failing when a read transaction tries to upgrade; reads begin deferred and run beside writers
thanks to WAL. On PostgreSQL both are one engine.
"""

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import JSON, BigInteger, DateTime, Integer, MetaData, event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import NullPool
from sqlalchemy.types import TypeDecorator

from app.settings import Settings

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware timestamp kept in UTC: `timestamptz` on PostgreSQL; on SQLite a naive UTC text
    of fixed width, so that comparing the texts compares the moments."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


JSONDocument = JSON().with_variant(JSONB(), "postgresql")
BigId = BigInteger().with_variant(Integer(), "sqlite")

RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})  # serialization failure, deadlock


class RetryTransaction(Exception):
    """Raised by a service that lost a race it can only win by starting over."""


def is_retryable(exc: BaseException) -> bool:
    """A transaction that lost a race (the database aborted it, or a service saw it): run it
    again from the start."""
    if isinstance(exc, RetryTransaction):
        return True
    if not isinstance(exc, DBAPIError):
        return False
    orig = exc.orig
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    return state in RETRYABLE_SQLSTATES


def is_busy(exc: BaseException) -> bool:
    """SQLite gave up waiting for another writer's lock (after its busy timeout)."""
    return isinstance(exc, OperationalError) and "database is locked" in str(exc.orig)


def prepare_sqlite_folder(url: str) -> None:
    """SQLite creates its file but not the folder around it."""
    database = make_url(url).database
    if url.startswith("sqlite") and database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)


def _json_text(value: Any) -> str:
    return orjson.dumps(value).decode()


JSON_CODECS: dict[str, Any] = {"json_serializer": _json_text, "json_deserializer": orjson.loads}


def _sqlite_engine(url: str, *, immediate: bool, synchronous: str) -> AsyncEngine:
    engine = create_async_engine(
        url,
        poolclass=NullPool if ":memory:" in url else None,
        connect_args={"timeout": 30},
        **JSON_CODECS,
    )

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves below
        cursor = dbapi_connection.cursor()
        for pragma in (
            "journal_mode=WAL",
            # NORMAL in WAL mode: a commit is in the WAL file, so it survives a killed
            # process; only a power cut can undo the last ones (docs/decisions.md).
            f"synchronous={synchronous.upper()}",
            "foreign_keys=ON",
            "busy_timeout=30000",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


@dataclass
class Database:
    """The engines of one hub process. `writer` and `reader` are one engine on PostgreSQL."""

    writer: AsyncEngine
    reader: AsyncEngine
    is_sqlite: bool
    # What every session of this database carries in `Session.info` (the adapters, which
    # the delivery outbox renders payloads with).
    context: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._sessions = {
            write: async_sessionmaker(
                engine, expire_on_commit=False, autoflush=False, info=self.context
            )
            for write, engine in ((True, self.writer), (False, self.reader))
        }

    @classmethod
    def connect(cls, settings: Settings, context: dict[str, Any] | None = None) -> "Database":
        url = settings.effective_database_url
        if url.startswith("sqlite"):
            prepare_sqlite_folder(url)
            synchronous = settings.sqlite_synchronous
            return cls(
                _sqlite_engine(url, immediate=True, synchronous=synchronous),
                _sqlite_engine(url, immediate=False, synchronous=synchronous),
                is_sqlite=True,
                context=context or {},
            )
        engine = create_async_engine(
            url,
            pool_size=settings.db_pool_size,
            max_overflow=settings.db_pool_size,
            pool_pre_ping=True,
            **JSON_CODECS,
        )
        return cls(engine, engine, is_sqlite=False, context=context or {})

    async def dispose(self) -> None:
        await self.writer.dispose()
        if self.reader is not self.writer:
            await self.reader.dispose()

    @asynccontextmanager
    async def transaction(self, *, write: bool) -> AsyncIterator[AsyncSession]:
        """One transaction: committed when the block ends, rolled back when it raises. The
        hooks services registered with `before_commit` run last, just before the commit."""
        async with self._sessions[write]() as session, session.begin():
            yield session
            hooks = session.info.pop(_BEFORE_COMMIT, {})
            for hook in hooks.values():
                await hook(session)


_BEFORE_COMMIT = "before_commit"
Hook = Callable[[AsyncSession], Awaitable[None]]


def before_commit(session: AsyncSession, name: str, hook: Hook) -> None:
    """Run `hook` once, at the end of the session's transaction, before it commits (never if
    it rolls back). The change feed takes its positions there, as late as it can."""
    session.info.setdefault(_BEFORE_COMMIT, {})[name] = hook


Session = AsyncSession
"""What routes hand to services: they never build SQL themselves."""
