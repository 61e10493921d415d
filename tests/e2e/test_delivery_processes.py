"""Delivery with real processes on one PostgreSQL (QUALITY.md R3 and R5, issue 7's "Done
when"): API processes (`lienthong serve`, no worker inside), delivery workers (`lienthong
worker`) and the fake national portal (`lienthong fake-portal`). What the portal received is the
evidence: per event id, how many requests came, how many it accepted, and the most it had in
flight at once.

PostgreSQL only: SQLite has one writer, so workers cannot race there. Without a server that
answers, the tests skip and say so."""

import asyncio
import re
import time
from collections.abc import Iterator
from contextlib import ExitStack
from itertools import cycle
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.auth import ADMIN_ID, ADMIN_SECRET
from tests.databases import postgres_server_url, scratch_postgres_database
from tests.e2e.processes import (
    CommandProcess,
    process_group,
    start_api,
    start_fake_portal,
    start_worker,
    wait_ready,
)
from tests.factories import code_of, snapshot, status_change, step

pytestmark = pytest.mark.postgres_only

SECRET = "bí-mật-của-cổng-quốc-gia-0123"
SETTLE_SECONDS = 90  # a deadline, not a timing: a stuck delivery fails the test, not hangs it
RESOLVED_AT = "2025-11-28T10:00:00+07:00"
RETURNED_AT = "2025-11-28T15:00:00+07:00"


@pytest.fixture(scope="module")
def server() -> str:
    url = postgres_server_url()
    if url is None:
        pytest.skip(
            "no PostgreSQL answers (HUB_TEST_DATABASE_URL or 127.0.0.1:5432): several "
            "processes sharing one database need a server"
        )
    return url


@pytest.fixture
def database(server: str) -> Iterator[str]:
    with scratch_postgres_database(server, "procs") as url:
        yield url


API = {
    "admin_client_id": ADMIN_ID,
    "admin_client_secret": ADMIN_SECRET,
    "delivery_worker": "off",  # the workers are processes of their own
    "rate_limit_per_minute": "0",
}


def worker_settings(*, schedule: str, timeout: float = 10.0) -> dict[str, str]:
    return {
        "delivery_retry_schedule": schedule,
        "delivery_timeout": str(timeout),
        "delivery_poll_seconds": "0.1",
        "log_level": "INFO",  # each round says what it sent
    }


def admin_client(api: CommandProcess) -> httpx.Client:
    """A client of the API process with an admin token (the admin comes from the environment)."""
    credentials = {"client_id": ADMIN_ID, "client_secret": ADMIN_SECRET}
    answer = httpx.post(
        f"{api.base}/api/v1/auth/token",
        data={"grant_type": "client_credentials", **credentials},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    token = answer.json()["access_token"]
    return httpx.Client(
        base_url=f"{api.base}/api/v1", headers={"Authorization": f"Bearer {token}"}, timeout=30
    )


def subscribe(admin: httpx.Client, portal: CommandProcess) -> int:
    answer = admin.post(
        "/subscriptions",
        json={"callbackUrl": f"{portal.base}/callback/common", "secret": SECRET},
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["format"] == "common"
    subscription: int = answer.json()["id"]
    return subscription


def control(portal: CommandProcess, **mode: Any) -> None:
    answer = httpx.post(f"{portal.base}/_control", json=mode, timeout=10)
    assert answer.status_code == 200, answer.text


def portal_view(portal: CommandProcess) -> tuple[list[dict[str, Any]], dict[str, dict[str, int]]]:
    """Every receipt in arrival order, and the counts per event id."""
    received = httpx.get(f"{portal.base}/_received", timeout=30).json()
    counts = httpx.get(f"{portal.base}/_received/counts", timeout=30).json()
    return received, counts


def deliveries(admin: httpx.Client, subscription: int, *statuses: str) -> list[dict[str, Any]]:
    """The subscription's deliveries (of these statuses), every page."""
    items: list[dict[str, Any]] = []
    params: dict[str, Any] = {"limit": 500, "status": list(statuses)}
    while True:
        answer = admin.get(f"/subscriptions/{subscription}/deliveries", params=params)
        assert answer.status_code == 200, answer.text
        items += answer.json()["items"]
        if not answer.json().get("nextCursor"):
            return items
        params["cursor"] = answer.json()["nextCursor"]


def wait_until_settled(admin: httpx.Client, subscription: int) -> None:
    """Until no delivery is pending or retrying."""
    deadline = time.monotonic() + SETTLE_SECONDS
    params = {"status": ["pending", "retrying"], "limit": 1}
    while True:
        answer = admin.get(f"/subscriptions/{subscription}/deliveries", params=params)
        assert answer.status_code == 200, answer.text
        if not answer.json()["items"]:
            return
        assert time.monotonic() < deadline, f"still open after {SETTLE_SECONDS} s: {answer.text}"
        time.sleep(0.2)


def feed_ids(admin: httpx.Client) -> list[str]:
    """Every event id of the change feed, following `nextCursor` until a page is empty."""
    ids: list[str] = []
    params: dict[str, Any] = {"limit": 1000}
    while True:
        answer = admin.get("/changes", params=params)
        assert answer.status_code == 200, answer.text
        if not answer.json()["items"]:
            return ids
        ids += [item["id"] for item in answer.json()["items"]]
        params["after"] = answer.json()["nextCursor"]


def versions_in_arrival_order(received: list[dict[str, Any]]) -> dict[str, list[int]]:
    """Per dossier, the versions the portal accepted, each event at its first acceptance (a
    repeat is the receiver's to drop, by event id)."""
    versions: dict[str, list[int]] = {}
    seen: set[str] = set()
    for receipt in received:
        if receipt["outcome"] == "accepted" and receipt["eventId"] not in seen:
            seen.add(receipt["eventId"])
            body = receipt["body"]
            versions.setdefault(body["dossierCode"], []).append(body["dossier"]["version"])
    return versions


def assert_worked_cleanly(*processes: CommandProcess) -> None:
    for process in processes:
        assert "Traceback" not in process.log(), f"{process.name}:\n{process.log()}"


SENT = re.compile(r"sent delivery \d+|sent \d+ deliveries")


# R5 ------------------------------------------------------------------------------------------

DOSSIERS = 60
CHANGES_PER_DOSSIER = 5  # created, two steps, resolved, returned
WRITERS = 12  # dossiers written at once
ARMS, FAILURES = 4, 5  # the portal fails the next 5 requests, 4 times during the writing
# Each request is held this long, as a real receiver takes its time: two sends of one event at
# once then overlap at the portal and show in maxInFlight (answered at once, they could not).
LATENCY = 0.1


async def write_dossier(apis: list[httpx.AsyncClient], n: int) -> None:
    """One dossier's five changes through both API processes: created through one, two steps
    through both at once (the hub orders them), resolved and returned through one each."""
    code = code_of(100 + n)
    first, second = apis[n % 2], apis[(n + 1) % 2]
    answer = await first.put(f"/dossiers/{code}", json=snapshot(code=code))
    assert answer.status_code == 201, answer.text
    async with asyncio.TaskGroup() as both:
        steps = [
            both.create_task(api.post(f"/dossiers/{code}/steps", json=step(content=content)))
            for api, content in ((first, f"Bước A, hồ sơ {n}"), (second, f"Bước B, hồ sơ {n}"))
        ]
    assert [s.result().status_code for s in steps] == [201, 201], [s.result().text for s in steps]
    for api, status, at in ((second, "resolved", RESOLVED_AT), (first, "returned", RETURNED_AT)):
        answer = await api.post(f"/dossiers/{code}/status", json=status_change(status, at=at))
        assert answer.status_code == 200, answer.text


async def write_through_both(apis: list[httpx.Client], portal: CommandProcess) -> None:
    """Every dossier, `WRITERS` at a time, while the portal fails `FAILURES` requests as the
    writing starts and again after each quarter of the dossiers."""

    def fail_next() -> None:
        order = {"times": FAILURES, "status": next(statuses), "latency": LATENCY}
        control(portal, mode="fail_times", **order)

    clients = [
        httpx.AsyncClient(base_url=api.base_url, headers=api.headers, timeout=60) for api in apis
    ]
    gate = asyncio.Semaphore(WRITERS)
    statuses = cycle([500, 503, 502])
    written = 0

    async def one(n: int) -> None:
        nonlocal written
        async with gate:
            await write_dossier(clients, n)
        written += 1
        if written % (DOSSIERS // ARMS) == 0 and written < DOSSIERS:
            await asyncio.to_thread(fail_next)

    fail_next()
    try:
        async with asyncio.TaskGroup() as writers:  # one failure cancels the others
            for n in range(DOSSIERS):
                writers.create_task(one(n))
    finally:
        for client in clients:
            await client.aclose()


def test_two_apis_and_two_workers_deliver_every_change_one_sender_at_a_time_in_dossier_order(
    database: str, tmp_path: Path
) -> None:
    # At most ARMS * FAILURES = 20 requests fail; with 20 retries a second apart no delivery
    # can fail them all, so every one must end delivered.
    schedule = ",".join(["0"] + ["1"] * (ARMS * FAILURES - 1))
    with process_group() as group, ExitStack() as clients:
        portal = group.add(start_fake_portal(SECRET, tmp_path))
        apis = [group.add(start_api(database, tmp_path, name=f"api-{i}", **API)) for i in (1, 2)]
        workers = [
            group.add(
                start_worker(
                    database,
                    tmp_path,
                    name=f"worker-{i}",
                    # The default timeout: the portal answers at once here, and a send cut
                    # short on a busy machine would come again while the portal still
                    # handled the first, which its counts would show as two in flight.
                    **worker_settings(schedule=schedule),
                )
            )
            for i in (1, 2)
        ]
        wait_ready(portal, *apis, *workers)
        admins = [clients.enter_context(admin_client(api)) for api in apis]
        subscription = subscribe(admins[0], portal)

        asyncio.run(write_through_both(admins, portal))
        wait_until_settled(admins[1], subscription)

        ids = feed_ids(admins[1])
        sent = deliveries(admins[0], subscription)
        received, counts = portal_view(portal)
    assert_worked_cleanly(*apis, *workers)

    assert len(ids) == DOSSIERS * CHANGES_PER_DOSSIER
    assert sorted(d["eventId"] for d in sent) == sorted(ids)
    assert {d["status"] for d in sent} == {"delivered"}
    # Both workers took part, and the portal's failures were retried.
    assert [worker.name for worker in workers if not SENT.search(worker.log())] == []
    assert 0 < sum(r["outcome"] == "failed" for r in received) <= ARMS * FAILURES
    assert max(d["attempts"] for d in sent) > 1
    # No event was ever in two requests at once: never sent by two workers at once. Nor,
    # with nobody killed and nothing timed out here, sent again once it had been taken.
    assert {event: c for event, c in counts.items() if c["maxInFlight"] != 1} == {}
    assert {event: c for event, c in counts.items() if c["accepted"] != 1} == {}
    # Every event of the feed was accepted, and each dossier's in the order of its versions.
    assert [i for i in ids if counts.get(i, {}).get("accepted", 0) < 1] == []
    versions = versions_in_arrival_order(received)
    assert len(versions) == DOSSIERS
    in_order = list(range(1, CHANGES_PER_DOSSIER + 1))
    assert {code: v for code, v in versions.items() if v != in_order} == {}


# SIGKILL -------------------------------------------------------------------------------------

KILLED_WORKER_TIMEOUT = 3.0  # its sends hang until it is killed: the test kills it within this
HELD_SECONDS = 600.0  # the portal holds each request far longer than anything here waits


def wait_for_receipts(portal: CommandProcess, number: int) -> list[dict[str, Any]]:
    deadline = time.monotonic() + 60
    while len(received := portal_view(portal)[0]) < number:
        assert time.monotonic() < deadline, f"the portal has {received}"
        time.sleep(0.02)
    return received


def test_a_worker_killed_mid_send_loses_nothing_and_its_events_come_again(
    database: str, tmp_path: Path
) -> None:
    with process_group() as group, ExitStack() as clients:
        portal = group.add(start_fake_portal(SECRET, tmp_path))
        api = group.add(start_api(database, tmp_path, **API))
        wait_ready(portal, api)
        admin = clients.enter_context(admin_client(api))
        subscription = subscribe(admin, portal)
        # Three dossiers; the first has two changes more, waiting behind its first.
        codes = [code_of(n) for n in (1, 2, 3)]
        for code in codes:
            assert admin.put(f"/dossiers/{code}", json=snapshot(code=code)).status_code == 201
        assert admin.post(f"/dossiers/{codes[0]}/steps", json=step()).status_code == 201
        resolved = status_change("resolved", at=RESOLVED_AT)
        assert admin.post(f"/dossiers/{codes[0]}/status", json=resolved).status_code == 200
        control(portal, mode="timeout", delay=HELD_SECONDS)

        doomed = group.add(
            start_worker(
                database,
                tmp_path,
                name="doomed-worker",
                **worker_settings(schedule="0,1,1", timeout=KILLED_WORKER_TIMEOUT),
            )
        )
        in_flight = wait_for_receipts(portal, len(codes))  # the head of each dossier
        doomed.kill()
        unsettled = deliveries(admin, subscription)

        control(portal, mode="ok")
        successor = group.add(
            start_worker(
                database, tmp_path, name="successor", **worker_settings(schedule="0,1,1", timeout=2)
            )
        )
        wait_until_settled(admin, subscription)
        ids = feed_ids(admin)
        settled = deliveries(admin, subscription)
        received, counts = portal_view(portal)
    assert_worked_cleanly(api, successor)

    # Killed inside its sends: the portal had not answered, and nothing had been settled.
    assert [r["outcome"] for r in in_flight] == ["pending"] * len(codes)
    assert [(d["status"], d["attempts"]) for d in unsettled] == [("pending", 0)] * len(ids)
    # Nothing lost: every delivery ended delivered, every event of the feed was accepted.
    assert [(d["status"], d["attempts"]) for d in settled] == [("delivered", 1)] * len(ids)
    assert [i for i in ids if counts.get(i, {}).get("accepted", 0) < 1] == []
    # What the killed worker was sending came again under the same event id. (The portal still
    # holds the killed requests, not noticing the hang-up, so they overlap with the repeats in
    # its maxInFlight: that is the receiver's view, not two workers at once.)
    for event in {r["eventId"] for r in in_flight}:
        assert counts[event]["received"] >= 2 and counts[event]["accepted"] >= 1, counts
    versions = versions_in_arrival_order(received)
    assert versions == {codes[0]: [1, 2, 3], codes[1]: [1], codes[2]: [1]}
