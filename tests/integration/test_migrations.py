"""One set of migrations for both databases: up, down and up again, and in step with models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import create_async_engine

from app import migrator
from app.db import Base
from app.settings import Settings


async def _tables(url: str) -> set[str]:
    engine = create_async_engine(url)
    async with engine.connect() as connection:
        names = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
    await engine.dispose()
    return names


async def _drift(url: str) -> list[object]:
    engine = create_async_engine(url)
    async with engine.connect() as connection:
        diff = await connection.run_sync(
            lambda c: compare_metadata(MigrationContext.configure(c), Base.metadata)
        )
    await engine.dispose()
    return list(diff)


async def test_models_and_migrations_agree(settings: Settings) -> None:
    assert await _drift(settings.effective_database_url) == []


def test_migrations_go_down_and_up_again(settings: Settings) -> None:
    import asyncio

    url = settings.effective_database_url
    migrator.downgrade(url, "base")
    assert asyncio.run(_tables(url)) <= {"alembic_version"}
    migrator.upgrade(url)
    assert {"dossiers", "dossier_history", "idempotency_keys"} <= asyncio.run(_tables(url))
