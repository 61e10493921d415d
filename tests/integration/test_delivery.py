"""Delivery (STANDARD.md section 5, QUALITY.md R3): subscriptions, the outbox and the worker
against the fake national portal, a real server on 127.0.0.1 that checks signatures, records
what it receives and fails on demand. The retry schedule is compressed to seconds."""

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import orjson
import pytest

from app.adapters import registry
from app.db import Database
from app.settings import Settings
from app.worker import DeliveryWorker
from tests.api.checks import stored
from tests.factories import CODE, snapshot, status_change, step
from tests.fakes import deliver, running_fake_portal, running_slow_receiver

SECRET = "bí-mật-của-cổng-quốc-gia-0123"
LONGEST_HOST_URL = "https://" + ".".join(["a" * 63] * 31) + ".aaaaaaaa"


@pytest.fixture
def portal() -> Iterator[str]:
    with running_fake_portal(SECRET) as base:
        yield base


@pytest.fixture
async def control(portal: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=portal) as c:
        yield c


def worker_for(db: Database, settings: Settings, **changes: Any) -> DeliveryWorker:
    tuned = settings.model_copy(
        update={"delivery_retry_schedule": "0,0,0", "delivery_timeout": 2.0, **changes}
    )
    return DeliveryWorker(db, tuned, registry.build())


async def drain(worker: DeliveryWorker, rounds: int = 20) -> None:
    """Run worker rounds until nothing is due (waits of the compressed schedule included)."""
    async with httpx.AsyncClient(timeout=worker.timeout) as http:
        idle = 0
        for _ in range(rounds * 10):
            idle = 0 if await worker.tick(http) else idle + 1
            if idle > 3:
                return
            await asyncio.sleep(0.02)


async def subscribe(client: httpx.AsyncClient, url: str, **changes: Any) -> int:
    answer = await client.post(
        "/subscriptions", json={"callbackUrl": url, "secret": SECRET, **changes}
    )
    assert answer.status_code == 201, answer.text
    subscription: int = answer.json()["id"]
    return subscription


async def received(control: httpx.AsyncClient) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = (await control.get("/_received")).json()
    return items


async def deliveries(client: httpx.AsyncClient, subscription: int) -> list[dict[str, Any]]:
    answer = await client.get(f"/subscriptions/{subscription}/deliveries")
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


async def three_changes(client: httpx.AsyncClient) -> None:
    await stored(client, snapshot())
    await client.post(f"/dossiers/{CODE}/steps", json=step())
    await client.post(f"/dossiers/{CODE}/status", json=status_change("resolved"))


async def test_changes_arrive_signed_in_the_common_format(
    client: httpx.AsyncClient, db: Database, settings: Settings, portal: str,
    control: httpx.AsyncClient,
) -> None:  # fmt: skip
    await subscribe(client, f"{portal}/callback/common")
    await three_changes(client)

    await drain(worker_for(db, settings))

    feed = (await client.get("/changes")).json()["items"]
    got = await received(control)
    assert [r["outcome"] for r in got] == ["accepted"] * 3
    assert [r["signature"] for r in got] == ["valid"] * 3
    assert [r["eventId"] for r in got] == [c["id"] for c in feed]
    bodies = [r["body"] for r in got]
    assert [b["type"] for b in bodies] == [
        "dossier.created",
        "dossier.step_added",
        "dossier.status_changed",
    ]
    assert set(bodies[0]) == {"id", "type", "dossierCode", "at", "dossier"}
    # Each carries the dossier as that change left it.
    assert [b["dossier"]["version"] for b in bodies] == [1, 2, 3]


async def test_failures_are_retried_and_order_holds_per_dossier(
    client: httpx.AsyncClient, db: Database, settings: Settings, portal: str,
    control: httpx.AsyncClient,
) -> None:  # fmt: skip
    subscription = await subscribe(client, f"{portal}/callback/common")
    await control.post("/_control", json={"mode": "fail_times", "times": 2, "status": 500})
    await three_changes(client)

    await drain(worker_for(db, settings))

    accepted = [r for r in await received(control) if r["outcome"] == "accepted"]
    assert [r["body"]["dossier"]["version"] for r in accepted] == [1, 2, 3]
    states = await deliveries(client, subscription)
    assert [d["status"] for d in states] == ["delivered"] * 3
    assert states[0]["attempts"] == 3  # two 500s, then delivered
    assert states[0]["lastError"] is None


async def test_a_timeout_is_retried(
    client: httpx.AsyncClient, db: Database, settings: Settings, portal: str,
    control: httpx.AsyncClient,
) -> None:  # fmt: skip
    subscription = await subscribe(client, f"{portal}/callback/common")
    await control.post("/_control", json={"mode": "timeout", "delay": 3})
    await stored(client, snapshot())
    worker = worker_for(db, settings, delivery_timeout=0.5)

    async with httpx.AsyncClient(timeout=worker.timeout) as http:
        await worker.tick(http)
    [waiting] = await deliveries(client, subscription)
    await control.post("/_control", json={"mode": "ok"})
    await drain(worker)

    assert (waiting["status"], waiting["attempts"]) == ("retrying", 1)
    assert "Timeout" in waiting["lastError"]
    [done] = await deliveries(client, subscription)
    assert done["status"] == "delivered"


async def test_an_answer_slower_than_the_timeout_is_cut_even_when_it_keeps_trickling(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # httpx's own timeouts bound each read, not the request: a receiver that sends a byte now
    # and then could hold a send past the worker's lease, and another worker would then send
    # the same event while this one still is.
    with running_slow_receiver(seconds=4) as receiver:
        subscription = await subscribe(client, f"{receiver}/callback")
        await stored(client, snapshot())
        worker = worker_for(db, settings, delivery_timeout=1.0)

        async with httpx.AsyncClient(timeout=worker.timeout) as http:
            await worker.tick(http)

    [cut] = await deliveries(client, subscription)
    assert (cut["status"], cut["attempts"]) == ("retrying", 1)
    assert "Timeout" in cut["lastError"]


async def test_a_delivery_that_cannot_even_be_sent_fails_alone(
    client: httpx.AsyncClient, db: Database, settings: Settings, portal: str,
    control: httpx.AsyncClient,
) -> None:  # fmt: skip
    # A valid URL (💩.la, a real domain) that httpx refuses to encode raises outside
    # httpx.HTTPError: it must count as that delivery's failed attempt, not abort the round
    # and leave every delivery claimed with it unsettled, to be sent again and again.
    unsendable = await subscribe(client, "http://xn--ls8h.la/callback")
    good = await subscribe(client, f"{portal}/callback/common")
    await three_changes(client)

    await drain(worker_for(db, settings))

    assert [d["status"] for d in await deliveries(client, good)] == ["delivered"] * 3
    assert [r["outcome"] for r in await received(control)] == ["accepted"] * 3
    first, *later = await deliveries(client, unsendable)
    assert (first["status"], first["attempts"]) == ("dead", 4)
    assert first["lastError"]
    assert [(d["status"], d["attempts"]) for d in later] == [("dead", 4)] * 2


async def test_a_refused_connection_ends_as_a_dead_letter(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    subscription = await subscribe(client, "http://127.0.0.1:9/callback")  # nothing listens
    await stored(client, snapshot())

    await drain(worker_for(db, settings))

    [dead] = await deliveries(client, subscription)
    assert (dead["status"], dead["attempts"]) == ("dead", 4)  # the first try and 3 retries
    assert "ConnectError" in dead["lastError"]
    assert dead["nextAttemptAt"] is None


async def test_a_dead_letter_is_delivered_by_the_retry_endpoint(
    client: httpx.AsyncClient, db: Database, settings: Settings, portal: str,
    control: httpx.AsyncClient,
) -> None:  # fmt: skip
    subscription = await subscribe(client, f"{portal}/callback/common")
    await control.post("/_control", json={"mode": "fail", "status": 503})
    await stored(client, snapshot())
    worker = worker_for(db, settings)
    await drain(worker)
    [dead] = await deliveries(client, subscription)
    metrics = (await client.get("http://hub/metrics")).text

    await control.post("/_control", json={"mode": "ok"})
    retried = await client.post(f"/deliveries/{dead['id']}/retry")
    again = await client.post(f"/deliveries/{dead['id']}/retry")
    await drain(worker)

    assert dead["status"] == "dead"
    assert 'lienthong_deliveries{status="dead"} 1' in metrics
    assert retried.status_code == 200 and retried.json()["status"] == "pending"
    assert again.status_code == 409
    [delivered] = await deliveries(client, subscription)
    assert delivered["status"] == "delivered"
    accepted = [r for r in await received(control) if r["outcome"] == "accepted"]
    assert [r["eventId"] for r in accepted] == [dead["eventId"]]


async def test_a_paused_subscription_sends_nothing_until_resumed(
    client: httpx.AsyncClient, db: Database, settings: Settings, portal: str,
    control: httpx.AsyncClient,
) -> None:  # fmt: skip
    subscription = await subscribe(client, f"{portal}/callback/common")
    await client.post(f"/subscriptions/{subscription}/pause")
    await stored(client, snapshot())
    worker = worker_for(db, settings)

    await drain(worker)
    nothing = await received(control)
    await client.post(f"/subscriptions/{subscription}/resume")
    await drain(worker)

    assert nothing == []
    assert len(await received(control)) == 1


async def test_filters_choose_the_changes(client: httpx.AsyncClient) -> None:
    steps_only = await subscribe(client, "http://127.0.0.1:9/a", events=["dossier.step_added"])
    elsewhere = await subscribe(client, "http://127.0.0.1:9/b", filter={"agencies": ["*.*.*.H38"]})
    other_procedure = await subscribe(
        client, "http://127.0.0.1:9/c", filter={"procedures": ["2.000001"]}
    )
    h56 = await subscribe(client, "http://127.0.0.1:9/d", filter={"agencies": ["*.*.*.H56"]})

    await three_changes(client)

    assert [d["type"] for d in await deliveries(client, steps_only)] == ["dossier.step_added"]
    assert await deliveries(client, elsewhere) == []
    assert await deliveries(client, other_procedure) == []
    assert len(await deliveries(client, h56)) == 3


async def test_the_portal_gets_its_own_payloads_and_an_existing_dossier_becomes_an_update(
    client: httpx.AsyncClient, db: Database, settings: Settings, portal: str,
    control: httpx.AsyncClient,
) -> None:  # fmt: skip
    subscription = await subscribe(client, f"{portal}/callback/dvcqg", format="dvcqg")
    # The province already synced this dossier to the portal itself.
    own = orjson.dumps({"isUpdating": "False", "data": [{"MaHoSo": CODE, "MaTTHC": "1.001193"}]})
    with httpx.Client() as sync_http:
        await asyncio.to_thread(
            deliver, sync_http, f"{portal}/callback/dvcqg", SECRET, own, "province-1"
        )
    await three_changes(client)

    await drain(worker_for(db, settings))

    hub = [r for r in await received(control) if r["eventId"] != "province-1"]
    assert [r["outcome"] for r in hub] == ["refused", "accepted", "accepted", "accepted"]
    first, update, step_record, status_record = (r["body"] for r in hub)
    assert first["isUpdating"] == "False"
    assert update["isUpdating"] == "True" and update["data"][0]["MaHoSo"] == CODE
    assert step_record[0]["NoiDungXuLy"] == "Thẩm định hồ sơ"
    assert step_record[0]["TrangThai"] == "4"  # processing
    assert status_record[0]["TrangThai"] == "9"  # resolved
    held = (await control.get(f"/_dossiers/{CODE}")).json()
    assert held["dossier"]["TrangThaiHoSo"] == "4"
    assert len(held["progress"]) == 2
    assert [d["status"] for d in await deliveries(client, subscription)] == ["delivered"] * 3


async def test_a_subscription_names_its_bad_fields(client: httpx.AsyncClient) -> None:
    for body, field in (
        ({"callbackUrl": "ftp://x", "secret": SECRET}, "callbackUrl"),
        ({"callbackUrl": "http://x", "secret": "short"}, "secret"),
        ({"callbackUrl": "http://x", "secret": SECRET, "format": "fax"}, "format"),
        # 2000 characters as sent, 2001 once normalised with its "/" (found by the fuzzer)
        ({"callbackUrl": LONGEST_HOST_URL, "secret": SECRET}, "callbackUrl"),
        ({"callbackUrl": "http://x", "secret": SECRET, "events": ["x.y"]}, "events"),
        ({"callbackUrl": "http://x", "secret": SECRET, "filter": {"agencies": ["H56"]}}, "filter"),
    ):
        answer = await client.post("/subscriptions", json=body)
        assert answer.status_code == 422, answer.text
        assert any(e["field"].startswith(field) for e in answer.json()["errors"]), answer.text
    assert (await client.get("/subscriptions")).json()["items"] == []


async def test_a_slow_receiver_does_not_hold_up_the_others(
    client: httpx.AsyncClient, db: Database, settings: Settings, portal: str,
    control: httpx.AsyncClient,
) -> None:  # fmt: skip
    slow = await subscribe(client, f"{portal}/callback/common")
    await control.post("/_control", json={"mode": "timeout", "delay": 6})
    with running_fake_portal(SECRET) as other:
        quick = await subscribe(client, f"{other}/callback/common")
        await three_changes(client)  # three deliveries of one dossier for each subscription
        stop = asyncio.Event()
        worker = asyncio.create_task(
            worker_for(db, settings, delivery_timeout=5.0, delivery_poll_seconds=0.05).run(stop)
        )
        try:
            # The quick receiver gets all three, one after the other, while the slow one still
            # holds the first of its own: each send is settled as soon as it ends.
            for _ in range(200):
                quick_states = [d["status"] for d in await deliveries(client, quick)]
                if quick_states == ["delivered"] * 3:
                    break
                await asyncio.sleep(0.02)
            slow_states = [(d["status"], d["attempts"]) for d in await deliveries(client, slow)]
        finally:
            stop.set()
            await worker

    assert quick_states == ["delivered"] * 3
    assert slow_states == [("pending", 0)] * 3


async def test_the_portal_is_sent_a_dossier_it_lacks_before_its_progress(
    client: httpx.AsyncClient, db: Database, settings: Settings, portal: str,
    control: httpx.AsyncClient,
) -> None:  # fmt: skip
    await stored(client, snapshot())  # before the portal subscribes: it never got the dossier
    subscription = await subscribe(client, f"{portal}/callback/dvcqg", format="dvcqg")
    await client.post(f"/dossiers/{CODE}/steps", json=step())

    await drain(worker_for(db, settings))

    [delivery] = await deliveries(client, subscription)
    assert (delivery["status"], delivery["attempts"]) == ("delivered", 1)
    got = [(r["eventId"], r["outcome"]) for r in await received(control)]
    event = delivery["eventId"]
    assert got == [(event, "refused"), (f"{event}.dossier", "accepted"), (event, "accepted")]
    held = (await control.get(f"/_dossiers/{CODE}")).json()
    assert held["dossier"]["MaHoSo"] == CODE
    assert [p["NoiDungXuLy"] for p in held["progress"]] == ["Thẩm định hồ sơ"]
