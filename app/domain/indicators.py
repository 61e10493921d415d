"""The Decision 766/QĐ-TTg indicators the hub computes (STANDARD.md section 5, "Reports"): the
period a report covers, in whole days of Vietnam time, and how counts become rates."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from app.domain.clock import VIETNAM
from app.errors import FieldError, InvalidInput

NAMES = ("onTime", "online", "electronicResult", "digitisation", "reuse", "satisfaction")

_CENT = Decimal("0.01")


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), VIETNAM).astimezone(UTC)


@dataclass(frozen=True)
class Period:
    """From the first day to the last, both included, each a day of Vietnam time."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.first > self.last:
            raise InvalidInput(
                "The period ends before it begins.",
                errors=[FieldError("to", f"must not be before from ({self.first})")],
            )

    @property
    def start(self) -> datetime:
        return _midnight(self.first)

    @property
    def end(self) -> datetime:
        """The first moment after the period."""
        return _midnight(self.last + timedelta(days=1))

    def judged_at(self, now: datetime) -> datetime:
        """When a dossier open at the end of the period is judged: at the end, or now when the
        period has not ended yet (what is still to come cannot be judged)."""
        return min(self.end, now)


def rate(numerator: int, denominator: int) -> Decimal | None:
    """A percentage with two decimals, halves rounded up; None when there is nothing to rate."""
    if denominator == 0:
        return None
    return (Decimal(100 * numerator) / denominator).quantize(_CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Ratio:
    numerator: int
    denominator: int

    @property
    def rate(self) -> Decimal | None:
        return rate(self.numerator, self.denominator)


def satisfaction(counted: int, late: int, dissatisfied: int) -> Ratio:
    """100 minus the percentage of late dossiers minus the percentage rated dissatisfied, both
    over the dossiers judged for `onTime`: as a ratio, (counted - late - dissatisfied) over
    counted, which is exactly that rate. A dossier both late and rated dissatisfied costs
    twice, as the formula says, so the numerator may fall below zero."""
    return Ratio(counted - late - dissatisfied, counted)
