"""The working-day calendar and due dates: `GET /calendar/{year}`, `PUT`/`DELETE
/calendar/days/{date}` and `GET /calendar/due-date` (STANDARD.md sections 5 and 6).

Expected dates are counted by hand on the official 2026 calendar: Tết 16-20 February (with the
weekends around it, 14-22), Hùng Kings' day 26 April (a Sunday, off on Monday 27), 30/4 and 1/5
(Thursday and Friday), Saturday 22 August worked in exchange for Monday 31 August."""

from datetime import datetime
from typing import Any

import holidays
import httpx
import pytest

from app.domain.calendar import OfficeHours, WorkingCalendar
from app.domain.clock import VIETNAM
from app.domain.deadlines import LimitUnit, due_at
from tests.api.checks import assert_problem

OFFICE_HOURS = ["07:30-11:30", "13:00-17:00"]
TET_2026 = ["2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20"]


async def days_of(client: httpx.AsyncClient, year: int = 2026) -> dict[str, dict[str, Any]]:
    response = await client.get(f"/calendar/{year}")
    assert response.status_code == 200, response.text
    return {day["date"]: day for day in response.json()["days"]}


async def due(client: httpx.AsyncClient, start: str, value: int, unit: str = "working_days") -> str:
    response = await client.get(
        "/calendar/due-date", params={"from": start, "value": value, "unit": unit}
    )
    assert response.status_code == 200, response.text
    answer: str = response.json()["dueAt"]
    return answer


async def correct(client: httpx.AsyncClient, day: str, working: bool, name: str) -> None:
    response = await client.put(f"/calendar/days/{day}", json={"working": working, "name": name})
    assert response.status_code == 204, response.text
    assert response.content == b""


# The year


async def test_year_lists_tet_as_holidays_and_the_worked_saturday(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/calendar/2026")

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["year"], body["officeHours"]) == (2026, OFFICE_HOURS)
    days = {day["date"]: day for day in body["days"]}
    for day in TET_2026:
        assert (days[day]["working"], days[day]["kind"]) == (False, "holiday"), day
        assert days[day]["source"] == "library"
    assert "Tết" in days["2026-02-17"]["name"]
    saturday = days["2026-08-22"]
    assert (saturday["working"], saturday["kind"], saturday["source"]) == (
        True,
        "worked_weekend",
        "library",
    )
    assert days["2026-08-31"]["working"] is False
    for day in ("2026-04-27", "2026-04-30", "2026-05-01", "2026-09-02"):
        assert days[day]["working"] is False, day
    assert [d["date"] for d in body["days"]] == sorted(days)
    assert "2026-03-02" not in days  # an ordinary Monday is not listed


@pytest.mark.parametrize("year", ["1999", "2101", "twenty"])
async def test_year_out_of_range_is_422(client: httpx.AsyncClient, year: str) -> None:
    response = await client.get(f"/calendar/{year}")

    assert_problem(response, 422, "validation_failed", "year")


async def test_a_day_made_a_day_off_appears_as_an_override(client: httpx.AsyncClient) -> None:
    await correct(client, "2026-03-02", False, "Nghỉ bão")

    day = (await days_of(client))["2026-03-02"]

    assert day == {
        "date": "2026-03-02",
        "working": False,
        "kind": "day_off",
        "name": "Nghỉ bão",
        "source": "override",
    }


async def test_a_saturday_made_working_is_a_worked_weekend_day(
    client: httpx.AsyncClient,
) -> None:
    before = await due(client, "2026-03-06T09:00:00+07:00", 1)

    await correct(client, "2026-03-07", True, "Làm bù")

    day = (await days_of(client))["2026-03-07"]
    assert (day["working"], day["kind"], day["source"]) == (True, "worked_weekend", "override")
    assert before == "2026-03-09T17:00:00+07:00"
    assert await due(client, "2026-03-06T09:00:00+07:00", 1) == "2026-03-07T17:00:00+07:00"


async def test_a_cancelled_holiday_becomes_a_working_day(client: httpx.AsyncClient) -> None:
    await correct(client, "2026-04-27", True, "Hủy nghỉ bù")

    day = (await days_of(client))["2026-04-27"]
    assert (day["working"], day["kind"], day["source"]) == (True, "working_day", "override")
    # Friday 24 April + 1 working day: Monday 27 is worked now.
    assert await due(client, "2026-04-24T09:00:00+07:00", 1) == "2026-04-27T17:00:00+07:00"


async def test_a_second_correction_of_a_day_replaces_the_first(
    client: httpx.AsyncClient,
) -> None:
    await correct(client, "2026-03-02", False, "Nghỉ bão")
    await correct(client, "2026-03-02", True, "Hủy nghỉ bão")

    days = await days_of(client)
    assert (days["2026-03-02"]["working"], days["2026-03-02"]["name"]) == (True, "Hủy nghỉ bão")
    assert [d for d in days if d == "2026-03-02"] == ["2026-03-02"]


async def test_deleting_a_correction_restores_the_library_day(
    client: httpx.AsyncClient,
) -> None:
    await correct(client, "2026-04-27", True, "Hủy nghỉ bù")
    await correct(client, "2026-03-02", False, "Nghỉ bão")

    removed = await client.delete("/calendar/days/2026-04-27")
    removed_plain = await client.delete("/calendar/days/2026-03-02")

    assert (removed.status_code, removed_plain.status_code) == (204, 204)
    days = await days_of(client)
    assert (days["2026-04-27"]["working"], days["2026-04-27"]["source"]) == (False, "library")
    assert "2026-03-02" not in days
    assert await due(client, "2026-04-24T09:00:00+07:00", 1) == "2026-04-28T17:00:00+07:00"


async def test_deleting_a_day_without_a_correction_is_404(client: httpx.AsyncClient) -> None:
    await correct(client, "2026-03-02", False, "Nghỉ bão")
    first = await client.delete("/calendar/days/2026-03-02")

    second = await client.delete("/calendar/days/2026-03-02")

    assert first.status_code == 204
    assert_problem(second, 404, "calendar_override_not_found")
    assert_problem(
        await client.delete("/calendar/days/2026-02-17"), 404, "calendar_override_not_found"
    )


@pytest.mark.parametrize(
    "day", ["2026-02-30", "2026-13-01", "02-03-2026", "tomorrow", "0", "1767225600"]
)
async def test_a_day_that_is_no_date_is_422(client: httpx.AsyncClient, day: str) -> None:
    put = await client.put(f"/calendar/days/{day}", json={"working": False, "name": "Nghỉ"})
    delete = await client.delete(f"/calendar/days/{day}")

    assert_problem(put, 422, "validation_failed", "day")
    assert_problem(delete, 422, "validation_failed", "day")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"working": False}, "name"),
        ({"name": "Nghỉ"}, "working"),
        ({"working": False, "name": ""}, "name"),
        ({"working": False, "name": "Nghỉ", "kind": "holiday"}, "kind"),
    ],
)
async def test_a_correction_with_a_bad_body_names_the_member(
    client: httpx.AsyncClient, body: dict[str, Any], field: str
) -> None:
    response = await client.put("/calendar/days/2026-03-02", json=body)

    assert_problem(response, 422, "validation_failed", field)
    assert "2026-03-02" not in await days_of(client)


# Due dates


async def test_due_date_of_the_standard_tet_example(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/calendar/due-date",
        params={"from": "2026-02-12T09:00:00+07:00", "value": 3, "unit": "working_days"},
    )

    assert response.status_code == 200, response.text
    assert response.json() == {
        "from": "2026-02-12T09:00:00+07:00",
        "value": 3,
        "unit": "working_days",
        "dueAt": "2026-02-24T17:00:00+07:00",
    }


@pytest.mark.parametrize(
    ("start", "value", "unit", "expected"),
    [
        # Working hours run around the lunch break: 1h30 in the morning, 2h30 after 13:00.
        ("2026-03-10T10:00:00+07:00", 4, "working_hours", "2026-03-10T15:30:00+07:00"),
        # Ending exactly at closing keeps the closing.
        ("2026-03-10T13:00:00+07:00", 4, "working_hours", "2026-03-10T17:00:00+07:00"),
        # 2h on Wednesday 29 April, then 30/4, 1/5 and the weekend pass, 2h on Monday 4 May.
        ("2026-04-29T15:00:00+07:00", 4, "working_hours", "2026-05-04T09:30:00+07:00"),
        # After closing on Friday: received Monday 9 March, due the working day after.
        ("2026-03-06T17:30:00+07:00", 1, "working_days", "2026-03-10T17:00:00+07:00"),
        # One minute before closing still counts as received that day.
        ("2026-03-06T16:59:00+07:00", 1, "working_days", "2026-03-09T17:00:00+07:00"),
        # After closing on Friday 24 April: Monday 27 is off, received Tuesday 28.
        ("2026-04-24T17:30:00+07:00", 1, "working_days", "2026-04-29T17:00:00+07:00"),
        # On a Saturday: received Monday 9 March.
        ("2026-03-07T10:00:00+07:00", 1, "working_days", "2026-03-10T17:00:00+07:00"),
        # On a holiday: Tết ends on Friday 20, received Monday 23 February.
        ("2026-02-18T10:00:00+07:00", 2, "working_days", "2026-02-25T17:00:00+07:00"),
        # Thursday 20 August: Friday, the worked Saturday 22, then Monday 24.
        ("2026-08-20T09:00:00+07:00", 3, "working_days", "2026-08-24T17:00:00+07:00"),
        # Friday 28 August: the 31st is off in exchange, 1 and 2 September are the holiday.
        ("2026-08-28T09:00:00+07:00", 1, "working_days", "2026-09-03T17:00:00+07:00"),
        # Zero days: closing time of the day of receipt.
        ("2026-03-10T09:00:00+07:00", 0, "working_days", "2026-03-10T17:00:00+07:00"),
        # Across the new year: 31 December, (1 January off), 4 and 5 January 2027.
        ("2026-12-30T09:00:00+07:00", 3, "working_days", "2027-01-05T17:00:00+07:00"),
        # Calendar days ignore weekends and holidays.
        ("2026-04-29T10:00:00+07:00", 3, "days", "2026-05-02T17:00:00+07:00"),
        # The same moment given in UTC.
        ("2026-02-12T02:00:00Z", 3, "working_days", "2026-02-24T17:00:00+07:00"),
    ],
)
async def test_due_date_follows_the_vietnamese_calendar(
    client: httpx.AsyncClient, start: str, value: int, unit: str, expected: str
) -> None:
    assert await due(client, start, value, unit) == expected


async def test_due_date_renders_from_in_vietnam_time_and_defaults_to_working_days(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get(
        "/calendar/due-date", params={"from": "2026-02-12T02:00:00Z", "value": 3}
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["from"], body["unit"]) == ("2026-02-12T09:00:00+07:00", "working_days")
    assert body["dueAt"] == "2026-02-24T17:00:00+07:00"


async def test_a_day_off_set_by_an_administrator_moves_the_due_date(
    client: httpx.AsyncClient,
) -> None:
    before = await due(client, "2026-02-26T09:00:00+07:00", 3)
    await correct(client, "2026-03-02", False, "Nghỉ bão")
    during = await due(client, "2026-02-26T09:00:00+07:00", 3)
    assert (await client.delete("/calendar/days/2026-03-02")).status_code == 204
    after = await due(client, "2026-02-26T09:00:00+07:00", 3)

    assert before == after == "2026-03-03T17:00:00+07:00"
    assert during == "2026-03-04T17:00:00+07:00"


async def test_a_correction_of_next_year_moves_a_due_date_that_runs_into_it(
    client: httpx.AsyncClient,
) -> None:
    await correct(client, "2027-01-04", False, "Nghỉ")

    assert await due(client, "2026-12-30T09:00:00+07:00", 3) == "2027-01-06T17:00:00+07:00"


async def test_a_long_limit_counts_the_holidays_of_every_year_it_runs_through(
    client: httpx.AsyncClient,
) -> None:
    days_off: set[Any] = set()
    worked: set[Any] = set()
    for year in range(2026, 2031):
        library = holidays.country_holidays("VN", years=year)
        days_off |= {d for d in library if d.year == year}
        worked |= {d for d in getattr(library, "weekend_workdays", ()) if d.year == year}
    whole = WorkingCalendar(frozenset(days_off), frozenset(worked))
    start = datetime(2026, 12, 31, 9, tzinfo=VIETNAM)
    expected = due_at(start, 270, LimitUnit.WORKING_DAYS, whole, OfficeHours())
    assert expected.year == 2028  # past Tết 2028 (24-28 January)

    assert await due(client, start.isoformat(), 270) == expected.isoformat()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-02-12T09:00:00", "value": 3}, "from"),
        ({"from": "12/02/2026", "value": 3}, "from"),
        ({"value": 3}, "from"),
        ({"from": "2026-02-12T09:00:00+07:00"}, "value"),
        ({"from": "2026-02-12T09:00:00+07:00", "value": -1}, "value"),
        ({"from": "2026-02-12T09:00:00+07:00", "value": 3, "unit": "weeks"}, "unit"),
    ],
)
async def test_due_date_with_a_bad_query_names_the_parameter(
    client: httpx.AsyncClient, params: dict[str, Any], field: str
) -> None:
    response = await client.get("/calendar/due-date", params=params)

    assert_problem(response, 422, "validation_failed", field)
