"""`POST /dossiers/{code}/status`: an explicit status change is a direct move of the status
machine, stamps the matching timestamps and is recorded in the history (STANDARD.md 4, 5)."""

import httpx
import pytest

from tests.api.checks import assert_problem, history_of, read, stored
from tests.factories import ACTOR, CODE, code_of, snapshot, status_change


async def change(
    client: httpx.AsyncClient, body: dict[str, object], **headers: str
) -> httpx.Response:
    return await client.post(f"/dossiers/{CODE}/status", json=body, headers=headers)


async def test_direct_move_changes_the_status_with_a_new_version(
    client: httpx.AsyncClient,
) -> None:
    await stored(client, snapshot(status="processing"))

    response = await change(client, status_change("resolved"))

    assert response.status_code == 200, response.text
    assert response.headers["ETag"] == 'W/"2"'
    body = response.json()
    assert (body["status"], body["version"]) == ("resolved", 2)
    assert (await read(client, CODE))["status"] == "resolved"


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("submitted", "received"),
        ("submitted", "refused"),
        ("received", "processing"),
        ("received", "payment_requested"),
        ("processing", "stopped"),
        ("supplement_requested", "withdrawn"),
        ("payment_requested", "resolved"),
        ("resolved", "returned"),
    ],
)
async def test_every_listed_direct_move_is_allowed(
    client: httpx.AsyncClient, current: str, target: str
) -> None:
    await stored(client, snapshot(status=current))

    response = await change(client, status_change(target))

    assert response.status_code == 200, response.text
    assert response.json()["status"] == target


async def test_moving_to_received_resolved_and_returned_stamps_the_times_when_unset(
    client: httpx.AsyncClient,
) -> None:
    await stored(client, snapshot(status="submitted", receivedAt=None, dueAt=None))

    received = await change(client, status_change("received", at="2025-11-27T09:00:00+07:00"))
    resolved = await change(client, status_change("resolved", at="2025-11-28T02:00:00Z"))
    returned = await change(client, status_change("returned", at="2025-11-28T15:00:00+07:00"))

    assert received.json()["receivedAt"] == "2025-11-27T09:00:00+07:00"
    assert resolved.json()["resolvedAt"] == "2025-11-28T09:00:00+07:00"
    final = returned.json()
    assert final["returnedAt"] == "2025-11-28T15:00:00+07:00"
    assert final["receivedAt"] == "2025-11-27T09:00:00+07:00"
    assert final["resolvedAt"] == "2025-11-28T09:00:00+07:00"
    assert final["version"] == 4


async def test_moving_to_received_keeps_a_received_at_already_set(
    client: httpx.AsyncClient,
) -> None:
    await stored(
        client,
        snapshot(
            status="supplement_requested",
            supplements=[{"requestedAt": "2025-11-27T10:00:00+07:00", "reason": "Thiếu tờ khai"}],
        ),
    )

    response = await change(client, status_change("received", at="2025-11-29T09:00:00+07:00"))

    assert response.status_code == 200, response.text
    assert response.json()["receivedAt"] == "2025-11-27T08:30:00+07:00"


async def test_supplement_request_opens_a_supplement_and_leaving_it_closes_it(
    client: httpx.AsyncClient,
) -> None:
    await stored(client, snapshot(status="processing"))

    opened = await change(
        client,
        status_change(
            "supplement_requested",
            at="2025-11-27T15:00:00+07:00",
            reason="Bổ sung bản sao giấy chứng sinh",
        ),
    )
    closed = await change(client, status_change("processing", at="2025-11-28T08:00:00+07:00"))

    assert opened.status_code == closed.status_code == 200, (opened.text, closed.text)
    assert opened.json()["supplements"] == [
        {"requestedAt": "2025-11-27T15:00:00+07:00", "reason": "Bổ sung bản sao giấy chứng sinh"}
    ]
    assert closed.json()["supplements"] == [
        {
            "requestedAt": "2025-11-27T15:00:00+07:00",
            "reason": "Bổ sung bản sao giấy chứng sinh",
            "receivedAt": "2025-11-28T08:00:00+07:00",
        }
    ]


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("received", "returned"),
        ("submitted", "processing"),
        ("processing", "received"),
        ("resolved", "processing"),
        ("returned", "processing"),
        ("processing", "processing"),
    ],
)
async def test_status_change_that_is_not_a_direct_move_is_an_invalid_transition(
    client: httpx.AsyncClient, current: str, target: str
) -> None:
    await stored(client, snapshot(status=current))

    response = await change(client, status_change(target))

    problem = assert_problem(response, 409, "invalid_transition", "status")
    assert repr(current) in problem["detail"]
    assert repr(target) in problem["detail"]
    kept = await read(client, CODE)
    assert (kept["status"], kept["version"]) == (current, 1)
    assert len(await history_of(client, CODE)) == 1


async def test_status_change_of_an_unknown_dossier_is_404(client: httpx.AsyncClient) -> None:
    response = await client.post(f"/dossiers/{code_of(404)}/status", json=status_change("resolved"))

    assert_problem(response, 404, "dossier_not_found")


async def test_status_change_with_a_stale_if_match_is_412(client: httpx.AsyncClient) -> None:
    await stored(client, snapshot(source_version=3, status="received"))
    await stored(client, snapshot(source_version=4, status="processing"))

    response = await change(client, status_change("resolved"), **{"If-Match": 'W/"1"'})

    assert_problem(response, 412, "precondition_failed")
    assert response.headers["ETag"] == 'W/"2"'
    assert (await read(client, CODE))["status"] == "processing"


async def test_status_change_with_the_current_if_match_is_applied(
    client: httpx.AsyncClient,
) -> None:
    await stored(client, snapshot(status="processing"))

    response = await change(client, status_change("resolved"), **{"If-Match": 'W/"1"'})

    assert response.status_code == 200, response.text
    assert response.headers["ETag"] == 'W/"2"'


async def test_status_change_is_recorded_in_history_with_both_statuses_and_the_actor(
    client: httpx.AsyncClient,
) -> None:
    await stored(client, snapshot(status="processing"))

    await change(
        client,
        status_change("resolved", at="2025-11-28T10:00:00+07:00", note="Đã có giấy khai sinh"),
    )

    entry = (await history_of(client, CODE))[-1]
    assert entry["version"] == 2
    assert entry["type"] == "dossier.status_changed"
    assert (entry["fromStatus"], entry["status"]) == ("processing", "resolved")
    assert entry["at"] == "2025-11-28T10:00:00+07:00"
    assert entry["data"]["actor"] == ACTOR
    assert entry["data"]["note"] == "Đã có giấy khai sinh"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (status_change("resolved", at="2025-11-28T10:00:00"), "at"),
        (status_change("archived"), "status"),
        ({"status": "resolved", "at": "2025-11-28T10:00:00+07:00"}, "actor"),
        (status_change("resolved", actor={"name": ""}), "actor.name"),
        (status_change("resolved", by="Bình"), "by"),
    ],
    ids=["at-without-offset", "unknown-status", "no-actor", "empty-actor-name", "unknown-member"],
)
async def test_invalid_status_change_is_rejected_naming_the_field(
    client: httpx.AsyncClient, body: dict[str, object], field: str
) -> None:
    await stored(client, snapshot(status="processing"))

    response = await change(client, body)

    assert_problem(response, 422, "validation_failed", field)
    assert (await read(client, CODE))["version"] == 1
