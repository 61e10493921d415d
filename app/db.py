"""Database plumbing: the declarative Base, engines and the unit of work (one transaction).

On SQLite, writes begin with `BEGIN IMMEDIATE` so that two writers queue on the lock instead of
failing when a read transaction tries to upgrade; reads begin deferred and run beside writers
thanks to WAL.

On PostgreSQL, reads and writes share one pool. Writes run in READ COMMITTED transactions.
Reads run in autocommit, each statement on its own: under READ COMMITTED every statement takes
a fresh snapshot anyway, so a read-only transaction would see exactly the same rows, and its
BEGIN and COMMIT cost two round trips, which were half the time of a status read. A read that
needs a transaction (a server-side cursor lives in one) asks for it with `cursor=True`.
"""

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import orjson
from sqlalchemy import JSON, BigInteger, DateTime, Integer, MetaData, event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError
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

T = TypeVar("T")

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


IDLE_PING_SECONDS = 10.0
_RETURNED_AT = "returned_at"


def _check_on_checkout(engine: AsyncEngine) -> None:
    """What `pool_pre_ping` guards against, without its round trip on every checkout (it was
    a third of a status read's time): a connection the server closed (a restart, an idle
    timeout, a terminated backend) is known closed the moment its socket is, and costs
    nothing to check; one that sat idle long enough for a silent network drop is pinged.
    A dead one is replaced before the request sees it."""
    pool = engine.sync_engine

    @event.listens_for(pool, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info[_RETURNED_AT] = time.monotonic()

    @event.listens_for(pool, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        driver = getattr(dbapi_connection, "_connection", None)
        if driver is not None and driver.is_closed():
            raise DisconnectionError("the server closed this connection")
        returned = record.info.get(_RETURNED_AT)
        if returned is not None and time.monotonic() - returned > IDLE_PING_SECONDS:
            try:
                engine.dialect.do_ping(dbapi_connection)
            except Exception as error:
                raise DisconnectionError("an idle connection did not answer") from error


@dataclass
class Database:
    """The engines of one hub process: on PostgreSQL, views of one pool (module docstring)."""

    writer: AsyncEngine
    reader: AsyncEngine
    is_sqlite: bool
    # What every session of this database carries in `Session.info` (the adapters, which
    # the delivery outbox renders payloads with).
    context: dict[str, Any] = field(default_factory=dict)
    # Reads that need a transaction; the reader when it already runs in one (SQLite).
    cursor_reader: AsyncEngine | None = None

    def __post_init__(self) -> None:
        engines = {"write": self.writer, "read": self.reader}
        engines["cursor"] = self.cursor_reader or self.reader
        self._sessions = {
            kind: async_sessionmaker(
                engine, expire_on_commit=False, autoflush=False, info=self.context
            )
            for kind, engine in engines.items()
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
        # A fixed pool: overflow connections were opened and closed again whenever the number
        # of requests in flight crossed the pool size, one in seven status reads under 32
        # connections. The same 20 connections at most as before, but kept; a request beyond
        # them waits for one, as it did when the overflow was used up.
        engine = create_async_engine(
            url,
            pool_size=settings.db_pool_size,
            max_overflow=0,
            isolation_level="AUTOCOMMIT",
            **JSON_CODECS,
        )
        _check_on_checkout(engine)
        in_transactions = engine.execution_options(isolation_level="READ COMMITTED")
        return cls(
            in_transactions,
            engine,
            is_sqlite=False,
            context=context or {},
            cursor_reader=in_transactions,
        )

    async def dispose(self) -> None:
        await self.writer.dispose()
        if self.reader.sync_engine.pool is not self.writer.sync_engine.pool:
            await self.reader.dispose()

    @asynccontextmanager
    async def transaction(
        self, *, write: bool, cursor: bool = False
    ) -> AsyncIterator[AsyncSession]:
        """One unit of work: committed when the block ends, rolled back when it raises. The
        hooks services registered with `before_commit` run last, just before the commit.
        A read (`write=False`) on PostgreSQL runs its statements in autocommit unless it asks
        for a transaction with `cursor=True`."""
        kind = "write" if write else "cursor" if cursor else "read"
        async with self._sessions[kind]() as session, session.begin():
            yield session
            hooks = session.info.pop(_BEFORE_COMMIT, {})
            for hook in hooks.values():
                await hook(session)

    async def retrying(
        self, work: Callable[[AsyncSession], Awaitable[T]], *, attempts: int = 5
    ) -> T:
        """`work` in one write transaction, run again from the start when it lost a race, or
        when SQLite gave up waiting for another writer: for jobs, which have no request to
        answer 503 (the unit of work of a request has its own loop, `api/routing.py`)."""
        for attempt in range(1, attempts + 1):
            try:
                async with self.transaction(write=True) as session:
                    return await work(session)
            except Exception as error:
                if attempt == attempts or not (is_retryable(error) or is_busy(error)):
                    raise
                await asyncio.sleep(0.05 * attempt)
        raise AssertionError("unreachable")


_BEFORE_COMMIT = "before_commit"
Hook = Callable[[AsyncSession], Awaitable[None]]


def before_commit(session: AsyncSession, name: str, hook: Hook) -> None:
    """Run `hook` once, at the end of the session's transaction, before it commits (never if
    it rolls back). The change feed takes its positions there, as late as it can."""
    session.info.setdefault(_BEFORE_COMMIT, {})[name] = hook


Session = AsyncSession
"""What routes hand to services: they never build SQL themselves."""
