"""Fixtures shared by the tiers: a fresh database per test on each engine, the app, a client."""

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from app.db import Database
from app.main import create_app
from app.settings import Settings
from tests.databases import PostgresTestDatabase, SqliteTemplate, postgres_server_url

_SERVER = postgres_server_url()
ENGINES = ["sqlite", "postgresql"] if _SERVER else ["sqlite"]


def pytest_report_header() -> str:
    return f"databases: {', '.join(ENGINES)}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`postgres_only` races do not exist on SQLite, which serialises writers: those tests run
    on PostgreSQL alone rather than pass vacuously on SQLite."""
    dropped = [
        item
        for item in items
        if item.get_closest_marker("postgres_only")
        and getattr(item, "callspec", None) is not None
        and item.callspec.params.get("engine") == "sqlite"
    ]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if item not in dropped]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplate:
    template = SqliteTemplate(tmp_path_factory.mktemp("template"))
    template.create()
    return template


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresTestDatabase | None]:
    if _SERVER is None:
        yield None
        return
    database = PostgresTestDatabase(_SERVER)
    database.create()
    yield database
    database.drop()


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    engine_name: str = request.param
    return engine_name


@pytest.fixture
async def settings(
    engine: str,
    tmp_path: Path,
    sqlite_template: SqliteTemplate,
    postgres: PostgresTestDatabase | None,
) -> Settings:
    if engine == "postgresql":
        assert postgres is not None
        await postgres.empty()
        url = postgres.url
    else:
        url = sqlite_template.copy_to(tmp_path)
    return Settings(database_url=url, data_dir=tmp_path, _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
async def db(settings: Settings) -> AsyncIterator[Database]:
    database = Database.connect(settings)
    yield database
    await database.dispose()


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hub/api/v1") as c:
        yield c
