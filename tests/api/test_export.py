"""`GET /dossiers/export`: whole dossiers as NDJSON, with the list's filters and the client's
agency binding."""

import httpx
import orjson

from tests.api.checks import stored
from tests.auth import bearer, create_client
from tests.factories import code_of, snapshot

NDJSON = "application/x-ndjson"


async def test_the_export_is_one_whole_dossier_a_line(client: httpx.AsyncClient) -> None:
    batch = [snapshot(code=code_of(n)) for n in range(1, 4)]
    await client.post("/sync/dossiers", json={"items": batch})
    whole = (await client.get(f"/dossiers/{code_of(2)}")).json()

    answer = await client.get("/dossiers/export")

    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith(NDJSON)
    lines = [orjson.loads(line) for line in answer.text.splitlines()]
    assert [d["code"] for d in lines] == [code_of(n) for n in range(1, 4)]
    assert lines[1] == whole


async def test_the_export_takes_the_list_filters(client: httpx.AsyncClient) -> None:
    await stored(client, snapshot(code=code_of(1)))
    await stored(client, snapshot(code=code_of(2), status="resolved"))

    answer = await client.get("/dossiers/export", params={"status": "resolved"})

    assert [orjson.loads(line)["code"] for line in answer.text.splitlines()] == [code_of(2)]


async def test_a_province_exports_only_its_own(client: httpx.AsyncClient) -> None:
    province = await bearer(client, await create_client(client, "province", ["*.*.*.H56"]))
    await stored(client, snapshot(code=code_of(1)))
    foreign = code_of(1, agency="000.00.00.H38")
    await stored(client, snapshot(code=foreign, receivingAgency="000.00.00.H38"))

    answer = await client.get("/dossiers/export", headers=province)

    assert [orjson.loads(line)["code"] for line in answer.text.splitlines()] == [code_of(1)]


async def test_an_empty_export_is_an_empty_body(client: httpx.AsyncClient) -> None:
    answer = await client.get("/dossiers/export")

    assert (answer.status_code, answer.text) == (200, "")


async def test_export_is_not_a_dossier_code(client: httpx.AsyncClient) -> None:
    put = await client.put("/dossiers/export", json=snapshot())

    assert put.status_code == 405
    assert put.headers["Allow"] == "GET"
