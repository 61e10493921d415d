"""What answers of the API must look like, and short ways to reach stored state over HTTP."""

from typing import Any

import httpx

PROBLEM = "application/problem+json"


def assert_problem(
    response: httpx.Response, status: int, code: str, *fields: str
) -> dict[str, Any]:
    """An RFC 9457 problem with this status and `code`, whose `errors` name every field given."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"].endswith(code)
    assert body["title"] and body["detail"]
    assert body["instance"] == response.request.url.path
    named = [error["field"] for error in body.get("errors") or []]
    for field in fields:
        assert field in named, f"{field!r} not among {named}"
    return body


async def put_snapshot(
    client: httpx.AsyncClient, data: dict[str, Any], **headers: str
) -> httpx.Response:
    return await client.put(f"/dossiers/{data['code']}", json=data, headers=headers)


async def stored(client: httpx.AsyncClient, data: dict[str, Any]) -> dict[str, Any]:
    """PUT a snapshot that must be accepted; the stored dossier."""
    response = await put_snapshot(client, data)
    assert response.status_code in (200, 201), response.text
    dossier: dict[str, Any] = response.json()
    return dossier


async def read(client: httpx.AsyncClient, code: str) -> dict[str, Any]:
    response = await client.get(f"/dossiers/{code}")
    assert response.status_code == 200, response.text
    dossier: dict[str, Any] = response.json()
    return dossier


async def history_of(client: httpx.AsyncClient, code: str) -> list[dict[str, Any]]:
    """Every history entry of a dossier, following cursors to the end."""
    entries: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        params = {"limit": 500, **({"cursor": cursor} if cursor else {})}
        response = await client.get(f"/dossiers/{code}/history", params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        entries += page["items"]
        cursor = page["nextCursor"]
        if cursor is None:
            return entries
