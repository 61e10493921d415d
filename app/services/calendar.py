"""The working-day calendar: the `holidays` package for Vietnam, corrected by overrides kept in
the database; and the due dates it gives."""

from datetime import date, datetime
from functools import lru_cache

import holidays
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.calendar import OfficeHours, WorkingCalendar
from app.domain.clock import to_vietnam, utcnow
from app.errors import NotFound
from app.models import CalendarOverrideRow
from app.schemas.catalog import CalendarDay, CalendarOverride, CalendarYear, DayKind

MAX_SPAN = 10  # years between moments that are filled in; further apart, only their own


@lru_cache(maxsize=64)
def _library_year(year: int) -> tuple[dict[date, str], frozenset[date]]:
    """Public holidays and worked weekend days of one year, from the holidays package."""
    days = holidays.country_holidays("VN", years=year, language="vi")
    worked = frozenset(d for d in getattr(days, "weekend_workdays", ()) if d.year == year)
    return {d: str(name) for d, name in days.items() if d.year == year}, worked


async def _overrides(session: AsyncSession, first: int, last: int) -> list[CalendarOverrideRow]:
    rows = await session.scalars(
        select(CalendarOverrideRow).where(
            CalendarOverrideRow.day >= date(first, 1, 1),
            CalendarOverrideRow.day <= date(last, 12, 31),
        )
    )
    return list(rows)


async def working_calendar(session: AsyncSession, years: set[int]) -> WorkingCalendar:
    """The calendar of these years, overrides applied (other years: weekends only)."""
    days_off: set[date] = set()
    worked: set[date] = set()
    for year in sorted(years):
        holidays_of_year, worked_of_year = _library_year(year)
        days_off |= holidays_of_year.keys()
        worked |= worked_of_year
    for override in await _overrides(session, min(years), max(years)):
        if override.day.year in years:
            (worked if override.working else days_off).add(override.day)
            (days_off if override.working else worked).discard(override.day)
    return WorkingCalendar(frozenset(days_off), frozenset(worked))


async def calendar_for(
    session: AsyncSession, *moments: datetime | None, ahead: int = 1
) -> WorkingCalendar:
    """A calendar that covers each moment's year and `ahead` years after it (a deadline runs on
    past its start; see `deadlines.years_ahead`): only the years that can matter are loaded,
    however far apart the moments are."""
    starts = {to_vietnam(m).year for m in moments if m is not None} or {to_vietnam(utcnow()).year}
    years = {year + step for year in starts for step in range(ahead + 1)}
    if max(starts) - min(starts) <= MAX_SPAN:
        years |= set(range(min(starts), max(starts) + 1))
    return await working_calendar(session, years)


async def year(session: AsyncSession, year: int, hours: OfficeHours) -> CalendarYear:
    holidays_of_year, worked = _library_year(year)
    days: dict[date, CalendarDay] = {}
    for day, name in holidays_of_year.items():
        days[day] = CalendarDay(
            date=day, working=False, kind=DayKind.HOLIDAY, name=name, source="library"
        )
    for day in worked:
        days[day] = CalendarDay(
            date=day, working=True, kind=DayKind.WORKED_WEEKEND, name="Làm bù", source="library"
        )
    for override in await _overrides(session, year, year):
        weekend = override.day.weekday() >= 5
        kind = (
            (DayKind.WORKED_WEEKEND if weekend else DayKind.WORKING_DAY)
            if override.working
            else DayKind.DAY_OFF
        )
        days[override.day] = CalendarDay(
            date=override.day,
            working=override.working,
            kind=kind,
            name=override.name,
            source="override",
        )
    return CalendarYear(
        year=year,
        office_hours=[f"{a:%H:%M}-{b:%H:%M}" for a, b in hours.periods],
        days=[days[d] for d in sorted(days)],
    )


async def set_override(session: AsyncSession, day: date, override: CalendarOverride) -> None:
    row = await session.get(CalendarOverrideRow, day, with_for_update=True)
    if row is None:
        row = CalendarOverrideRow(day=day)
        session.add(row)
    row.working, row.name, row.updated_at = override.working, override.name, utcnow()
    await session.flush()


async def remove_override(session: AsyncSession, day: date) -> bool:
    statement = delete(CalendarOverrideRow).where(CalendarOverrideRow.day == day)
    result = await session.execute(statement)
    return bool(result.rowcount)  # type: ignore[attr-defined]


class NoOverride(NotFound):
    code = "calendar_override_not_found"
    title = "No correction of that day"
