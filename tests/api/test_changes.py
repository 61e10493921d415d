"""`GET /changes`: every change in one order, cursors that never skip, filters, and who sees
what (STANDARD.md section 5, "Change feed")."""

from typing import Any

import httpx

from tests.api.checks import assert_problem, stored
from tests.auth import bearer, create_client
from tests.factories import CODE, code_of, extension, snapshot, status_change, step

MINISTRY = "000.00.04.G14"


async def follow(
    client: httpx.AsyncClient, after: str | None = None, **params: Any
) -> tuple[list[dict[str, Any]], str]:
    """Every page from `after` to the end of the feed: the items and the last cursor."""
    items: list[dict[str, Any]] = []
    while True:
        query = {**params, **({"after": after} if after else {})}
        answer = await client.get("/changes", params=query)
        assert answer.status_code == 200, answer.text
        page = answer.json()
        items += page["items"]
        after = page["nextCursor"]
        if not page["items"]:
            assert after
            return items, after


async def test_every_act_is_one_change_in_order(client: httpx.AsyncClient) -> None:
    await stored(client, snapshot())
    await client.post(f"/dossiers/{CODE}/steps", json=step())
    await client.post(f"/dossiers/{CODE}/extensions", json=extension())
    await stored(client, snapshot(summary="Sửa trích yếu", source_version=4))
    await stored(client, snapshot(status="resolved", source_version=5))

    items, _ = await follow(client)

    assert [(c["type"], c["version"]) for c in items] == [
        ("dossier.created", 1),
        ("dossier.step_added", 2),
        ("dossier.extended", 3),
        ("dossier.updated", 4),
        # a snapshot that moves the status is a status change, not also an update
        ("dossier.status_changed", 5),
    ]
    assert items[-1]["status"] == "resolved"
    assert {c["dossierCode"] for c in items} == {CODE}
    assert len({c["id"] for c in items}) == 5


async def test_an_unchanged_snapshot_makes_no_change(client: httpx.AsyncClient) -> None:
    await stored(client, snapshot())
    await stored(client, snapshot())

    items, _ = await follow(client)

    assert [c["type"] for c in items] == ["dossier.created"]


async def test_small_pages_see_everything_once_and_the_cursor_waits_for_more(
    client: httpx.AsyncClient,
) -> None:
    batch = [snapshot(code=code_of(n)) for n in range(1, 8)]
    await client.post("/sync/dossiers", json={"items": batch})

    seen, cursor = await follow(client, limit=3)
    nothing_yet, same = await follow(client, cursor)
    await client.post(f"/dossiers/{code_of(3)}/steps", json=step())
    later, _ = await follow(client, same, limit=3)

    assert [c["dossierCode"] for c in seen] == [code_of(n) for n in range(1, 8)]
    assert nothing_yet == []
    assert [(c["dossierCode"], c["type"]) for c in later] == [(code_of(3), "dossier.step_added")]


async def test_types_filter_keeps_the_cursor_moving(client: httpx.AsyncClient) -> None:
    await stored(client, snapshot())
    await client.post(f"/dossiers/{CODE}/steps", json=step())
    await client.post(f"/dossiers/{CODE}/status", json=status_change("resolved"))

    steps, cursor = await follow(client, types="dossier.step_added")
    both, _ = await follow(client, types=["dossier.created,dossier.status_changed"])
    after_all, _ = await follow(client, cursor)

    assert [c["type"] for c in steps] == ["dossier.step_added"]
    assert [c["type"] for c in both] == ["dossier.created", "dossier.status_changed"]
    assert after_all == []


async def test_agency_filter(client: httpx.AsyncClient) -> None:
    await stored(client, snapshot())
    other = code_of(1, agency="000.00.00.H38")
    await stored(client, snapshot(code=other, receivingAgency="000.00.00.H38"))

    items, _ = await follow(client, agency="000.00.00.H38")

    assert [c["dossierCode"] for c in items] == [other]


async def test_bad_parameters_name_the_field(client: httpx.AsyncClient) -> None:
    assert_problem(
        await client.get("/changes", params={"types": "dossier.deleted"}), 422, "validation_failed",
        "types",
    )  # fmt: skip
    assert_problem(
        await client.get("/changes", params={"after": "not-a-cursor"}), 422,
        "validation_failed", "cursor",
    )  # fmt: skip
    assert (await client.get("/changes", params={"limit": 1001})).status_code == 422


async def test_a_ministry_follows_what_it_handles_and_what_is_sent_to_it(
    client: httpx.AsyncClient,
) -> None:
    ministry = await bearer(client, await create_client(client, "ministry", [MINISTRY]))
    await stored(client, snapshot())
    await stored(client, snapshot(code=code_of(2), handlingAgency=MINISTRY))
    sent = await client.post(
        f"/dossiers/{CODE}/transfers", json={"toAgency": MINISTRY, "purpose": "Xin ý kiến"}
    )
    assert sent.status_code == 201, sent.text

    answer = await client.get("/changes", headers=ministry)

    assert [(c["dossierCode"], c["type"]) for c in answer.json()["items"]] == [
        (code_of(2), "dossier.created"),
        (CODE, "transfer.sent"),
    ]


async def test_the_portal_follows_every_dossier(client: httpx.AsyncClient) -> None:
    portal = await bearer(client, await create_client(client, "portal", []))
    await stored(client, snapshot())
    await stored(client, snapshot(code=code_of(1, agency="000.00.00.H38"),
                                  receivingAgency="000.00.00.H38"))  # fmt: skip

    answer = await client.get("/changes", headers=portal)

    assert len(answer.json()["items"]) == 2
