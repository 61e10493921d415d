"""The deadline engine of STANDARD.md section 6, on the real 2026 calendar of the holidays
package, without any database."""

from datetime import date, datetime, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.calendar import OfficeHours, WorkingCalendar
from app.domain.clock import VIETNAM
from app.domain.deadlines import (
    LimitUnit,
    add_working_time,
    after_supplement,
    due_at,
    working_time_between,
)

HOURS = OfficeHours()
_VN = holidays.country_holidays("VN", years=[2025, 2026, 2027])
CALENDAR = WorkingCalendar(frozenset(_VN), frozenset(_VN.weekend_workdays))
DAYS, WORKING_HOURS = LimitUnit.WORKING_DAYS, LimitUnit.WORKING_HOURS


def vn(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=VIETNAM)  # type: ignore[misc]


def test_the_tet_2026_example_of_the_standard_holds() -> None:
    # 3 working days from Thursday 12 February 2026, 09:00, across the Tết break (14-22 Feb).
    assert due_at(vn(2026, 2, 12, 9), 3, DAYS, CALENDAR, HOURS) == vn(2026, 2, 24, 17)


def test_a_receipt_after_closing_counts_from_the_next_working_day() -> None:
    # Friday 6 March 2026 at 17:30: received Monday 9 March; one working day -> Tuesday.
    assert due_at(vn(2026, 3, 6, 17, 30), 1, DAYS, CALENDAR, HOURS) == vn(2026, 3, 10, 17)


def test_a_receipt_on_a_day_off_counts_from_the_next_working_day() -> None:
    # Sunday 8 March 2026: received Monday 9 March; two working days -> Wednesday.
    assert due_at(vn(2026, 3, 8, 10), 2, DAYS, CALENDAR, HOURS) == vn(2026, 3, 11, 17)


def test_a_worked_saturday_counts_as_a_working_day() -> None:
    # Saturday 22 August 2026 is worked (làm bù for Monday 31 August).
    assert CALENDAR.is_working_day(date(2026, 8, 22))
    assert not CALENDAR.is_working_day(date(2026, 8, 31))
    # Friday 21 August, 1 working day -> Saturday 22 August at closing.
    assert due_at(vn(2026, 8, 21, 9), 1, DAYS, CALENDAR, HOURS) == vn(2026, 8, 22, 17)


def test_working_hours_skip_the_lunch_break() -> None:
    assert due_at(vn(2026, 3, 10, 10), 4, WORKING_HOURS, CALENDAR, HOURS) == vn(2026, 3, 10, 15, 30)


def test_working_hours_run_on_across_days_off() -> None:
    # Thursday 29 April 2026 16:00 + 3 h: one hour that day, then 30/4, 1/5 and the weekend are
    # off, so two hours on Monday 4 May.
    assert due_at(vn(2026, 4, 29, 16), 3, WORKING_HOURS, CALENDAR, HOURS) == vn(2026, 5, 4, 9, 30)


def test_working_hours_ending_at_closing_stay_at_closing() -> None:
    assert due_at(vn(2026, 3, 10, 13), 4, WORKING_HOURS, CALENDAR, HOURS) == vn(2026, 3, 10, 17)


def test_calendar_days_end_at_closing_time() -> None:
    assert due_at(vn(2026, 2, 12, 9), 10, LimitUnit.DAYS, CALENDAR, HOURS) == vn(2026, 2, 22, 17)


def test_a_supplement_wait_across_a_holiday_moves_the_due_date_by_the_working_time_waited() -> None:
    # Requested Wednesday 29 April 10:00, received Monday 4 May 10:00: on 29/4 10:00-11:30 and
    # 13:00-17:00 (5.5 h), on 4/5 07:30-10:00 (2.5 h); 30/4, 1/5 and the weekend are off.
    waited = working_time_between(vn(2026, 4, 29, 10), vn(2026, 5, 4, 10), CALENDAR, HOURS)
    assert waited == timedelta(hours=8)
    moved = after_supplement(
        vn(2026, 5, 6, 17), vn(2026, 4, 29, 10), vn(2026, 5, 4, 10), CALENDAR, HOURS
    )
    # 8 working hours after Wednesday 6 May 17:00: all of Thursday 7 May.
    assert moved == vn(2026, 5, 7, 17)


def test_an_override_day_off_pushes_the_due_date() -> None:
    corrected = WorkingCalendar(
        CALENDAR.days_off | {date(2026, 3, 11)}, CALENDAR.worked_weekend_days
    )
    assert due_at(vn(2026, 3, 9, 9), 2, DAYS, corrected, HOURS) == vn(2026, 3, 12, 17)


def test_office_hours_parse_and_refuse_overlaps() -> None:
    assert OfficeHours.parse("08:00-12:00,13:30-17:30").closing.hour == 17
    with pytest.raises(ValueError, match="office hours"):
        OfficeHours.parse("08:00-12:00,11:00-17:00")
    with pytest.raises(ValueError, match="office hours"):
        OfficeHours.parse("eight to five")


moments = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2026, 12, 1)).map(
    lambda m: m.replace(second=0, microsecond=0, tzinfo=VIETNAM)
)


@settings(max_examples=200, deadline=None)
@given(moments, st.integers(min_value=1, max_value=40))
def test_working_days_always_end_at_closing_of_a_working_day(start: datetime, n: int) -> None:
    due = due_at(start, n, DAYS, CALENDAR, HOURS)
    assert CALENDAR.is_working_day(due.date()) and due.time() == HOURS.closing
    assert due > start


@settings(max_examples=200, deadline=None)
@given(moments, st.integers(min_value=1, max_value=40))
def test_a_longer_limit_is_never_due_earlier(start: datetime, n: int) -> None:
    assert due_at(start, n + 1, DAYS, CALENDAR, HOURS) > due_at(start, n, DAYS, CALENDAR, HOURS)


@settings(max_examples=200, deadline=None)
@given(moments, st.integers(min_value=1, max_value=60 * 40))
def test_adding_working_time_then_measuring_it_gives_it_back(start: datetime, minutes: int) -> None:
    end = add_working_time(start, timedelta(minutes=minutes), CALENDAR, HOURS)
    assert working_time_between(start, end, CALENDAR, HOURS) == timedelta(minutes=minutes)
