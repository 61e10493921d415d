"""`/healthz` and `/readyz`: liveness of the process and readiness of its database."""

import httpx


async def test_healthz_answers_ok(client: httpx.AsyncClient) -> None:
    response = await client.get("http://hub/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": None}


async def test_readyz_answers_ok_when_the_database_answers(client: httpx.AsyncClient) -> None:
    response = await client.get("http://hub/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
