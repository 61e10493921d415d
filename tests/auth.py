"""Clients and tokens for tests: the admin of the test settings, and clients of each kind."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from app.main import create_app
from app.settings import Settings

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


@asynccontextmanager
async def admin_of_hub(settings: Settings, **changes: Any) -> AsyncIterator[httpx.AsyncClient]:
    """The admin's client of a hub built with `changes` to the test settings."""
    application = create_app(settings.model_copy(update=changes))
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub/api/v1") as c:
            c.headers["Authorization"] = f"Bearer {await token_for(c, ADMIN_ID, ADMIN_SECRET)}"
            yield c
