"""`GET /dossiers/{code}` and `GET /dossiers`: one dossier with its ETag, and the filtered list
with opaque cursors (STANDARD.md sections 2 and 5)."""

from typing import Any

import httpx
import pytest

from tests.api.checks import assert_problem, read, stored
from tests.factories import CODE, code_of, snapshot

G14 = "000.00.04.G14"
LOCAL_PROCEDURE = "1.010708.000.00.00.H56"


async def codes_listed(client: httpx.AsyncClient, params: Any) -> set[str]:
    response = await client.get("/dossiers", params=params)
    assert response.status_code == 200, response.text
    page = response.json()
    assert page["nextCursor"] is None
    return {item["code"] for item in page["items"]}


async def test_read_carries_the_etag_of_its_version(client: httpx.AsyncClient) -> None:
    await stored(client, snapshot(source_version=3))
    await stored(client, snapshot(source_version=4, summary="Bản mới"))

    response = await client.get(f"/dossiers/{CODE}")

    assert response.status_code == 200
    assert response.headers["ETag"] == 'W/"2"'
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert (body["version"], body["summary"]) == (2, "Bản mới")
    assert body["documents"][0]["id"] == "f-1"
    assert body["fees"][0]["amount"] == 0


async def test_if_none_match_with_the_current_etag_is_304(client: httpx.AsyncClient) -> None:
    await stored(client, snapshot())

    response = await client.get(f"/dossiers/{CODE}", headers={"If-None-Match": 'W/"1"'})

    assert response.status_code == 304
    assert response.headers["ETag"] == 'W/"1"'
    assert response.content == b""


async def test_if_none_match_with_an_older_etag_reads_the_dossier(
    client: httpx.AsyncClient,
) -> None:
    await stored(client, snapshot(source_version=3))
    await stored(client, snapshot(source_version=4, summary="Bản mới"))

    response = await client.get(f"/dossiers/{CODE}", headers={"If-None-Match": 'W/"1"'})

    assert response.status_code == 200
    assert response.headers["ETag"] == 'W/"2"'
    assert response.json()["summary"] == "Bản mới"


async def test_unknown_dossier_is_404_problem(client: httpx.AsyncClient) -> None:
    response = await client.get(f"/dossiers/{code_of(404)}")

    problem = assert_problem(response, 404, "dossier_not_found")
    assert code_of(404) in problem["detail"]


async def seed_for_filters(client: httpx.AsyncClient) -> None:
    """Four dossiers that differ in one filtered member at a time."""
    # 1: received 27 Nov, past its appointment and still open: overdue.
    await stored(client, snapshot(code=code_of(1)))
    # 2: received at G14 on 1 Dec, applicant in Hà Nội (01), due far ahead.
    other = snapshot(
        code=code_of(2, agency=G14),
        receivingAgency=G14,
        handlingAgency=G14,
        status="received",
        receivedAt="2025-12-01T09:00:00+07:00",
        dueAt="2099-12-31T17:00:00+07:00",
    )
    other["applicant"]["address"].update(provinceCode="01", communeCode="00070")
    await stored(client, other)
    # 3: received at H56, now handled at G14, a local procedure, resolved before its due date.
    transferred = snapshot(
        code=code_of(3),
        handlingAgency=G14,
        status="resolved",
        receivedAt="2025-11-30T09:00:00+07:00",
        resolvedAt="2025-11-28T09:00:00+07:00",
    )
    transferred["procedure"]["code"] = LOCAL_PROCEDURE
    await stored(client, transferred)
    # 4: filed online, not yet received, no appointment.
    await stored(client, snapshot(code=code_of(4), status="submitted", receivedAt=None, dueAt=None))


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {1, 2, 3, 4}),
        ({"receivingAgency": G14}, {2}),
        ({"handlingAgency": G14}, {2, 3}),
        ({"provinceCode": "01"}, {2}),
        ({"provinceCode": "38"}, {1, 3, 4}),
        ({"procedureCode": LOCAL_PROCEDURE}, {3}),
        ({"status": "processing"}, {1}),
        ([("status", "received"), ("status", "resolved")], {2, 3}),
        ({"receivedFrom": "2025-11-28T00:00:00+07:00"}, {2, 3}),
        ({"receivedTo": "2025-11-30T00:00:00+07:00"}, {1}),
        (
            {"receivedFrom": "2025-11-28T00:00:00+07:00", "receivedTo": "2025-12-01T00:00:00Z"},
            {3},
        ),
        ({"overdue": "true"}, {1}),
        ({"overdue": "false"}, {2, 3, 4}),
        ({"handlingAgency": G14, "status": "received"}, {2}),
    ],
    ids=[
        "none",
        "receivingAgency",
        "handlingAgency",
        "provinceCode-01",
        "provinceCode-38",
        "procedureCode",
        "status",
        "status-repeated",
        "receivedFrom",
        "receivedTo",
        "receivedFrom-and-To",
        "overdue-true",
        "overdue-false",
        "filters-combine",
    ],
)
async def test_list_filter_selects_the_matching_dossiers(
    client: httpx.AsyncClient, params: Any, expected: set[int]
) -> None:
    await seed_for_filters(client)

    assert await codes_listed(client, params) == {
        code_of(n, agency=G14 if n == 2 else "000.00.00.H56") for n in expected
    }


async def test_list_filter_updated_since_selects_dossiers_changed_from_then(
    client: httpx.AsyncClient,
) -> None:
    await stored(client, snapshot(code=code_of(1)))
    second = await stored(client, snapshot(code=code_of(2)))
    since = {"updatedSince": second["updatedAt"]}

    assert await codes_listed(client, since) == {code_of(2)}
    await stored(client, snapshot(code=code_of(1), source_version=4, summary="Bản mới"))
    assert await codes_listed(client, since) == {code_of(1), code_of(2)}


async def test_list_item_shows_the_listed_members(client: httpx.AsyncClient) -> None:
    await stored(client, snapshot())

    [item] = (await client.get("/dossiers")).json()["items"]

    assert item["code"] == CODE
    assert item["procedureCode"] == "1.001193"
    assert item["receivingAgency"] == item["handlingAgency"] == "000.00.00.H56"
    assert (item["status"], item["channel"], item["version"]) == ("processing", "online", 1)
    assert item["receivedAt"] == "2025-11-27T08:30:00+07:00"
    assert item["dueAt"] == "2025-11-28T17:00:00+07:00"
    assert item["overdue"] is True
    assert item["updatedAt"].endswith("+07:00")


async def test_cursor_paging_visits_every_dossier_exactly_once(client: httpx.AsyncClient) -> None:
    # Three stored by one batch share their updatedAt: the cursor must still tell them apart.
    batch = {"items": [snapshot(code=code_of(n)) for n in (1, 2, 3)]}
    assert (await client.post("/sync/dossiers", json=batch)).status_code == 200
    for n in (4, 5):
        await stored(client, snapshot(code=code_of(n)))

    seen: list[str] = []
    sizes: list[int] = []
    cursor: str | None = None
    for _ in range(10):
        params: dict[str, Any] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        response = await client.get("/dossiers", params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        seen += [item["code"] for item in page["items"]]
        sizes.append(len(page["items"]))
        cursor = page["nextCursor"]
        if cursor is None:
            break

    assert sizes == [2, 2, 1]
    assert sorted(seen) == [code_of(n) for n in (1, 2, 3, 4, 5)]


async def test_page_that_ends_the_list_has_a_null_next_cursor(client: httpx.AsyncClient) -> None:
    for n in (1, 2, 3, 4):
        await stored(client, snapshot(code=code_of(n)))

    first = (await client.get("/dossiers", params={"limit": 2})).json()
    second = (
        await client.get("/dossiers", params={"limit": 2, "cursor": first["nextCursor"]})
    ).json()

    assert first["nextCursor"] is not None
    assert len(second["items"]) == 2
    assert second["nextCursor"] is None


@pytest.mark.parametrize("cursor", ["not-a-cursor", "WzFd", "W10", "!!!"])
async def test_invalid_cursor_is_rejected_naming_cursor(
    client: httpx.AsyncClient, cursor: str
) -> None:
    response = await client.get("/dossiers", params={"cursor": cursor})

    assert_problem(response, 422, "validation_failed", "cursor")


@pytest.mark.parametrize("limit", [0, 501, -1])
async def test_limit_out_of_range_is_rejected_naming_limit(
    client: httpx.AsyncClient, limit: int
) -> None:
    response = await client.get("/dossiers", params={"limit": limit})

    assert_problem(response, 422, "validation_failed", "limit")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "archived"}, "status[0]"),
        ({"receivedFrom": "2025-11-28T00:00:00"}, "receivedFrom"),
        ({"overdue": "maybe"}, "overdue"),
    ],
)
async def test_invalid_list_filter_is_rejected_naming_it(
    client: httpx.AsyncClient, params: dict[str, str], field: str
) -> None:
    response = await client.get("/dossiers", params=params)

    assert_problem(response, 422, "validation_failed", field)


async def test_read_of_the_whole_dossier_matches_the_list_entry(client: httpx.AsyncClient) -> None:
    await stored(client, snapshot())

    dossier = await read(client, CODE)
    [item] = (await client.get("/dossiers")).json()["items"]

    assert item["version"] == dossier["version"]
    assert item["updatedAt"] == dossier["updatedAt"]
    assert item["overdue"] == dossier["overdue"]
