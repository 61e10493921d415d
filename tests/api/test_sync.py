"""`POST /sync/dossiers`: many snapshots in one request, one outcome per item in input order;
one bad item never rejects the others (STANDARD.md section 5, QUALITY.md R1)."""

from typing import Any

import httpx
import orjson

from tests.api.checks import assert_problem, history_of, read, stored
from tests.factories import code_of, snapshot


async def sync(client: httpx.AsyncClient, items: list[Any]) -> list[dict[str, Any]]:
    response = await client.post("/sync/dossiers", json={"items": items})
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def ndjson(*lines: Any) -> bytes:
    return b"\n".join(line if isinstance(line, bytes) else orjson.dumps(line) for line in lines)


async def test_results_follow_input_order_with_each_outcome(client: httpx.AsyncClient) -> None:
    updated, unchanged, stale, closed = code_of(1), code_of(2), code_of(3), code_of(4)
    for code in (updated, unchanged, stale):
        await stored(client, snapshot(code=code, source_version=3))
    await stored(client, snapshot(code=closed, status="returned"))
    bad_procedure = snapshot(code=code_of(6))
    bad_procedure["procedure"]["code"] = "not-a-code"

    results = await sync(
        client,
        [
            snapshot(code=code_of(5)),
            snapshot(code=updated, source_version=4, summary="Đã thẩm định"),
            snapshot(code=unchanged, source_version=3),
            snapshot(code=stale, source_version=2, summary="Bản cũ"),
            bad_procedure,
            snapshot(code=closed, source_version=4, status="processing"),
        ],
    )

    assert [(r["code"], r["outcome"], r.get("version")) for r in results] == [
        (code_of(5), "created", 1),
        (updated, "updated", 2),
        (unchanged, "unchanged", 1),
        (stale, "stale", 1),
        (code_of(6), "rejected", None),
        (closed, "rejected", None),
    ]
    assert results[4]["problem"] == "validation_failed"
    assert "procedure.code" in [e["field"] for e in results[4]["errors"]]
    assert results[5]["problem"] == "invalid_transition"
    assert (await read(client, updated))["summary"] == "Đã thẩm định"
    assert (await read(client, stale))["summary"] == "Đăng ký khai sinh cho con"
    assert (await read(client, closed))["status"] == "returned"
    assert (await client.get(f"/dossiers/{code_of(6)}")).status_code == 404


async def test_invalid_item_is_rejected_naming_its_field_while_the_others_are_stored(
    client: httpx.AsyncClient,
) -> None:
    bad = snapshot(code=code_of(2))
    bad["applicant"]["idNumber"] = "12345"

    results = await sync(client, [snapshot(code=code_of(1)), bad, snapshot(code=code_of(3))])

    assert [r["outcome"] for r in results] == ["created", "rejected", "created"]
    assert (await read(client, code_of(1)))["version"] == 1
    assert (await read(client, code_of(3)))["version"] == 1
    assert (await client.get(f"/dossiers/{code_of(2)}")).status_code == 404
    assert results[1]["code"] == code_of(2)
    assert "applicant.idNumber" in [e["field"] for e in results[1]["errors"]]


async def test_batch_of_more_than_1000_items_is_rejected_naming_items(
    client: httpx.AsyncClient,
) -> None:
    items = [snapshot(code=code_of(n)) for n in range(1001)]

    response = await client.post("/sync/dossiers", json={"items": items})

    assert_problem(response, 422, "validation_failed", "items")
    assert (await client.get(f"/dossiers/{code_of(0)}")).status_code == 404


async def test_batch_of_1000_items_is_accepted(client: httpx.AsyncClient) -> None:
    items = [snapshot(code=code_of(n)) for n in range(1000)]

    results = await sync(client, items)

    assert len(results) == 1000
    assert {r["outcome"] for r in results} == {"created"}


async def test_malformed_json_is_400_malformed_request(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/sync/dossiers",
        content=b'{"items": [{"code": ',
        headers={"Content-Type": "application/json"},
    )

    assert_problem(response, 400, "malformed_request", "body")


async def test_body_that_is_not_an_items_object_is_rejected_naming_items(
    client: httpx.AsyncClient,
) -> None:
    for body in ([snapshot()], {"items": snapshot()}, {"items": [], "extra": 1}):
        response = await client.post("/sync/dossiers", json=body)
        assert_problem(response, 422, "validation_failed", "items")


async def test_ndjson_imports_one_snapshot_a_line_and_rejects_a_bad_line_as_an_item(
    client: httpx.AsyncClient,
) -> None:
    body = ndjson(snapshot(code=code_of(1)), b'{"code": "broken', b"", snapshot(code=code_of(2)))

    response = await client.post(
        "/sync/dossiers", content=body, headers={"Content-Type": "application/x-ndjson"}
    )

    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [(r["code"], r["outcome"]) for r in results] == [
        (code_of(1), "created"),
        (None, "rejected"),
        (code_of(2), "created"),
    ]
    assert results[1]["problem"] == "malformed_request"
    assert results[1]["errors"][0]["field"] == "line 2"
    assert (await read(client, code_of(2)))["version"] == 1


async def test_same_code_twice_in_a_batch_is_created_then_updated(
    client: httpx.AsyncClient,
) -> None:
    code = code_of(1)

    results = await sync(
        client,
        [
            snapshot(code=code, source_version=1, status="received"),
            snapshot(code=code, source_version=2, status="received", summary="Sửa trích yếu"),
        ],
    )

    assert [(r["outcome"], r["version"]) for r in results] == [("created", 1), ("updated", 2)]
    dossier = await read(client, code)
    assert (dossier["version"], dossier["summary"]) == (2, "Sửa trích yếu")
    history = await history_of(client, code)
    assert [(h["version"], h["type"]) for h in history] == [
        (1, "dossier.created"),
        (2, "dossier.updated"),
    ]


async def test_same_batch_sent_three_times_records_each_real_change_once(
    client: httpx.AsyncClient,
) -> None:
    twice = code_of(3)
    batch = [
        snapshot(code=code_of(1)),
        snapshot(code=code_of(2), status="received"),
        snapshot(code=twice, source_version=1, status="received"),
        snapshot(code=twice, source_version=2, status="processing"),
    ]

    first = await sync(client, batch)
    second = await sync(client, batch)
    third = await sync(client, batch)

    assert [r["outcome"] for r in first] == ["created", "created", "created", "updated"]
    expected_again = ["unchanged", "unchanged", "stale", "unchanged"]
    assert [r["outcome"] for r in second] == expected_again
    assert [r["outcome"] for r in third] == expected_again
    assert len(await history_of(client, code_of(1))) == 1
    assert len(await history_of(client, code_of(2))) == 1
    assert [h["type"] for h in await history_of(client, twice)] == [
        "dossier.created",
        "dossier.status_changed",
    ]
    assert (await read(client, twice))["version"] == 2


async def test_empty_batch_answers_no_results(client: httpx.AsyncClient) -> None:
    assert await sync(client, []) == []
