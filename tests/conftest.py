"""Fixtures shared by the tiers: a fresh database per test on each engine, the app, a client."""

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI

from app.db import Database
from app.main import create_app
from app.settings import Settings
from tests.auth import ADMIN_ID, ADMIN_SECRET, token_for
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
def signing_key() -> str:
    """One RSA key for the whole run: generating one per test would cost more than the test."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


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


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for the run: each test gets a fresh database file at the same place, so that
    one app per engine serves the whole run (building FastAPI's routes costs more than a test)."""
    return tmp_path_factory.mktemp("hub")


@pytest.fixture
async def settings(
    engine: str,
    data_dir: Path,
    sqlite_template: SqliteTemplate,
    postgres: PostgresTestDatabase | None,
    signing_key: str,
) -> Settings:
    if engine == "postgresql":
        assert postgres is not None
        await postgres.empty()
        url = postgres.url
    else:
        url = sqlite_template.copy_to(data_dir)
    return Settings(  # type: ignore[call-arg]
        database_url=url,
        data_dir=data_dir,
        jwt_private_key=signing_key,
        admin_client_id=ADMIN_ID,
        admin_client_secret=ADMIN_SECRET,
        secret_hash_cost=10,  # fast hashing: the suite creates many clients
        rate_limit_per_minute=0,
        delivery_worker="off",  # delivery tests run their own worker
        _env_file=None,
    )


@pytest.fixture
async def db(settings: Settings) -> AsyncIterator[Database]:
    database = Database.connect(settings)
    yield database
    await database.dispose()


_APPS: dict[str, FastAPI] = {}


@pytest.fixture
async def app(engine: str, settings: Settings) -> AsyncIterator[FastAPI]:
    """The hub on this test's fresh database. The app object is built once per engine; its
    lifespan (engines, seeding, the admin client) runs anew for every test."""
    application = _APPS.get(engine)
    if application is None:
        application = _APPS[engine] = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """The operator's client: an admin token, which may see and write every dossier."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hub/api/v1") as c:
        c.headers["Authorization"] = f"Bearer {await token_for(c, ADMIN_ID, ADMIN_SECRET)}"
        yield c


@pytest.fixture
async def anonymous(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A client without any token."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hub/api/v1") as c:
        yield c
