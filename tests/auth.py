"""Clients and tokens for tests: the admin of the test settings, and clients of each kind."""

from dataclasses import dataclass
from typing import Any

import httpx

ADMIN_ID = "admin-test"
ADMIN_SECRET = "admin-test-secret-0123456789"


async def token_for(client: httpx.AsyncClient, client_id: str, secret: str) -> str:
    answer = await client.post(
        "/auth/token",
        data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
    )
    assert answer.status_code == 200, answer.text
    token: str = answer.json()["access_token"]
    return token


@dataclass
class Credentials:
    client_id: str
    secret: str
    kind: str


async def create_client(
    admin: httpx.AsyncClient, kind: str, agencies: list[str], **extra: Any
) -> Credentials:
    answer = await admin.post(
        "/clients",
        json={"name": f"{kind} test client", "kind": kind, "agencies": agencies, **extra},
    )
    assert answer.status_code == 201, answer.text
    body = answer.json()
    return Credentials(body["clientId"], body["clientSecret"], kind)


async def bearer(admin: httpx.AsyncClient, credentials: Credentials) -> dict[str, str]:
    """The Authorization header of a fresh token for these credentials."""
    token = await token_for(admin, credentials.client_id, credentials.secret)
    return {"Authorization": f"Bearer {token}"}
