"""P1: sync ingest through `POST /sync/dossiers` (batches of 500, new and updated mixed, 4
concurrent senders: four provinces' systems, each with its own client) against the raw
ceiling: the same dossier JSON upserted straight into PostgreSQL with asyncpg `executemany`,
one row per dossier, in the same run. `sqlite_ceiling` is the same upsert on SQLite (P6)."""

import asyncio
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import orjson

from bench import dataset, harness, profile
from bench.harness import Options, Outcome, Row
from bench.server import Process, fresh_database, hub, sqlalchemy_url

BATCH = 500
SENDERS = 4
PROVINCES = (0, 5, 12, 20)  # indexes into dataset.provinces(): one province a sender
TARGET = 0.40


def province_numbers(index: int, start: int, count: int) -> list[int]:
    """Dossier numbers `start`.. (in that province's order) of one province's agencies."""
    per = dataset.AGENCIES_PER_PROVINCE
    every = len(dataset.agencies())
    return [(k // per) * every + index * per + k % per for k in range(start, start + count)]


@dataclass
class Workload:
    """Each sender's batches in the order it sends them: new dossiers, and after every
    second new batch the first of them again as an update (source version 2)."""

    batches: list[list[list[dict[str, Any]]]]  # sender -> batch -> dossier

    @classmethod
    def make(cls, new_batches: int) -> "Workload":
        per_sender = max(1, new_batches // SENDERS)
        batches = []
        for index in PROVINCES:
            mine: list[list[dict[str, Any]]] = []
            for b in range(per_sender):
                numbers = province_numbers(index, b * BATCH, BATCH)
                mine.append([dataset.snapshot(n) for n in numbers])
                if b % 2 == 1:
                    again = province_numbers(index, (b - 1) * BATCH, BATCH)
                    mine.append([dataset.snapshot(n, version=2) for n in again])
            batches.append(mine)
        return cls(batches)

    @property
    def dossiers(self) -> int:
        return sum(len(b) for mine in self.batches for b in mine)

    @property
    def codes(self) -> list[str]:
        return sorted({d["code"] for mine in self.batches for b in mine for d in b})


@dataclass
class Figure:
    name: str
    dossiers: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.dossiers / self.seconds


async def through_hub(server: Process, work: Workload, tokens: list[str]) -> float:
    bodies = [[orjson.dumps({"items": b}) for b in mine] for mine in work.batches]

    async def sender(client: httpx.AsyncClient, mine: list[bytes], token: str) -> None:
        headers = {"content-type": "application/json", "authorization": f"Bearer {token}"}
        for body in mine:
            answer = await client.post("/api/v1/sync/dossiers", content=body, headers=headers)
            answer.raise_for_status()
            rejected = [r for r in answer.json()["results"] if r["outcome"] == "rejected"]
            if rejected:
                raise RuntimeError(f"the hub rejected dossiers of the workload: {rejected[:2]}")

    async with httpx.AsyncClient(base_url=server.base, timeout=600) as client:
        started = time.perf_counter()
        await asyncio.gather(*(sender(client, b, t) for b, t in zip(bodies, tokens, strict=True)))
        return time.perf_counter() - started


def _rows(work: Workload) -> list[list[list[tuple[str, str]]]]:
    return [
        [[(d["code"], orjson.dumps(d).decode()) for d in b] for b in mine] for mine in work.batches
    ]


UPSERT = (
    "INSERT INTO raw_dossiers (code, body, version) VALUES ($1, $2, 1) "
    "ON CONFLICT (code) DO UPDATE SET body = excluded.body, version = raw_dossiers.version + 1"
)


async def postgres_ceiling(dsn: str, work: Workload) -> float:
    setup = await asyncpg.connect(dsn)
    await setup.execute(
        "CREATE TABLE raw_dossiers (code text PRIMARY KEY, body jsonb, version int NOT NULL)"
    )
    await setup.close()
    rows = _rows(work)

    async def sender(mine: list[list[tuple[str, str]]]) -> None:
        connection = await asyncpg.connect(dsn)
        for batch in mine:
            async with connection.transaction():
                await connection.executemany(UPSERT, batch)
        await connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(sender(mine) for mine in rows))
    return time.perf_counter() - started


def sqlite_ceiling(work: Workload) -> float:
    """The same upsert with the standard library's sqlite3, WAL as the hub sets it; SQLite
    takes one writer at a time, so the senders' batches go one after another."""
    rows = _rows(work)
    order = [
        batch for k in range(max(map(len, rows))) for mine in rows for batch in mine[k : k + 1]
    ]
    with tempfile.TemporaryDirectory(prefix="lienthong-bench-raw-") as folder:
        connection = sqlite3.connect(Path(folder) / "raw.db", isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute(
            "CREATE TABLE raw_dossiers (code TEXT PRIMARY KEY, body TEXT, version INT NOT NULL)"
        )
        upsert = UPSERT.replace("$1", "?").replace("$2", "?")
        started = time.perf_counter()
        for batch in order:
            connection.execute("BEGIN IMMEDIATE")
            connection.executemany(upsert, batch)
            connection.execute("COMMIT")
        seconds = time.perf_counter() - started
        connection.close()
    return seconds


def sync_tokens(server: Process) -> list[str]:
    every = dataset.provinces()
    return [harness.province_token(server, every[index][0]) for index in PROVINCES]


def hub_figure(server: Process, work: Workload, options: Options, label: str) -> Figure:
    tokens = sync_tokens(server)
    with profile.recording(server, f"p1-{label}", enabled=options.profile):
        seconds = asyncio.run(through_hub(server, work, tokens))
    return Figure("POST /sync/dossiers", work.dossiers, seconds)


def row(id_: str, work: Workload, hub_: Figure, raw: Figure, engine: str) -> Row:
    ratio = hub_.rate / raw.rate
    return Row(
        id_,
        f"sync ingest on {engine}, batches of {BATCH}, {SENDERS} senders, "
        f"{work.dossiers:,} dossiers (new and updated)",
        f"{hub_.rate:,.0f} dossiers/s",
        f"{raw.rate:,.0f} dossiers/s ({raw.name})",
        f"{ratio:.0%}",
        f"≥ {TARGET:.0%}" if engine == "PostgreSQL" else "reported",
        ratio >= TARGET if engine == "PostgreSQL" else None,
    )


def measure(options: Options) -> Outcome:
    work = Workload.make(options.p1_batches)
    with fresh_database("lienthong_bench_raw") as dsn:
        seconds = asyncio.run(postgres_ceiling(dsn, work))
    raw = Figure("raw asyncpg executemany upsert", work.dossiers, seconds)
    with fresh_database("lienthong_bench_p1") as dsn, hub(sqlalchemy_url(dsn)) as server:
        through = hub_figure(server, work, options, "postgres")
    return Outcome([row("P1", work, through, raw, "PostgreSQL")])
