"""API clients (STANDARD.md section 5, QUALITY.md S6): the secret is shown once and kept only
as a slow hash, each kind holds only its scopes and is bound to agencies, revocation is for
good, the first admin comes from the environment, and Idempotency-Keys belong to one client."""

import httpx
import pytest
from sqlalchemy import select

from app.db import Database
from app.domain import credentials
from app.main import create_app
from app.models import ClientRow
from app.settings import Settings
from tests.api.checks import assert_problem
from tests.auth import ADMIN_ID, ADMIN_SECRET, bearer, create_client, token_for

PROVINCE = {
    "name": "Hệ thống một cửa tỉnh Khánh Hòa",
    "kind": "province",
    "agencies": ["*.*.*.H56"],
}


async def listed(client: httpx.AsyncClient) -> dict[str, dict[str, object]]:
    response = await client.get("/clients", params={"limit": 500})
    assert response.status_code == 200, response.text
    return {item["clientId"]: item for item in response.json()["items"]}


async def test_new_client_shows_its_secret_once(client: httpx.AsyncClient) -> None:
    response = await client.post("/clients", json=PROVINCE)

    assert response.status_code == 201, response.text
    created = response.json()
    secret = created["clientSecret"]
    assert len(secret) >= 32
    assert created["kind"] == "province" and created["agencies"] == ["*.*.*.H56"]
    assert created["revokedAt"] is None
    listing = await client.get("/clients")
    [item] = [i for i in listing.json()["items"] if i["clientId"] == created["clientId"]]
    assert not any("secret" in key.lower() or "hash" in key.lower() for key in item)
    assert secret not in listing.text
    assert "scrypt" not in listing.text


async def test_only_a_salted_slow_hash_of_the_secret_is_stored(
    client: httpx.AsyncClient, db: Database
) -> None:
    first = await create_client(client, "province", ["*.*.*.H56"])
    second = await create_client(client, "province", ["*.*.*.H56"])

    async with db.transaction(write=False) as session:
        rows = {
            row.id: row.secret_hash
            for row in await session.scalars(
                select(ClientRow).where(ClientRow.id.in_([first.client_id, second.client_id]))
            )
        }

    for made in (first, second):
        stored_hash = rows[made.client_id]
        assert stored_hash != made.secret and made.secret not in stored_hash
        assert stored_hash.startswith("scrypt$")
        assert credentials.secret_matches(made.secret, stored_hash)
        assert not credentials.secret_matches(made.secret + "x", stored_hash)
    salts = {stored.split("$")[2] for stored in rows.values()}
    assert len(salts) == 2


async def test_a_new_client_holds_every_scope_of_its_kind_by_default(
    client: httpx.AsyncClient,
) -> None:
    province = (await client.post("/clients", json=PROVINCE)).json()
    portal = (await client.post("/clients", json={"name": "Cổng DVCQG", "kind": "portal"})).json()

    assert sorted(province["scopes"]) == [
        "dossiers:read",
        "dossiers:write",
        "feed:read",
        "transfers",
    ]
    assert sorted(portal["scopes"]) == ["feed:read", "status:read"]


@pytest.mark.parametrize(
    ("kind", "scope"),
    [
        ("province", "admin"),
        ("ministry", "admin"),
        ("portal", "dossiers:read"),
        ("portal", "admin"),
    ],
)
async def test_a_kind_may_not_hold_another_kinds_scope(
    client: httpx.AsyncClient, kind: str, scope: str
) -> None:
    before = await listed(client)

    response = await client.post(
        "/clients",
        json={"name": "x", "kind": kind, "agencies": ["000.00.04.G14"], "scopes": [scope]},
    )

    assert scope in assert_problem(response, 422, "validation_failed")["errors"][0]["message"]
    assert await listed(client) == before


@pytest.mark.parametrize("kind", ["province", "ministry"])
async def test_province_and_ministry_clients_must_be_bound_to_an_agency(
    client: httpx.AsyncClient, kind: str
) -> None:
    response = await client.post("/clients", json={"name": "x", "kind": kind, "agencies": []})

    assert_problem(response, 422, "validation_failed")


@pytest.mark.parametrize("kind", ["portal", "admin"])
async def test_portal_and_admin_clients_are_bound_to_no_agency(
    client: httpx.AsyncClient, kind: str
) -> None:
    response = await client.post("/clients", json={"name": "x", "kind": kind})

    assert response.status_code == 201, response.text
    assert response.json()["agencies"] == []


@pytest.mark.parametrize(
    ("agencies", "field"),
    [
        (["H56"], "agencies[0]"),
        (["*.*.*.h56"], "agencies[0]"),
        (["000.00.00.H56", "000.00.H56"], "agencies[1]"),
        (["**.*.*.H56"], "agencies[0]"),
        (["000.00.00.H56%"], "agencies[0]"),
    ],
)
async def test_bad_agency_pattern_is_422_naming_it(
    client: httpx.AsyncClient, agencies: list[str], field: str
) -> None:
    response = await client.post("/clients", json={**PROVINCE, "agencies": agencies})

    assert_problem(response, 422, "validation_failed", field)


async def test_delete_revokes_the_client_for_good(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    made = await create_client(client, "province", ["*.*.*.H56"])

    response = await client.delete(f"/clients/{made.client_id}")
    again = await client.delete(f"/clients/{made.client_id}")

    assert response.status_code == 200, response.text
    revoked_at = response.json()["revokedAt"]
    assert revoked_at is not None
    assert (await listed(client))[made.client_id]["revokedAt"] == revoked_at
    assert again.json()["revokedAt"] == revoked_at
    refused = await anonymous.post(
        "/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": made.client_id,
            "client_secret": made.secret,
        },
    )
    assert_problem(refused, 401, "invalid_client")


async def test_revoking_an_unknown_client_is_404(client: httpx.AsyncClient) -> None:
    response = await client.delete("/clients/cli_nobody")

    assert_problem(response, 404, "client_not_found")


async def test_the_admin_from_the_environment_exists_at_start(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    admin = (await listed(client))[ADMIN_ID]

    assert admin["kind"] == "admin" and admin["revokedAt"] is None
    assert sorted(admin["scopes"]) == sorted(
        ["admin", "dossiers:read", "dossiers:write", "feed:read", "status:read", "transfers"]
    )
    assert await token_for(anonymous, ADMIN_ID, ADMIN_SECRET)


async def test_a_restart_does_not_make_a_second_admin(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    restarted = create_app(settings)
    async with restarted.router.lifespan_context(restarted):
        pass

    admins = [c for c in (await listed(client)).values() if c["kind"] == "admin"]
    assert [a["clientId"] for a in admins] == [ADMIN_ID]


async def test_clients_are_listed_page_by_page(client: httpx.AsyncClient) -> None:
    made = {(await create_client(client, "portal", [])).client_id for _ in range(3)}

    seen: list[str] = []
    params: dict[str, object] = {"limit": 2}
    while True:
        page = (await client.get("/clients", params=params)).json()
        assert len(page["items"]) <= 2
        seen += [item["clientId"] for item in page["items"]]
        if page["nextCursor"] is None:
            break
        params["cursor"] = page["nextCursor"]

    assert made | {ADMIN_ID} == set(seen)
    assert len(seen) == len(set(seen)) == 4


async def test_idempotency_key_belongs_to_one_client(client: httpx.AsyncClient) -> None:
    """The same key from two clients is two requests: neither gets the other's answer."""
    one, other = [
        await bearer(client, await create_client(client, "province", ["*.*.*.H56"]))
        for _ in range(2)
    ]
    body = {"agency": "000.00.00.H56"}

    first = await client.post("/dossier-codes", json=body, headers=one | {"Idempotency-Key": "k1"})
    second = await client.post(
        "/dossier-codes", json=body, headers=other | {"Idempotency-Key": "k1"}
    )
    replay = await client.post("/dossier-codes", json=body, headers=one | {"Idempotency-Key": "k1"})

    assert (first.status_code, second.status_code) == (201, 201), second.text
    assert first.json()["code"] != second.json()["code"]
    assert [first.json()["sequence"], second.json()["sequence"]] == [1, 2]
    assert "Idempotent-Replayed" not in second.headers
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json()["code"] == first.json()["code"]
