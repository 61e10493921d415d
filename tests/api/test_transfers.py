"""Transfers (liên thông, STANDARD.md section 5): a province sends a dossier to a ministry, the
ministry finds it in its inbox, accepts, works on it, completes; and the rules around that."""

from typing import Any

import httpx
import pytest

from tests.api.checks import assert_problem, history_of
from tests.auth import bearer, create_client
from tests.factories import CODE, snapshot, status_change, step

PROVINCE, MINISTRY, OTHER = "000.00.00.H56", "000.00.04.G14", "000.00.00.G12"
SEND = {"toAgency": MINISTRY, "purpose": "Xin ý kiến thẩm định", "note": "Có yếu tố nước ngoài"}
RESULT_DOC = {"id": "kq-1", "kind": "result", "name": "Văn bản thẩm định", "url": "https://f.vn/kq"}


@pytest.fixture
async def parties(client: httpx.AsyncClient) -> dict[str, dict[str, str]]:
    return {
        "province": await bearer(client, await create_client(client, "province", ["*.*.*.H56"])),
        "ministry": await bearer(client, await create_client(client, "ministry", [MINISTRY])),
        "stranger": await bearer(client, await create_client(client, "ministry", [OTHER])),
    }


async def _send(client: httpx.AsyncClient, who: dict[str, str], **changes: Any) -> httpx.Response:
    return await client.post(f"/dossiers/{CODE}/transfers", json=SEND | changes, headers=who)


async def _sent(client: httpx.AsyncClient, parties: dict[str, dict[str, str]]) -> int:
    response = await client.put(f"/dossiers/{CODE}", json=snapshot(), headers=parties["province"])
    assert response.status_code == 201, response.text
    sent = await _send(client, parties["province"])
    assert sent.status_code == 201, sent.text
    transfer_id: int = sent.json()["id"]
    return transfer_id


async def test_a_dossier_goes_to_the_ministry_and_comes_back_with_the_result(
    client: httpx.AsyncClient, parties: dict[str, dict[str, str]]
) -> None:
    province, ministry = parties["province"], parties["ministry"]
    transfer_id = await _sent(client, parties)

    inbox = await client.get(
        "/transfers", params={"toAgency": MINISTRY, "status": "sent"}, headers=ministry
    )
    assert [t["id"] for t in inbox.json()["items"]] == [transfer_id]
    assert inbox.json()["items"][0]["fromAgency"] == PROVINCE
    # Sent but not accepted: the ministry reads the dossier, and may not act on it yet.
    assert (await client.get(f"/dossiers/{CODE}", headers=ministry)).status_code == 200
    early = await client.post(f"/dossiers/{CODE}/steps", json=step(), headers=ministry)
    assert_problem(early, 403, "agency_not_allowed", "handlingAgency")

    accepted = await client.post(f"/transfers/{transfer_id}/accept", headers=ministry)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "accepted"
    dossier = (await client.get(f"/dossiers/{CODE}", headers=ministry)).json()
    assert dossier["handlingAgency"] == MINISTRY
    assert dossier["transfer"]["id"] == transfer_id

    worked = await client.post(f"/dossiers/{CODE}/steps", json=step(), headers=ministry)
    assert worked.status_code == 201, worked.text
    resolved = await client.post(
        f"/dossiers/{CODE}/status", json=status_change("resolved"), headers=ministry
    )
    assert resolved.status_code == 200, resolved.text
    completed = await client.post(
        f"/transfers/{transfer_id}/complete",
        json={"note": "Đã thẩm định, đồng ý", "documents": [RESULT_DOC]},
        headers=ministry,
    )
    assert completed.status_code == 200, completed.text
    assert completed.json()["result"]["documents"][0]["id"] == "kq-1"

    seen = (await client.get(f"/dossiers/{CODE}", headers=province)).json()
    assert seen["handlingAgency"] == PROVINCE
    assert seen["status"] == "resolved"
    assert "transfer" not in seen
    assert "kq-1" in [d["id"] for d in seen["documents"]]
    types = [entry["type"] for entry in await history_of(client, CODE)]
    assert types == [
        "dossier.created",
        "transfer.sent",
        "transfer.accepted",
        "dossier.step_added",
        "dossier.status_changed",
        "transfer.completed",
    ]


async def test_after_completion_the_ministry_still_reads_the_dossier_but_no_longer_acts(
    client: httpx.AsyncClient, parties: dict[str, dict[str, str]]
) -> None:
    ministry = parties["ministry"]
    transfer_id = await _sent(client, parties)
    await client.post(f"/transfers/{transfer_id}/accept", headers=ministry)
    await client.post(f"/transfers/{transfer_id}/complete", json={"note": "Xong"}, headers=ministry)

    read = await client.get(f"/dossiers/{CODE}", headers=ministry)
    history = await client.get(f"/dossiers/{CODE}/history", headers=ministry)
    listed = await client.get("/dossiers", headers=ministry)
    acted = await client.post(f"/dossiers/{CODE}/steps", json=step(), headers=ministry)

    assert read.status_code == 200 and history.status_code == 200
    assert [d["code"] for d in listed.json()["items"]] == [CODE]
    assert_problem(acted, 403, "agency_not_allowed")


async def test_a_rejected_transfer_leaves_the_dossier_where_it_was_and_hides_it(
    client: httpx.AsyncClient, parties: dict[str, dict[str, str]]
) -> None:
    ministry = parties["ministry"]
    transfer_id = await _sent(client, parties)

    rejected = await client.post(
        f"/transfers/{transfer_id}/reject", json={"reason": "Sai thẩm quyền"}, headers=ministry
    )

    assert rejected.status_code == 200, rejected.text
    assert (rejected.json()["status"], rejected.json()["reason"]) == ("rejected", "Sai thẩm quyền")
    dossier = (await client.get(f"/dossiers/{CODE}", headers=parties["province"])).json()
    assert dossier["handlingAgency"] == PROVINCE
    hidden = await client.get(f"/dossiers/{CODE}", headers=ministry)
    assert_problem(hidden, 404, "dossier_not_found")
    # It can be sent again once the first one is closed.
    assert (await _send(client, parties["province"])).status_code == 201


async def test_a_dossier_has_at_most_one_open_transfer(
    client: httpx.AsyncClient, parties: dict[str, dict[str, str]]
) -> None:
    await _sent(client, parties)

    again = await _send(client, parties["province"], toAgency=OTHER)

    assert_problem(again, 409, "transfer_open")


async def test_a_closed_dossier_cannot_be_transferred(
    client: httpx.AsyncClient, parties: dict[str, dict[str, str]]
) -> None:
    await client.put(
        f"/dossiers/{CODE}", json=snapshot(status="refused"), headers=parties["province"]
    )

    response = await _send(client, parties["province"])

    assert_problem(response, 409, "dossier_closed")


async def test_only_the_handling_agency_sends(
    client: httpx.AsyncClient, parties: dict[str, dict[str, str]]
) -> None:
    await client.put(
        f"/dossiers/{CODE}", json=snapshot(handlingAgency=MINISTRY), headers=parties["province"]
    )

    response = await _send(client, parties["province"], toAgency=OTHER)

    assert_problem(response, 403, "agency_not_allowed", "handlingAgency")


async def test_only_the_receiver_answers_a_transfer(
    client: httpx.AsyncClient, parties: dict[str, dict[str, str]]
) -> None:
    transfer_id = await _sent(client, parties)

    by_sender = await client.post(f"/transfers/{transfer_id}/accept", headers=parties["province"])
    by_stranger = await client.post(f"/transfers/{transfer_id}/accept", headers=parties["stranger"])

    assert_problem(by_sender, 403, "agency_not_allowed", "toAgency")
    assert_problem(by_stranger, 404, "transfer_not_found")


async def test_acts_out_of_order_are_conflicts(
    client: httpx.AsyncClient, parties: dict[str, dict[str, str]]
) -> None:
    ministry = parties["ministry"]
    transfer_id = await _sent(client, parties)

    early = await client.post(
        f"/transfers/{transfer_id}/complete", json={"note": "Xong"}, headers=ministry
    )
    await client.post(f"/transfers/{transfer_id}/accept", headers=ministry)
    twice = await client.post(f"/transfers/{transfer_id}/accept", headers=ministry)

    assert_problem(early, 409, "transfer_state")
    assert_problem(twice, 409, "transfer_state")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"toAgency": PROVINCE}, "toAgency"),  # the handling agency itself
        ({"toAgency": "000.00.09.G99"}, "toAgency"),  # not in the catalog
        ({"toAgency": "G14"}, "toAgency"),
        ({"purpose": ""}, "purpose"),
        ({"dueAt": "2025-12-05T17:00:00"}, "dueAt"),
    ],
)
async def test_a_bad_transfer_request_names_the_field_and_stores_nothing(
    client: httpx.AsyncClient,
    parties: dict[str, dict[str, str]],
    changes: dict[str, Any],
    field: str,
) -> None:
    await client.put(f"/dossiers/{CODE}", json=snapshot(), headers=parties["province"])

    response = await _send(client, parties["province"], **changes)

    assert_problem(response, 422, response.json()["code"], field)
    assert (await client.get("/transfers", headers=parties["province"])).json()["items"] == []
    assert len(await history_of(client, CODE)) == 1


async def test_a_snapshot_cannot_take_the_dossier_back_from_the_accepting_agency(
    client: httpx.AsyncClient, parties: dict[str, dict[str, str]]
) -> None:
    transfer_id = await _sent(client, parties)
    await client.post(f"/transfers/{transfer_id}/accept", headers=parties["ministry"])

    again = await client.put(
        f"/dossiers/{CODE}",
        json=snapshot(summary="Bổ sung trích yếu", source_version=4),
        headers=parties["province"],
    )

    assert again.status_code == 200, again.text
    assert again.json()["handlingAgency"] == MINISTRY


async def test_the_inbox_pages_by_cursor(
    client: httpx.AsyncClient, parties: dict[str, dict[str, str]]
) -> None:
    codes = [f"{PROVINCE}-251127-{n:04d}" for n in range(1, 4)]
    for code in codes:
        await client.put(f"/dossiers/{code}", json=snapshot(code=code), headers=parties["province"])
        sent = await client.post(
            f"/dossiers/{code}/transfers", json=SEND, headers=parties["province"]
        )
        assert sent.status_code == 201, sent.text

    first = (
        await client.get("/transfers", params={"limit": 2}, headers=parties["ministry"])
    ).json()
    rest = (
        await client.get(
            "/transfers",
            params={"limit": 2, "cursor": first["nextCursor"]},
            headers=parties["ministry"],
        )
    ).json()

    assert [t["dossierCode"] for t in first["items"] + rest["items"]] == codes
    assert rest["nextCursor"] is None
