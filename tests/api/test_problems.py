"""Errors everywhere are RFC 9457 problems: unknown paths, wrong methods, unparsable and too
large bodies, and failures of the hub itself, which reveal nothing of its insides
(STANDARD.md section 2)."""

from collections.abc import AsyncIterator

import httpx
import orjson
import pytest
from fastapi import FastAPI

from app.settings import Settings
from tests.api.checks import PROBLEM, assert_problem, read, stored
from tests.auth import admin_of_hub
from tests.factories import CODE, code_of, snapshot

SMALL_LIMIT = 2048


@pytest.fixture
async def small_client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A client of a hub that takes JSON bodies of at most 2 KiB."""
    async with admin_of_hub(settings, max_body_bytes=SMALL_LIMIT) as c:
        yield c


def padded(size: int) -> dict[str, object]:
    """A valid snapshot of at least `size` bytes of JSON."""
    return snapshot(ext={"legacyXml": {"padding": "x" * size}})


async def test_unknown_path_is_404_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/dossier-typo")

    problem = assert_problem(response, 404, "not_found")
    assert "/api/v1/dossier-typo" in problem["detail"]


async def test_unknown_path_outside_the_api_is_404_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("http://hub/nothing-here")

    assert_problem(response, 404, "not_found")


async def test_wrong_method_is_405_problem(client: httpx.AsyncClient) -> None:
    await stored(client, snapshot())

    response = await client.delete(f"/dossiers/{CODE}")

    assert_problem(response, 405, "method_not_allowed")
    assert "PUT" in response.headers["Allow"]
    assert (await read(client, CODE))["version"] == 1


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("DELETE", f"/dossiers/{CODE}", "GET, PUT"),
        ("PATCH", "/clients", "GET, POST"),
        ("OPTIONS", "/calendar/days/2026-08-22", "PUT, DELETE"),
        ("POST", "http://hub/healthz", "GET"),
    ],
)
async def test_a_405_lists_every_method_of_the_resource(
    client: httpx.AsyncClient, method: str, path: str, allowed: str
) -> None:
    """RFC 9110 section 15.5.6; Starlette listed only the first matching route's methods, so
    `DELETE /dossiers/{code}` answered `Allow: PUT` (found by the fuzzer)."""
    response = await client.request(method, path)

    assert_problem(response, 405, "method_not_allowed")
    assert response.headers["Allow"] == allowed


async def test_malformed_json_body_is_400_malformed_request(client: httpx.AsyncClient) -> None:
    response = await client.put(
        f"/dossiers/{CODE}",
        content=b'{"code": "000.00.00.H56-251127-0012",',
        headers={"Content-Type": "application/json"},
    )

    assert_problem(response, 400, "malformed_request", "body")


async def test_body_that_is_not_an_object_is_422(client: httpx.AsyncClient) -> None:
    response = await client.put(f"/dossiers/{CODE}", json=[snapshot()])

    assert_problem(response, 422, "validation_failed")


async def test_body_within_the_limit_is_accepted(small_client: httpx.AsyncClient) -> None:
    response = await small_client.put(f"/dossiers/{CODE}", json=snapshot())

    assert response.status_code == 201, response.text


async def test_snapshot_over_the_body_limit_is_413(small_client: httpx.AsyncClient) -> None:
    response = await small_client.put(f"/dossiers/{CODE}", json=padded(SMALL_LIMIT))

    assert_problem(response, 413, "body_too_large")
    assert (await small_client.get(f"/dossiers/{CODE}")).status_code == 404


async def test_act_over_the_body_limit_is_413(small_client: httpx.AsyncClient) -> None:
    await small_client.put(f"/dossiers/{CODE}", json=snapshot())
    body = {
        "at": "2025-11-27T14:00:00+07:00",
        "handler": "Nguyễn Văn Bình",
        "unit": "Phòng Tư pháp",
        "content": "x" * 3000,
    }

    response = await small_client.post(f"/dossiers/{CODE}/steps", json=body)

    assert_problem(response, 413, "body_too_large")


async def test_sync_batch_over_the_body_limit_is_413(small_client: httpx.AsyncClient) -> None:
    batch = {"items": [snapshot(code=code_of(n)) for n in range(3)]}

    response = await small_client.post("/sync/dossiers", json=batch)

    assert_problem(response, 413, "body_too_large")
    assert (await small_client.get(f"/dossiers/{code_of(0)}")).status_code == 404


async def test_body_over_the_limit_is_413_even_when_streamed_without_a_length(
    small_client: httpx.AsyncClient,
) -> None:
    data = orjson.dumps({"items": [snapshot(code=code_of(n)) for n in range(3)]})

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(data), 512):
            yield data[start : start + 512]

    response = await small_client.post(
        "/sync/dossiers", content=chunks(), headers={"Content-Type": "application/json"}
    )

    assert "content-length" not in response.request.headers
    assert_problem(response, 413, "body_too_large")


async def test_ndjson_import_may_exceed_the_json_body_limit(
    small_client: httpx.AsyncClient,
) -> None:
    body = b"\n".join(orjson.dumps(snapshot(code=code_of(n))) for n in range(3))
    assert len(body) > SMALL_LIMIT

    response = await small_client.post(
        "/sync/dossiers", content=body, headers={"Content-Type": "application/x-ndjson"}
    )

    assert response.status_code == 200, response.text
    assert [r["outcome"] for r in response.json()["results"]] == ["created"] * 3


async def test_unexpected_failure_is_500_problem_without_internals(app: FastAPI) -> None:
    async def explode() -> None:
        raise RuntimeError("secret-dsn postgresql://hub:hunter2@db/hub")

    app.add_api_route("/api/v1/explode", explode, methods=["GET"])
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://hub/api/v1") as client:
        response = await client.get("/explode", headers={"X-Request-Id": "req-500-check"})

    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert (problem["status"], problem["code"]) == (500, "internal_error")
    assert problem["instance"] == "/api/v1/explode"
    for leak in ("hunter2", "secret-dsn", "RuntimeError", "Traceback"):
        assert leak not in response.text
    assert response.headers["x-request-id"] == "req-500-check"
    assert "req-500-check" in problem["detail"]


async def test_answers_carry_the_request_id(client: httpx.AsyncClient) -> None:
    given = await client.get(f"/dossiers/{CODE}", headers={"X-Request-Id": "abc-123"})
    made = await client.get(f"/dossiers/{CODE}")
    unsafe = await client.get(f"/dossiers/{CODE}", headers={"X-Request-Id": "bad id\twith tab"})

    assert given.headers["x-request-id"] == "abc-123"
    assert made.headers["x-request-id"]
    assert unsafe.headers["x-request-id"] not in ("", "bad id\twith tab")
