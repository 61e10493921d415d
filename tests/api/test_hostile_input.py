"""Input a client can send that once made the hub fail: every one is a clear 4xx now, and
nothing half-written is stored (QUALITY.md S1, S2)."""

import base64
import json
from pathlib import Path
from threading import Thread

import httpx
import pytest
from sqlalchemy import func, select

from app.db import Database
from app.models import IdempotencyRow
from app.services.tokens import _generated_key
from tests.api.checks import assert_problem
from tests.auth import bearer, create_client
from tests.factories import CODE, snapshot


async def _raw_put(client: httpx.AsyncClient, body: str) -> httpx.Response:
    return await client.put(
        f"/dossiers/{CODE}",
        content=body.encode("utf-8", "surrogatepass"),
        headers={"content-type": "application/json"},
    )


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:00:00-12:00"])
async def test_timestamps_far_from_any_dossier_are_refused(
    client: httpx.AsyncClient, moment: str
) -> None:
    assert_problem(
        await client.put(f"/dossiers/{CODE}", json=snapshot(receivedAt=moment)),
        422,
        "validation_failed",
        "receivedAt",
    )
    assert_problem(
        await client.get("/dossiers", params={"receivedFrom": moment}),
        422,
        "validation_failed",
        "receivedFrom",
    )


@pytest.mark.parametrize("moment", [0, 1764207000, "1764207000", "1764207000.5", "-1"])
async def test_moments_given_as_numbers_are_refused(
    client: httpx.AsyncClient, moment: int | str
) -> None:
    """Pydantic alone reads them as seconds since 1970, a moment without the offset the
    contract asks for (found by the fuzzer: `receivedFrom=0` was 1970-01-01)."""
    assert_problem(
        await client.put(f"/dossiers/{CODE}", json=snapshot(receivedAt=moment)),
        422,
        "validation_failed",
        "receivedAt",
    )
    for query, name in (("/dossiers", "receivedFrom"), ("/calendar/due-date?value=3", "from")):
        assert_problem(
            await client.get(query, params={name: str(moment)}), 422, "validation_failed", name
        )


@pytest.mark.parametrize(("member", "value"), [("amount", 2**70), ("version", 2**63)])
async def test_integers_beyond_storage_are_refused(
    client: httpx.AsyncClient, member: str, value: int
) -> None:
    data = snapshot()
    if member == "amount":
        data["fees"] = [{"name": "Lệ phí", "amount": value}]
        field = "fees[0].amount"
    else:
        data["source"]["version"] = value
        field = "source.version"
    assert_problem(
        await client.put(f"/dossiers/{CODE}", json=data), 422, "validation_failed", field
    )


@pytest.mark.parametrize("tag", ['W/"²"'.encode(), b'"' + b"9" * 5000 + b'"'])
async def test_if_match_that_names_no_version_fails_as_stale(
    client: httpx.AsyncClient, tag: bytes
) -> None:
    await client.put(f"/dossiers/{CODE}", json=snapshot())
    answer = await client.put(f"/dossiers/{CODE}", json=snapshot(), headers={"If-Match": tag})
    assert_problem(answer, 412, "precondition_failed")


async def test_a_cursor_with_a_huge_number_is_refused(client: httpx.AsyncClient) -> None:
    cursor = base64.urlsafe_b64encode(json.dumps([2**70]).encode()).decode().rstrip("=")
    answer = await client.get(f"/dossiers/{CODE}/history", params={"cursor": cursor})
    assert_problem(answer, 422, "validation_failed", "cursor")


async def test_basic_credentials_that_are_not_text_are_an_invalid_client(
    anonymous: httpx.AsyncClient,
) -> None:
    answer = await anonymous.post(
        "/auth/token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": "Basic " + base64.b64encode(b"\xff\xfe:\xff").decode()},
    )
    assert_problem(answer, 401, "invalid_client")


async def test_codes_take_ascii_digits_only(client: httpx.AsyncClient) -> None:
    code = "\u0660\u0660\u0660.\u0660\u0660.\u0660\u0660.H56-251127-0012"
    answer = await client.post("/sync/dossiers", json={"items": [snapshot(code=code)]})
    assert answer.json()["results"][0]["outcome"] == "rejected"


async def test_nul_characters_are_refused_in_paths_and_text(client: httpx.AsyncClient) -> None:
    refused = await client.get("/dossiers/abc%00def")
    assert (refused.status_code, refused.json()["code"]) == (400, "malformed_request")
    assert_problem(
        await client.put(f"/dossiers/{CODE}", json=snapshot(summary="a\u0000b")),
        422,
        "validation_failed",
        "summary",
    )


async def test_an_overlong_idempotency_key_is_refused(client: httpx.AsyncClient) -> None:
    answer = await client.post(
        "/dossier-codes", json={"agency": "000.00.00.H56"}, headers={"Idempotency-Key": "k" * 300}
    )
    assert_problem(answer, 422, "validation_failed", "Idempotency-Key")


async def test_a_code_is_the_receiving_agencys_own(client: httpx.AsyncClient) -> None:
    foreign = snapshot(code="000.00.00.H38-251127-0001")
    assert_problem(
        await client.put("/dossiers/000.00.00.H38-251127-0001", json=foreign),
        422,
        "validation_failed",
        "receivingAgency",
    )


async def test_a_revoked_client_gets_no_replay(client: httpx.AsyncClient) -> None:
    province = await create_client(client, "province", ["*.*.*.H56"])
    headers = {**await bearer(client, province), "Idempotency-Key": "once"}
    first = await client.post("/dossier-codes", json={"agency": "000.00.00.H56"}, headers=headers)
    assert first.status_code == 201
    await client.delete(f"/clients/{province.client_id}")
    again = await client.post("/dossier-codes", json={"agency": "000.00.00.H56"}, headers=headers)
    assert_problem(again, 401, "unauthenticated")


async def test_secrets_are_never_kept_for_a_replay(client: httpx.AsyncClient, db: Database) -> None:
    answer = await client.post(
        "/clients",
        headers={"Idempotency-Key": "new-client"},
        json={"name": "Cổng dịch vụ công", "kind": "portal"},
    )
    assert answer.status_code == 201
    async with db.transaction(write=False) as session:
        assert await session.scalar(select(func.count()).select_from(IdempotencyRow)) == 0


def test_processes_starting_together_share_one_generated_signing_key(tmp_path: Path) -> None:
    keys: list[str] = []
    threads = [Thread(target=lambda: keys.append(_generated_key(tmp_path))) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(keys)) == 1
    assert (tmp_path / "jwt-signing-key.pem").stat().st_mode & 0o077 == 0
    assert [p.name for p in tmp_path.iterdir()] == ["jwt-signing-key.pem"]
