"""The working-day calendar and office hours (STANDARD.md section 6), as plain values.

Which days are worked is decided elsewhere (the `holidays` package for Vietnam, corrected by
administrators' overrides); this module only answers questions about a given calendar.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from app.domain.clock import VIETNAM

SATURDAY = 5


@dataclass(frozen=True)
class OfficeHours:
    """The working periods of a working day, in Vietnam time, in order and not overlapping."""

    periods: tuple[tuple[time, time], ...] = ((time(7, 30), time(11, 30)), (time(13), time(17)))

    def __post_init__(self) -> None:
        ends = [moment for period in self.periods for moment in period]
        if not self.periods or ends != sorted(ends) or len(set(ends)) != len(ends):
            raise ValueError("office hours must be increasing, non-overlapping periods")

    @classmethod
    def parse(cls, text: str) -> "OfficeHours":
        """`07:30-11:30,13:00-17:00` -> OfficeHours."""
        try:
            periods = tuple(
                (time.fromisoformat(start.strip()), time.fromisoformat(end.strip()))
                for start, end in (part.split("-") for part in text.split(","))
            )
        except ValueError:
            raise ValueError(
                f"office hours {text!r} are not like 07:30-11:30,13:00-17:00"
            ) from None
        return cls(periods)

    @property
    def closing(self) -> time:
        return self.periods[-1][1]

    def per_day(self) -> timedelta:
        return sum((_span(start, end) for start, end in self.periods), timedelta())


def _span(start: time, end: time) -> timedelta:
    return datetime.combine(date.min, end) - datetime.combine(date.min, start)


@dataclass(frozen=True)
class WorkingCalendar:
    """Days off beyond weekends, and weekend days that are worked (làm bù)."""

    days_off: frozenset[date] = frozenset()
    worked_weekend_days: frozenset[date] = frozenset()

    def is_working_day(self, day: date) -> bool:
        if day in self.worked_weekend_days:
            return True
        if day in self.days_off:
            return False
        return day.weekday() < SATURDAY

    def working_days_after(self, day: date) -> Iterator[date]:
        while True:
            day += timedelta(days=1)
            if self.is_working_day(day):
                yield day


def at(day: date, moment: time) -> datetime:
    """That wall-clock moment of that day, in Vietnam time."""
    return datetime.combine(day, moment, tzinfo=VIETNAM)
