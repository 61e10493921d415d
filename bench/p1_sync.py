"""P1: sync ingest through `POST /sync/dossiers` (batches of 500, new and updated mixed, 4
concurrent senders) against the raw ceiling: the same dossier JSON upserted straight into
PostgreSQL with asyncpg `executemany`, one row per dossier, in the same run."""

import asyncio
import copy
import time
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import orjson

from app.schemas.dossier import SNAPSHOT_EXAMPLE
from bench.server import fresh_database, hub

BATCH = 500
SENDERS = 4


def _batch(number: int, version: int) -> list[dict[str, Any]]:
    items = []
    for i in range(BATCH):
        dossier = copy.deepcopy(SNAPSHOT_EXAMPLE)
        dossier["code"] = f"000.00.00.H56-251127-{number * BATCH + i:05d}"
        dossier["summary"] = f"Đăng ký khai sinh, hồ sơ {number}-{i}, lần {version}"
        dossier["source"]["version"] = version
        items.append(dossier)
    return items


def workload(new_batches: int) -> list[list[dict[str, Any]]]:
    """New dossiers, then every other batch again as updates, interleaved."""
    fresh = [_batch(n, 3) for n in range(new_batches)]
    updates = [_batch(n, 4) for n in range(0, new_batches, 2)]
    mixed: list[list[dict[str, Any]]] = []
    for n, batch in enumerate(fresh):
        mixed.append(batch)
        if n % 2 == 1:
            mixed.append(updates[n // 2])
    return mixed


@dataclass
class Figure:
    name: str
    dossiers: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.dossiers / self.seconds


async def _through_hub(base: str, batches: list[list[dict[str, Any]]]) -> float:
    bodies = [orjson.dumps({"items": b}) for b in batches]

    async def sender(client: httpx.AsyncClient, mine: list[bytes]) -> None:
        for body in mine:
            answer = await client.post(
                "/api/v1/sync/dossiers", content=body, headers={"content-type": "application/json"}
            )
            answer.raise_for_status()

    async with httpx.AsyncClient(base_url=base, timeout=300) as client:
        started = time.perf_counter()
        await asyncio.gather(*(sender(client, bodies[k::SENDERS]) for k in range(SENDERS)))
        return time.perf_counter() - started


async def _raw(dsn: str, batches: list[list[dict[str, Any]]]) -> float:
    setup = await asyncpg.connect(dsn)
    await setup.execute(
        "CREATE TABLE raw_dossiers (code text PRIMARY KEY, body jsonb, version int NOT NULL)"
    )
    await setup.close()
    rows = [[(d["code"], orjson.dumps(d).decode()) for d in b] for b in batches]

    async def sender(mine: list[list[tuple[str, str]]]) -> None:
        connection = await asyncpg.connect(dsn)
        for batch in mine:
            async with connection.transaction():
                await connection.executemany(
                    "INSERT INTO raw_dossiers (code, body, version) VALUES ($1, $2, 1) "
                    "ON CONFLICT (code) DO UPDATE SET body = excluded.body, "
                    "version = raw_dossiers.version + 1",
                    batch,
                )
        await connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(sender(rows[k::SENDERS]) for k in range(SENDERS)))
    return time.perf_counter() - started


def measure(new_batches: int = 40) -> tuple[Figure, Figure]:
    batches = workload(new_batches)
    count = sum(len(b) for b in batches)
    with fresh_database("lienthong_bench_raw") as dsn:
        raw = Figure("raw asyncpg executemany upsert", count, asyncio.run(_raw(dsn, batches)))
    with fresh_database("lienthong_bench_p1") as dsn, hub(dsn) as base:
        seconds = asyncio.run(_through_hub(base, batches))
    return raw, Figure("POST /sync/dossiers", count, seconds)
