"""The deadline engine of STANDARD.md section 6: pure functions over a calendar and office hours.

- N working days from a receipt on working day D: closing time of the Nth working day after D;
  a receipt after closing, or on a day off, counts as received on the next working day.
- N working hours: run through office hours only.
- N days: closing time of the Nth calendar day after the receipt date.
- Time waiting for a supplement does not count: when it arrives, `dueAt` moves by the working
  time spent waiting.
"""

from datetime import datetime, timedelta
from enum import StrEnum

from app.domain.calendar import OfficeHours, WorkingCalendar, at
from app.domain.clock import to_vietnam


class LimitUnit(StrEnum):
    """Đơn vị thời hạn giải quyết."""

    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"
    DAYS = "days"


def years_ahead(value: int, unit: LimitUnit) -> int:
    """How many years past the receipt year a limit can reach (a year has at least 230 working
    days and 230 * 8 working hours in Vietnam), so a calendar can be loaded that covers it."""
    days = {
        LimitUnit.WORKING_DAYS: value,
        LimitUnit.WORKING_HOURS: value // 8 + 1,
        LimitUnit.DAYS: value * 230 // 365,
    }[unit]
    return 1 + days // 230


def due_at(
    received: datetime,
    value: int,
    unit: LimitUnit,
    calendar: WorkingCalendar,
    hours: OfficeHours,
) -> datetime:
    """When a dossier received at `received` with a limit of `value` `unit` is due."""
    if value < 0:
        raise ValueError("a processing limit is never negative")
    local = to_vietnam(received)
    if unit is LimitUnit.WORKING_HOURS:
        return add_working_time(local, timedelta(hours=value), calendar, hours)
    if unit is LimitUnit.DAYS:
        return at(local.date() + timedelta(days=value), hours.closing)
    day = local.date()
    if not calendar.is_working_day(day) or local.time() >= hours.closing:
        day = next(calendar.working_days_after(day))
    if value == 0:
        return at(day, hours.closing)
    days = calendar.working_days_after(day)
    for _ in range(value - 1):
        next(days)
    return at(next(days), hours.closing)


def working_time_between(
    start: datetime, end: datetime, calendar: WorkingCalendar, hours: OfficeHours
) -> timedelta:
    """Office time on working days between two moments (zero when `end` is not later)."""
    start, end = to_vietnam(start), to_vietnam(end)
    total = timedelta()
    day = start.date()
    while day <= end.date():
        if calendar.is_working_day(day):
            for opening, closing in hours.periods:
                lo, hi = max(start, at(day, opening)), min(end, at(day, closing))
                if hi > lo:
                    total += hi - lo
        day += timedelta(days=1)
    return total


def add_working_time(
    start: datetime, duration: timedelta, calendar: WorkingCalendar, hours: OfficeHours
) -> datetime:
    """The moment `duration` of office time after `start` (a start outside office hours begins
    at the next opening). Ending exactly at a closing keeps that closing."""
    moment = to_vietnam(start)
    remaining = duration
    day = moment.date()
    while True:
        if calendar.is_working_day(day):
            for opening, closing in hours.periods:
                lo, hi = max(moment, at(day, opening)), at(day, closing)
                if hi <= lo:
                    continue
                if remaining <= hi - lo:
                    return lo + remaining
                remaining -= hi - lo
        day += timedelta(days=1)
        moment = at(day, hours.periods[0][0])


def after_supplement(
    due: datetime,
    requested: datetime,
    received: datetime,
    calendar: WorkingCalendar,
    hours: OfficeHours,
) -> datetime:
    """`dueAt` moved by the working time spent waiting for a supplement."""
    waited = working_time_between(requested, received, calendar, hours)
    if waited <= timedelta():
        return due
    return add_working_time(due, waited, calendar, hours)
