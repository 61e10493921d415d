"""Deadlines on dossiers (STANDARD.md sections 3 and 6): a dossier received without `dueAt`
gets the one its procedure's processing limit gives by the working-day calendar, and `dueAt`
moves by the working time spent waiting for a supplement.

Dates are counted by hand on the official 2026 calendar (30 April and 1 May, a Thursday and a
Friday, are holidays; 2-3 May a weekend). The seeded limits: 1.000894 five working days,
1.001193 one working day, 2.000908 four working hours, 1.004227 thirty working days."""

from typing import Any

import httpx
import pytest

from tests.api.checks import put_snapshot, read, stored
from tests.factories import CODE, code_of, snapshot, status_change, undated

RECEIVED = "2026-03-09T08:30:00+07:00"  # a Monday
FIVE_DAYS_LATER = "2026-03-16T17:00:00+07:00"


async def calendar_due(client: httpx.AsyncClient, start: str, value: int, unit: str) -> str:
    response = await client.get(
        "/calendar/due-date", params={"from": start, "value": value, "unit": unit}
    )
    assert response.status_code == 200, response.text
    answer: str = response.json()["dueAt"]
    return answer


async def change(client: httpx.AsyncClient, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(f"/dossiers/{CODE}/status", json=body)
    assert response.status_code == 200, response.text
    dossier: dict[str, Any] = response.json()
    return dossier


# Filled at receipt


async def test_received_dossier_without_due_at_gets_the_calendars_answer(
    client: httpx.AsyncClient,
) -> None:
    expected = await calendar_due(client, RECEIVED, 5, "working_days")

    dossier = await stored(client, undated())

    assert dossier["dueAt"] == expected == FIVE_DAYS_LATER
    assert (await read(client, CODE))["dueAt"] == FIVE_DAYS_LATER
    [item] = (await client.get("/dossiers")).json()["items"]
    assert item["dueAt"] == FIVE_DAYS_LATER


@pytest.mark.parametrize(
    ("procedure", "expected"),
    [
        ("1.001193", "2026-03-10T17:00:00+07:00"),
        # 08:30-11:30 then 13:00-14:00.
        ("2.000908", "2026-03-09T14:00:00+07:00"),
        # Six weeks less four days: 10 March to 20 April, no holiday in between.
        ("1.004227", "2026-04-20T17:00:00+07:00"),
    ],
)
async def test_the_due_date_follows_the_limit_and_unit_of_the_procedure(
    client: httpx.AsyncClient, procedure: str, expected: str
) -> None:
    dossier = await stored(client, undated(procedure))

    assert dossier["dueAt"] == expected


async def test_a_limit_changed_in_the_catalog_applies_to_dossiers_received_afterwards(
    client: httpx.AsyncClient,
) -> None:
    body = (await client.get("/procedures/1.000894")).json()
    body = {k: v for k, v in body.items() if k not in ("code", "updatedAt")}
    body["processingLimit"] = {"value": 2, "unit": "working_days"}
    assert (await client.put("/procedures/1.000894", json=body)).status_code == 200

    dossier = await stored(client, undated())

    assert dossier["dueAt"] == "2026-03-11T17:00:00+07:00"


async def test_a_day_off_set_in_the_calendar_moves_the_computed_due_date(
    client: httpx.AsyncClient,
) -> None:
    day_off = await client.put(
        "/calendar/days/2026-03-12", json={"working": False, "name": "Nghỉ bão"}
    )
    assert day_off.status_code == 204

    dossier = await stored(client, undated())

    assert dossier["dueAt"] == "2026-03-17T17:00:00+07:00"


async def test_a_procedure_the_catalog_does_not_know_leaves_no_due_date(
    client: httpx.AsyncClient,
) -> None:
    dossier = await stored(client, undated("9.999999"))

    assert dossier.get("dueAt") is None
    assert dossier["overdue"] is False


async def test_a_dossier_not_yet_received_gets_no_due_date(client: httpx.AsyncClient) -> None:
    data = undated(status="submitted")
    del data["receivedAt"]

    dossier = await stored(client, data)

    assert dossier.get("dueAt") is None


async def test_a_snapshot_that_carries_due_at_keeps_its_own(client: httpx.AsyncClient) -> None:
    dossier = await stored(client, undated(dueAt="2026-03-20T10:00:00+07:00"))

    assert dossier["dueAt"] == "2026-03-20T10:00:00+07:00"


async def test_the_same_undated_snapshot_twice_is_unchanged(client: httpx.AsyncClient) -> None:
    first = await put_snapshot(client, undated())
    second = await put_snapshot(client, undated())

    assert (first.status_code, first.headers["Sync-Outcome"]) == (201, "created")
    assert (second.status_code, second.headers["Sync-Outcome"]) == (200, "unchanged")
    assert second.json()["version"] == 1
    assert second.json()["dueAt"] == FIVE_DAYS_LATER


async def test_a_batch_fills_the_due_date_of_each_undated_item(
    client: httpx.AsyncClient,
) -> None:
    items = [
        undated(code=code_of(1)),
        undated("1.001193", code=code_of(2)),
        undated("9.999999", code=code_of(3)),
        snapshot(code=code_of(4)),
    ]

    response = await client.post("/sync/dossiers", json={"items": items})

    assert response.status_code == 200, response.text
    assert [r["outcome"] for r in response.json()["results"]] == ["created"] * 4
    assert (await read(client, code_of(1)))["dueAt"] == FIVE_DAYS_LATER
    assert (await read(client, code_of(2)))["dueAt"] == "2026-03-10T17:00:00+07:00"
    assert (await read(client, code_of(3))).get("dueAt") is None
    assert (await read(client, code_of(4)))["dueAt"] == snapshot()["dueAt"]


async def test_a_closed_supplement_in_an_undated_snapshot_is_not_counted(
    client: httpx.AsyncClient,
) -> None:
    # Waiting from Tuesday 10:00 to Wednesday 10:00 is one working day (8 office hours).
    supplement = {
        "requestedAt": "2026-03-10T10:00:00+07:00",
        "reason": "Thiếu bản sao giấy khai sinh",
        "receivedAt": "2026-03-11T10:00:00+07:00",
    }

    dossier = await stored(client, undated(supplements=[supplement]))

    assert dossier["dueAt"] == "2026-03-17T17:00:00+07:00"


# Set by an explicit status change


async def test_receiving_a_submitted_dossier_sets_received_at_and_due_at(
    client: httpx.AsyncClient,
) -> None:
    data = undated(status="submitted")
    del data["receivedAt"]
    await stored(client, data)

    dossier = await change(client, status_change("received", at=RECEIVED))

    assert dossier["receivedAt"] == RECEIVED
    assert dossier["dueAt"] == FIVE_DAYS_LATER
    assert (await read(client, CODE))["dueAt"] == FIVE_DAYS_LATER


async def test_receiving_after_closing_counts_from_the_next_working_day(
    client: httpx.AsyncClient,
) -> None:
    data = undated("1.001193", status="submitted")
    del data["receivedAt"]
    await stored(client, data)

    # Friday 17:30: received on Monday 9 March, due Tuesday 10 March.
    dossier = await change(client, status_change("received", at="2026-03-06T17:30:00+07:00"))

    assert dossier["receivedAt"] == "2026-03-06T17:30:00+07:00"
    assert dossier["dueAt"] == "2026-03-10T17:00:00+07:00"


async def test_a_supplement_asked_before_receipt_does_not_move_the_first_due_date(
    client: httpx.AsyncClient,
) -> None:
    data = undated(status="submitted")
    del data["receivedAt"]
    await stored(client, data)
    await change(client, status_change("supplement_requested", at="2026-03-05T10:00:00+07:00"))

    dossier = await change(client, status_change("received", at=RECEIVED))

    assert dossier["supplements"][0]["receivedAt"] == RECEIVED
    # The clock starts at receipt: nothing was running while the supplement was awaited.
    assert dossier["dueAt"] == FIVE_DAYS_LATER


# Moved by a supplement


@pytest.mark.parametrize(
    ("requested", "received", "moved_due"),
    [
        # Wednesday 10:00-17:00 (5h30), 30/4, 1/5, the weekend, Monday 07:30-10:00 (2h30):
        # eight office hours, one working day.
        ("2026-04-29T10:00:00+07:00", "2026-05-04T10:00:00+07:00", "2026-05-07T17:00:00+07:00"),
        # Wednesday 15:00-17:00 and Monday 07:30-09:00: three and a half hours.
        ("2026-04-29T15:00:00+07:00", "2026-05-04T09:00:00+07:00", "2026-05-07T11:00:00+07:00"),
        # Asked and answered over the weekend: no working time waited.
        ("2026-05-02T09:00:00+07:00", "2026-05-03T15:00:00+07:00", "2026-05-06T17:00:00+07:00"),
    ],
)
async def test_due_at_moves_by_the_working_time_waited_for_a_supplement(
    client: httpx.AsyncClient, requested: str, received: str, moved_due: str
) -> None:
    await stored(
        client,
        snapshot(
            status="processing",
            submittedAt="2026-04-24T08:00:00+07:00",
            receivedAt="2026-04-24T08:30:00+07:00",
            dueAt="2026-05-06T17:00:00+07:00",
        ),
    )

    asked = await change(
        client, status_change("supplement_requested", at=requested, reason="Thiếu tờ khai")
    )
    resumed = await change(client, status_change("processing", at=received))

    assert asked["dueAt"] == "2026-05-06T17:00:00+07:00"
    assert resumed["dueAt"] == moved_due
    assert resumed["supplements"] == [
        {"requestedAt": requested, "reason": "Thiếu tờ khai", "receivedAt": received}
    ]
    assert (await read(client, CODE))["dueAt"] == moved_due


async def test_a_dossier_without_due_at_stays_without_one_after_a_supplement(
    client: httpx.AsyncClient,
) -> None:
    await stored(client, undated("9.999999"))
    await change(client, status_change("supplement_requested", at="2026-03-10T10:00:00+07:00"))

    dossier = await change(client, status_change("processing", at="2026-03-11T10:00:00+07:00"))

    assert dossier.get("dueAt") is None
    assert dossier["supplements"][0]["receivedAt"] == "2026-03-11T10:00:00+07:00"


# Overdue


async def test_a_dossier_past_its_computed_due_date_is_listed_as_overdue(
    client: httpx.AsyncClient,
) -> None:
    await stored(client, undated(code=code_of(1)))  # due 16 March 2026, still processing
    await stored(client, undated(code=code_of(2), dueAt="2099-12-31T17:00:00+07:00"))
    await stored(client, undated("9.999999", code=code_of(3)))  # no due date

    late = await client.get("/dossiers", params={"overdue": "true"})
    fine = await client.get("/dossiers", params={"overdue": "false"})

    assert late.status_code == fine.status_code == 200, (late.text, fine.text)
    assert [(d["code"], d["dueAt"], d["overdue"]) for d in late.json()["items"]] == [
        (code_of(1), FIVE_DAYS_LATER, True)
    ]
    assert {d["code"] for d in fine.json()["items"]} == {code_of(2), code_of(3)}
    assert (await read(client, code_of(1)))["overdue"] is True


async def test_a_dossier_waiting_for_a_supplement_is_not_overdue_for_the_wait(
    client: httpx.AsyncClient,
) -> None:
    await stored(client, undated())  # due 16 March 2026
    await change(client, status_change("supplement_requested", at="2026-03-13T10:00:00+07:00"))

    waiting = await client.get("/dossiers", params={"overdue": "true"})

    assert waiting.json()["items"] == []
    assert (await read(client, CODE))["overdue"] is False
