"""R2 (QUALITY.md): the hub killed with SIGKILL in the middle of a stream of writes, then
restarted on the same database: every acknowledged write is there, no dossier is half written,
no change is missing from the feed or from the outbox. On the embedded SQLite file and on
PostgreSQL, twice in a row, so that a recovered hub is also shown to go on writing cleanly.

Writers own disjoint dossiers (so each knows what it wrote) and stream snapshots, sync batches,
steps and status changes; two more add steps to one shared dossier, so that writers also queue
on one row lock. A subscription to a closed port, with the delivery worker off, keeps every
delivery pending: the outbox must then hold exactly one per change. A request cut by the kill
may or may not have been stored; only the answered ones (2xx, with their version) must be.
"""

import asyncio
import os
import random
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.databases import PostgresTestDatabase, postgres_server_url
from tests.e2e.hub_process import HubProcess, free_port, run_cli, start_hub
from tests.factories import code_of, snapshot, status_change, step

ADMIN_ID, ADMIN_SECRET = "admin-crash", "admin-crash-secret-0123456789"
HUB_SETTINGS = {
    "admin_client_id": ADMIN_ID,
    "admin_client_secret": ADMIN_SECRET,
    "secret_hash_cost": "10",
    "rate_limit_per_minute": "0",
    "delivery_worker": "off",  # deliveries stay pending, so the outbox can be counted
}
WRITERS = 4
OWNED = 6  # dossiers per writer
HOT_WRITERS = 2
HOT = code_of(9000)
ROUNDS = 2  # write, kill, restart; twice
ACKS_BEFORE_KILL = 200  # per round, then the kill comes at a random moment shortly after
SYSTEM = "motcua-crash"
VIETNAM = timezone(timedelta(hours=7))


@dataclass(frozen=True)
class Write:
    """One write a client sent: `version` is set when the hub acknowledged it."""

    code: str
    kind: str  # snapshot, step or status
    marker: str  # unique: found again in the history entry the write made
    status: str | None = None  # the status a status change moved to
    version: int | None = None


@dataclass
class Known:
    """What a writer believes of one of its dossiers (read again after each restart)."""

    exists: bool = False
    source_version: int = 0
    status: str = "processing"


@dataclass
class Stream:
    """What every writer of one round shares."""

    acks: list[Write] = field(default_factory=list)
    cut: list[Write] = field(default_factory=list)  # in flight when the hub died
    failures: list[str] = field(default_factory=list)
    killed: asyncio.Event = field(default_factory=asyncio.Event)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """None for the embedded database; else a fresh migrated PostgreSQL database, dropped after."""
    if request.param == "sqlite":
        yield None
        return
    server = postgres_server_url()
    if server is None:
        pytest.skip("no PostgreSQL answers (HUB_TEST_DATABASE_URL or 127.0.0.1:5432)")
    database = PostgresTestDatabase(server, name=f"lienthong_crash_{os.getpid()}")
    database.create()
    try:
        yield database.url
    finally:
        database.drop()


def _snapshot(code: str, known: Known, marker: str) -> dict[str, Any]:
    known.source_version += 1
    updated = datetime(2025, 11, 27, 8, 31, tzinfo=VIETNAM) + timedelta(
        minutes=known.source_version
    )
    return snapshot(
        code=code,
        summary=marker,
        source={
            "system": SYSTEM,
            "recordId": marker,
            "version": known.source_version,
            "updatedAt": updated.isoformat(),
        },
    )


async def _token(http: httpx.AsyncClient) -> str:
    answer = await http.post(
        "/api/v1/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": ADMIN_ID,
            "client_secret": ADMIN_SECRET,
        },
    )
    answer.raise_for_status()
    return str(answer.json()["access_token"])


async def _send(
    stream: Stream, http: httpx.AsyncClient, writes: list[Write], method: str, url: str, body: Any
) -> httpx.Response | None:
    """The answer, or None when the hub died under the request (the writes are then cut)."""
    try:
        answer = await http.request(method, url, json=body)
    except httpx.TransportError as error:
        if stream.killed.is_set():
            stream.cut.extend(writes)
        else:
            stream.failures.append(f"{method} {url}: {error!r}")
        return None
    if not answer.is_success:
        stream.failures.append(f"{method} {url}: {answer.status_code} {answer.text[:300]}")
        return None
    return answer


async def _resync(http: httpx.AsyncClient, codes: list[str]) -> dict[str, Known]:
    """A writer's view of its dossiers as stored: a cut request may have landed or not."""
    known = {}
    for code in codes:
        answer = await http.get(f"/api/v1/dossiers/{code}")
        if answer.status_code == 404:
            known[code] = Known()
            continue
        answer.raise_for_status()
        body = answer.json()
        known[code] = Known(True, body["source"]["version"], body["status"])
    return known


async def _write_owned(
    stream: Stream, http: httpx.AsyncClient, name: str, codes: list[str], seed: int
) -> None:
    rng = random.Random(seed)
    known = await _resync(http, codes)
    n = 0
    while not stream.killed.is_set() and not stream.failures:
        n += 1
        missing = [c for c in codes if not known[c].exists]
        action = "sync" if missing else rng.choice(["snapshot", "sync", "step", "status"])
        if action == "sync":
            batch = missing or rng.sample(codes, 3)
            writes = [Write(c, "snapshot", f"{name}-{n}-{i}") for i, c in enumerate(batch)]
            items = [_snapshot(w.code, known[w.code], w.marker) for w in writes]
            answer = await _send(
                stream, http, writes, "POST", "/api/v1/sync/dossiers", {"items": items}
            )
            if answer is None:
                return
            for w, result in zip(writes, answer.json()["results"], strict=True):
                if result["outcome"] not in ("created", "updated"):
                    stream.failures.append(f"sync of {w.code}: {result}")
                known[w.code].exists, known[w.code].status = True, "processing"
                stream.acks.append(replace(w, version=result["version"]))
            continue
        code = rng.choice(codes)
        marker = f"{name}-{n}"
        if action == "snapshot":
            write = Write(code, "snapshot", marker)
            url, body = f"/api/v1/dossiers/{code}", _snapshot(code, known[code], marker)
            answer = await _send(stream, http, [write], "PUT", url, body)
        elif action == "step":
            write = Write(code, "step", marker)
            url = f"/api/v1/dossiers/{code}/steps"
            answer = await _send(stream, http, [write], "POST", url, step(content=marker))
        else:
            target = "payment_requested" if known[code].status == "processing" else "processing"
            write = Write(code, "status", marker, status=target)
            url = f"/api/v1/dossiers/{code}/status"
            body = status_change(target, note=marker)
            answer = await _send(stream, http, [write], "POST", url, body)
        if answer is None:
            return
        known[code].status = answer.json()["status"]
        stream.acks.append(replace(write, version=answer.json()["version"]))


async def _write_hot(stream: Stream, http: httpx.AsyncClient, name: str) -> None:
    n = 0
    while not stream.killed.is_set() and not stream.failures:
        n += 1
        write = Write(HOT, "step", f"{name}-{n}")
        url = f"/api/v1/dossiers/{HOT}/steps"
        answer = await _send(stream, http, [write], "POST", url, step(content=write.marker))
        if answer is None:
            return
        stream.acks.append(replace(write, version=answer.json()["version"]))


def _owned(writer: int) -> list[str]:
    return [code_of(1 + writer * OWNED + i) for i in range(OWNED)]


async def _round(hub: HubProcess, number: int, rng: random.Random) -> Stream:
    """Stream writes from every writer until enough are answered, then SIGKILL the hub."""
    stream = Stream()
    limits = httpx.Limits(max_connections=WRITERS + HOT_WRITERS)
    async with httpx.AsyncClient(base_url=hub.base, timeout=30, limits=limits) as http:
        http.headers["Authorization"] = f"Bearer {await _token(http)}"
        writers = [
            asyncio.create_task(
                _write_owned(stream, http, f"r{number}w{w}", _owned(w), rng.randrange(2**32))
            )
            for w in range(WRITERS)
        ] + [
            asyncio.create_task(_write_hot(stream, http, f"r{number}h{h}"))
            for h in range(HOT_WRITERS)
        ]
        deadline = asyncio.get_running_loop().time() + 30
        while len(stream.acks) < ACKS_BEFORE_KILL and not stream.failures:
            assert asyncio.get_running_loop().time() < deadline, "the writes do not advance"
            for writer in writers:
                if writer.done():
                    writer.result()  # its exception, if it raised one
                    assert stream.failures, "a writer stopped before the kill"
            await asyncio.sleep(0.01)
        await asyncio.sleep(rng.uniform(0.0, 0.3))
        stream.killed.set()
        hub.kill()
        await asyncio.gather(*writers)
    return stream


@dataclass
class Stored:
    """What the restarted hub answers: every dossier with its history, the feed, the outbox."""

    dossiers: dict[str, dict[str, Any]]
    histories: dict[str, list[dict[str, Any]]]
    changes: list[dict[str, Any]]
    deliveries: list[dict[str, Any]]


async def _pages(
    http: httpx.AsyncClient, url: str, limit: int, cursor_name: str = "cursor"
) -> list[dict[str, Any]]:
    """Every item of a paged list (the feed names its cursor `after`)."""
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": limit}
        if cursor is not None:
            params[cursor_name] = cursor
        answer = await http.get(url, params=params)
        answer.raise_for_status()
        page = answer.json()
        items += page["items"]
        if not page["items"] or page["nextCursor"] is None:
            return items
        cursor = page["nextCursor"]


async def _read_back(hub: HubProcess, codes: list[str], subscription: int) -> Stored:
    async with httpx.AsyncClient(base_url=hub.base, timeout=30) as http:
        http.headers["Authorization"] = f"Bearer {await _token(http)}"
        dossiers, histories = {}, {}
        for code in codes:
            answer = await http.get(f"/api/v1/dossiers/{code}")
            if answer.status_code == 404:
                continue
            answer.raise_for_status()
            dossiers[code] = answer.json()
            histories[code] = await _pages(http, f"/api/v1/dossiers/{code}/history", 500)
        changes = await _pages(http, "/api/v1/changes", 1000, "after")
        url = f"/api/v1/subscriptions/{subscription}/deliveries"
        return Stored(dossiers, histories, changes, await _pages(http, url, 500))


def _made(entry: dict[str, Any], write: Write) -> bool:
    """Whether this history entry is the one `write` made."""
    data: dict[str, Any] = entry["data"]
    if write.kind == "snapshot":
        return data.get("via") == "snapshot" and data["source"].get("recordId") == write.marker
    if write.kind == "step":
        return entry["type"] == "dossier.step_added" and data["step"].get("content") == write.marker
    return (
        entry["type"] == "dossier.status_changed"
        and entry["status"] == write.status
        and data.get("note") == write.marker
    )


def _check_acknowledged(stored: Stored, acks: list[Write]) -> None:
    for write in acks:
        assert write.version is not None
        assert write.code in stored.dossiers, f"acknowledged {write} but the dossier is gone"
        dossier, history = stored.dossiers[write.code], stored.histories[write.code]
        assert dossier["version"] >= write.version, f"{write} is newer than the stored dossier"
        assert _made(history[write.version - 1], write), f"{write}: {history[write.version - 1]}"


def _check_whole(stored: Stored) -> None:
    """No half-written dossier: its history is 1..version, and its body is its last entries'."""
    for code, dossier in stored.dossiers.items():
        history = stored.histories[code]
        assert [e["version"] for e in history] == list(range(1, dossier["version"] + 1)), code
        assert history[-1]["status"] == dossier["status"], code
        last_snapshot = next(e for e in reversed(history) if e["data"].get("via") == "snapshot")
        assert dossier["source"] == last_snapshot["data"]["source"], code
        assert dossier["summary"] == dossier["source"]["recordId"], code


def _check_feed_and_outbox(stored: Stored) -> None:
    """One change per history entry, at gap-free positions; one pending delivery per change."""
    positions = [int(c["id"]) for c in stored.changes]
    assert positions == list(range(1, len(positions) + 1)), "the feed has a gap or a repeat"
    entries = {
        (code, e["version"]): e for code, history in stored.histories.items() for e in history
    }
    changed = [(c["dossierCode"], c["version"]) for c in stored.changes]
    assert len(set(changed)) == len(changed), "a dossier version is in the feed twice"
    assert set(changed) == set(entries), "the feed and the histories differ"
    for change in stored.changes:
        entry = entries[(change["dossierCode"], change["version"])]
        assert (change["type"], change["status"]) == (entry["type"], entry["status"]), change
    delivered = sorted(int(d["eventId"]) for d in stored.deliveries)
    assert delivered == positions, "the outbox does not hold exactly one delivery per change"
    assert {d["status"] for d in stored.deliveries} == {"pending"}
    by_position = {int(c["id"]): c for c in stored.changes}
    for delivery in stored.deliveries:
        change = by_position[int(delivery["eventId"])]
        assert (delivery["dossierCode"], delivery["type"]) == (
            change["dossierCode"],
            change["type"],
        )


async def _set_up(hub: HubProcess) -> tuple[int, Write]:
    """The subscription every change is queued for, and the shared dossier."""
    async with httpx.AsyncClient(base_url=hub.base, timeout=30) as http:
        http.headers["Authorization"] = f"Bearer {await _token(http)}"
        subscribed = await http.post(
            "/api/v1/subscriptions",
            json={
                "callbackUrl": f"http://127.0.0.1:{free_port()}/hub",  # nobody listens there
                "format": "common",
                "secret": "crash-test-secret-0123456789",
            },
        )
        assert subscribed.status_code == 201, subscribed.text
        created = await http.put(f"/api/v1/dossiers/{HOT}", json=_snapshot(HOT, Known(), "hot-0"))
        assert created.status_code == 201, created.text
        return int(subscribed.json()["id"]), Write(HOT, "snapshot", "hot-0", version=1)


def test_acknowledged_writes_survive_sigkill_mid_stream(
    tmp_path: Path, database_url: str | None
) -> None:
    rng = random.Random(20251127)
    codes = [HOT] + [c for w in range(WRITERS) for c in _owned(w)]
    hub = start_hub(tmp_path, database_url=database_url, **HUB_SETTINGS)
    try:
        subscription, first = asyncio.run(_set_up(hub))
        acks, cut = [first], []
        for number in range(1, ROUNDS + 1):
            stream = asyncio.run(_round(hub, number, rng))
            assert not stream.failures, stream.failures
            acks += stream.acks
            cut += stream.cut
            hub = start_hub(tmp_path, database_url=database_url, **HUB_SETTINGS)
        stored = asyncio.run(_read_back(hub, codes, subscription))
    finally:
        hub.stop()

    _check_whole(stored)
    _check_acknowledged(stored, acks)
    _check_feed_and_outbox(stored)
    audit = run_cli(tmp_path, "audit", "verify", database_url=database_url, **HUB_SETTINGS)
    assert audit.returncode == 0, audit.stdout + audit.stderr
    assert cut, "no write was in flight at any kill: the test did not cut a stream"
    landed = sum(any(_made(e, w) for e in stored.histories.get(w.code, [])) for w in cut)
    print(
        f"{len(acks)} acknowledged writes, {len(stored.changes)} changes; "
        f"{len(cut)} cut by the kills, {landed} of them stored"
    )
