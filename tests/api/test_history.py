"""`GET /dossiers/{code}/history`: every change of a dossier, one entry per version, in order,
append-only (STANDARD.md sections 4 and 5)."""

from typing import Any

import httpx
import pytest

from tests.api.checks import assert_problem, history_of, stored
from tests.factories import CODE, code_of, extension, snapshot, source, status_change, step


async def test_history_lists_every_version_in_order_with_its_type(
    client: httpx.AsyncClient,
) -> None:
    await stored(client, snapshot(source_version=3, status="received"))
    await stored(client, snapshot(source_version=4, status="received", summary="Sửa trích yếu"))
    await stored(client, snapshot(source_version=5, status="processing", summary="Sửa trích yếu"))
    assert (await client.post(f"/dossiers/{CODE}/steps", json=step())).status_code == 201
    assert (await client.post(f"/dossiers/{CODE}/extensions", json=extension())).status_code == 201
    resolved = await client.post(f"/dossiers/{CODE}/status", json=status_change("resolved"))
    assert resolved.status_code == 200

    history = await history_of(client, CODE)

    assert [(h["version"], h["type"], h["status"]) for h in history] == [
        (1, "dossier.created", "received"),
        (2, "dossier.updated", "received"),
        (3, "dossier.status_changed", "processing"),
        (4, "dossier.step_added", "processing"),
        (5, "dossier.extended", "processing"),
        (6, "dossier.status_changed", "resolved"),
    ]
    assert all(h["recordedAt"].endswith("+07:00") for h in history)


async def test_snapshot_entries_carry_the_source_and_its_time(client: httpx.AsyncClient) -> None:
    await stored(client, snapshot(source=source(version=3, updated_at="2025-11-27T01:31:00Z")))

    [entry] = await history_of(client, CODE)

    assert entry["at"] == "2025-11-27T08:31:00+07:00"
    assert entry["fromStatus"] is None
    assert entry["data"]["source"]["system"] == "motcua-thanhhoa"
    assert entry["data"]["source"]["version"] == 3


async def test_snapshot_that_changes_status_gives_one_status_changed_entry(
    client: httpx.AsyncClient,
) -> None:
    await stored(client, snapshot(source_version=3, status="received"))

    await stored(client, snapshot(source_version=4, status="resolved", summary="Đã có kết quả"))

    history = await history_of(client, CODE)
    assert [h["type"] for h in history] == ["dossier.created", "dossier.status_changed"]
    assert (history[1]["fromStatus"], history[1]["status"]) == ("received", "resolved")


async def test_unchanged_stale_and_refused_snapshots_add_no_entry(
    client: httpx.AsyncClient,
) -> None:
    await stored(client, snapshot(source_version=3, status="resolved"))

    await stored(client, snapshot(source_version=3, status="resolved"))
    await stored(client, snapshot(source_version=2, status="resolved", summary="Bản cũ"))
    refused = await client.put(
        f"/dossiers/{CODE}", json=snapshot(source_version=4, status="processing")
    )

    assert refused.status_code == 409
    assert [h["version"] for h in await history_of(client, CODE)] == [1]


async def test_history_pages_by_cursor_in_version_order(client: httpx.AsyncClient) -> None:
    await stored(client, snapshot())
    for n in range(4):
        step_body = step(content=f"Bước {n + 1}")
        assert (await client.post(f"/dossiers/{CODE}/steps", json=step_body)).status_code == 201

    versions: list[list[int]] = []
    cursor: str | None = None
    for _ in range(10):
        params: dict[str, Any] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        response = await client.get(f"/dossiers/{CODE}/history", params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        versions.append([h["version"] for h in page["items"]])
        cursor = page["nextCursor"]
        if cursor is None:
            break

    assert versions == [[1, 2], [3, 4], [5]]


async def test_history_of_an_unknown_dossier_is_404(client: httpx.AsyncClient) -> None:
    response = await client.get(f"/dossiers/{code_of(404)}/history")

    assert_problem(response, 404, "dossier_not_found")


@pytest.mark.parametrize("cursor", ["not-a-cursor", "WyJ4Il0"])
async def test_history_rejects_an_invalid_cursor_naming_cursor(
    client: httpx.AsyncClient, cursor: str
) -> None:
    await stored(client, snapshot())

    response = await client.get(f"/dossiers/{CODE}/history", params={"cursor": cursor})

    assert_problem(response, 422, "validation_failed", "cursor")


@pytest.mark.parametrize("limit", [0, 501])
async def test_history_rejects_a_limit_out_of_range_naming_limit(
    client: httpx.AsyncClient, limit: int
) -> None:
    await stored(client, snapshot())

    response = await client.get(f"/dossiers/{CODE}/history", params={"limit": limit})

    assert_problem(response, 422, "validation_failed", "limit")
