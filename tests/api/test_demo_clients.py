"""The demo clients, as an integrator meets them: each gets a token with the documented
credentials and reads the documentation's example dossier within what its kind may do."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from fastapi import FastAPI

from app.demo import loader, showcase
from app.demo.cast import CLIENTS
from app.settings import Settings
from tests.auth import token_for

CODE = showcase.CODE


@pytest.fixture
async def demo(app: FastAPI, settings: Settings) -> None:
    await loader.seed(settings, 40)


@asynccontextmanager
async def _as(app: FastAPI, client_id: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client holding a token got with the demo credentials the README prints."""
    secret = next(c.secret for c in CLIENTS if c.client_id == client_id)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hub/api/v1") as c:
        c.headers["Authorization"] = f"Bearer {await token_for(c, client_id, secret)}"
        yield c


@pytest.mark.parametrize("client_id", ["demo-province", "demo-ministry", "demo-admin"])
async def test_each_demo_client_reads_the_example_dossier_and_its_status(
    app: FastAPI, demo: None, client_id: str
) -> None:
    async with _as(app, client_id) as c:
        whole = await c.get(f"/dossiers/{CODE}")
        status = await c.get(f"/dossiers/{CODE}/status")
    assert whole.status_code == 200, whole.text
    assert whole.json()["status"] == "returned"
    assert whole.json()["rating"]["value"] == "very_satisfied"
    assert status.status_code == 200
    assert status.json()["applicantName"] == "Lê T** H****"


async def test_the_demo_portal_reads_every_status_but_no_whole_dossier(
    app: FastAPI, demo: None
) -> None:
    async with _as(app, "demo-portal") as c:
        status = await c.get(f"/dossiers/{CODE}/status")
        whole = await c.get(f"/dossiers/{CODE}")
    assert status.status_code == 200
    assert status.json()["statusCode"] == 10
    assert whole.status_code == 403
    assert whole.json()["code"] == "insufficient_scope"


async def test_the_example_dossier_tells_its_whole_story(app: FastAPI, demo: None) -> None:
    async with _as(app, "demo-province") as c:
        history = (await c.get(f"/dossiers/{CODE}/history")).json()["items"]
    assert [entry["type"] for entry in history] == [
        "dossier.created",
        "dossier.step_added",
        "transfer.sent",
        "transfer.accepted",
        "dossier.step_added",
        "transfer.completed",
        "dossier.status_changed",
        "dossier.updated",
        "dossier.status_changed",
        "dossier.updated",
    ]
    moments = [entry["at"] for entry in history]
    assert moments == sorted(moments)


async def test_the_demo_ministry_finds_the_transfers_sent_to_it(app: FastAPI, demo: None) -> None:
    async with _as(app, "demo-ministry") as c:
        inbox = (await c.get("/transfers", params={"toAgency": "000.00.04.G14"})).json()
    assert inbox["items"]
    assert {t["toAgency"] for t in inbox["items"]} == {"000.00.04.G14"}
