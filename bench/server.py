"""The processes a benchmark measures: the hub (uvicorn with uvloop and httptools, one worker,
production settings) on a fresh PostgreSQL database or an embedded SQLite file, and the bare
FastAPI baseline, each in its own process so that the load comes from another one."""

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import asyncpg
import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from app import migrator

SERVER = os.environ.get("HUB_BENCH_SERVER", "postgresql://postgres@127.0.0.1:5432/postgres")
ADMIN_ID = "bench-admin"
ADMIN_SECRET = "bench-admin-secret-not-for-production"


@cache
def signing_key() -> str:
    """One token signing key for every hub of the run (set, so that none generates one)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return pem.decode()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _admin(sql: str) -> None:
    connection = await asyncpg.connect(SERVER)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


def dsn_of(name: str) -> str:
    return SERVER.rsplit("/", 1)[0] + f"/{name}"


def create_database(name: str) -> str:
    """A new empty database (dropped first if a run left it); its asyncpg DSN."""
    drop_database(name)
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    return dsn_of(name)


def drop_database(name: str) -> None:
    asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@contextmanager
def fresh_database(name: str) -> Iterator[str]:
    """A new empty database; yields its asyncpg DSN and drops it afterwards."""
    dsn = create_database(name)
    try:
        yield dsn
    finally:
        drop_database(name)


def sqlalchemy_url(dsn: str) -> str:
    return dsn.replace("postgresql://", "postgresql+asyncpg://", 1)


def postgres_version() -> str:
    async def ask() -> str:
        connection = await asyncpg.connect(SERVER)
        try:
            return str(await connection.fetchval("SHOW server_version"))
        finally:
            await connection.close()

    return asyncio.run(ask()).split()[0]


@dataclass(frozen=True)
class Process:
    """A server process under load: where it listens and its pid (for RSS and profiles)."""

    base: str
    host: str
    port: int
    pid: int


def _uvicorn(target: str, port: int, *, factory: bool) -> list[str]:
    return [
        sys.executable,
        "-m",
        "uvicorn",
        *(["--factory"] if factory else []),
        target,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
        "--loop",
        "uvloop",
        "--http",
        "httptools",
        "--log-level",
        "warning",
        "--no-access-log",
    ]


@contextmanager
def _serve(command: list[str], env: dict[str, str], port: int, ready: str) -> Iterator[Process]:
    process = subprocess.Popen(command, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server exited with status {process.returncode}")
            try:
                if httpx.get(f"{base}{ready}", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not become ready")
            time.sleep(0.2)
        yield Process(base, "127.0.0.1", port, process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def hub(database_url: str, *, migrate: bool = True) -> Iterator[Process]:
    """The hub on `database_url` (a SQLAlchemy URL; migrated first), with an admin client
    (`ADMIN_ID`), no rate limit and day-long tokens; its data directory is temporary."""
    if migrate:
        migrator.upgrade(database_url)
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="lienthong-bench-") as data:
        env = {
            **os.environ,
            "HUB_DATABASE_URL": database_url,
            "HUB_DATA_DIR": data,
            "HUB_LOG_LEVEL": "WARNING",
            "HUB_RATE_LIMIT_PER_MINUTE": "0",
            "HUB_TOKEN_TTL_SECONDS": "86400",
            "HUB_ADMIN_CLIENT_ID": ADMIN_ID,
            "HUB_ADMIN_CLIENT_SECRET": ADMIN_SECRET,
            "HUB_JWT_PRIVATE_KEY": signing_key(),
        }
        command = _uvicorn("app.main:app_from_environment", port, factory=True)
        with _serve(command, env, port, "/readyz") as process:
            yield process


@contextmanager
def sqlite_hub() -> Iterator[Process]:
    """The hub on the embedded default: a SQLite file in a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="lienthong-bench-sqlite-") as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'hub.db'}"
        with hub(url) as process:
            yield process


@contextmanager
def bare() -> Iterator[Process]:
    """The baseline of P2: a bare FastAPI route (bench/bare.py) on the same server stack."""
    port = _free_port()
    command = _uvicorn("bench.bare:app", port, factory=False)
    with _serve(command, dict(os.environ), port, "/ready") as process:
        yield process
