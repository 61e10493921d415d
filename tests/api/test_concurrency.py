"""Concurrent writers (QUALITY.md R1 and R4): one dossier created by many requests at once is
created once with one history entry; of two writers holding the same `If-Match`, one gets 412.

PostgreSQL only: SQLite serialises writers, so the races do not happen there."""

import asyncio

import httpx
import pytest

from tests.api.checks import assert_problem, history_of, read, stored
from tests.factories import CODE, code_of, snapshot, status_change, step

pytestmark = pytest.mark.postgres_only


async def test_concurrent_puts_of_one_new_dossier_create_it_once(
    client: httpx.AsyncClient,
) -> None:
    answers = await asyncio.gather(
        *(client.put(f"/dossiers/{CODE}", json=snapshot()) for _ in range(8))
    )

    assert sorted(a.status_code for a in answers) == [200] * 7 + [201], [a.text for a in answers]
    outcomes = sorted(a.headers["Sync-Outcome"] for a in answers)
    assert outcomes == ["created"] + ["unchanged"] * 7
    assert {a.json()["version"] for a in answers} == {1}
    assert [h["type"] for h in await history_of(client, CODE)] == ["dossier.created"]


async def test_concurrent_steps_with_the_same_if_match_let_one_through(
    client: httpx.AsyncClient,
) -> None:
    await stored(client, snapshot())
    headers = {"If-Match": 'W/"1"'}

    answers = await asyncio.gather(
        *(
            client.post(f"/dossiers/{CODE}/steps", json=step(content=f"Bước {n}"), headers=headers)
            for n in range(2)
        )
    )

    assert sorted(a.status_code for a in answers) == [201, 412], [a.text for a in answers]
    refused = next(a for a in answers if a.status_code == 412)
    assert_problem(refused, 412, "precondition_failed")
    assert refused.headers["ETag"] == 'W/"2"'
    assert (await read(client, CODE))["version"] == 2
    assert len(await history_of(client, CODE)) == 2


async def test_concurrent_status_changes_with_the_same_if_match_let_one_through(
    client: httpx.AsyncClient,
) -> None:
    await stored(client, snapshot(status="processing"))
    headers = {"If-Match": 'W/"1"'}

    answers = await asyncio.gather(
        client.post(f"/dossiers/{CODE}/status", json=status_change("resolved"), headers=headers),
        client.post(f"/dossiers/{CODE}/status", json=status_change("stopped"), headers=headers),
    )

    assert sorted(a.status_code for a in answers) == [200, 412], [a.text for a in answers]
    winner = next(a for a in answers if a.status_code == 200).json()["status"]
    dossier = await read(client, CODE)
    assert (dossier["status"], dossier["version"]) == (winner, 2)


async def test_concurrent_overlapping_batches_record_each_change_once(
    client: httpx.AsyncClient,
) -> None:
    codes = [code_of(n) for n in range(1, 7)]
    batches = [
        {"items": [snapshot(code=code) for code in (codes if k % 2 else codes[::-1])]}
        for k in range(4)
    ]

    answers = await asyncio.gather(*(client.post("/sync/dossiers", json=b) for b in batches))

    assert [a.status_code for a in answers] == [200] * 4, [a.text for a in answers]
    for code in codes:
        outcomes = sorted(
            r["outcome"] for a in answers for r in a.json()["results"] if r["code"] == code
        )
        assert outcomes == ["created", "unchanged", "unchanged", "unchanged"]
        assert len(await history_of(client, code)) == 1
