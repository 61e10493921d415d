"""The arithmetic of the report indicators and the period they cover (STANDARD.md "Reports")."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.indicators import Period, Ratio, rate, satisfaction
from app.errors import InvalidInput


def test_a_period_runs_from_midnight_of_its_first_day_to_midnight_after_its_last_in_vietnam() -> (
    None
):
    march = Period(date(2026, 3, 1), date(2026, 3, 31))

    assert march.start == datetime(2026, 2, 28, 17, 0, tzinfo=UTC)
    assert march.end == datetime(2026, 3, 31, 17, 0, tzinfo=UTC)


def test_a_one_day_period_is_that_whole_day() -> None:
    day = Period(date(2026, 9, 2), date(2026, 9, 2))

    assert day.end - day.start == datetime(2026, 1, 2) - datetime(2026, 1, 1)


def test_a_period_that_ends_before_it_begins_names_to() -> None:
    with pytest.raises(InvalidInput) as raised:
        Period(date(2026, 3, 31), date(2026, 3, 1))

    assert [error.field for error in raised.value.errors] == ["to"]


def test_open_dossiers_are_judged_at_the_end_of_a_past_period_and_now_in_a_current_one() -> None:
    march = Period(date(2026, 3, 1), date(2026, 3, 31))
    later = datetime(2026, 11, 29, tzinfo=UTC)
    during = datetime(2026, 3, 15, tzinfo=UTC)

    assert march.judged_at(later) == march.end
    assert march.judged_at(during) == during


@pytest.mark.parametrize(
    ("numerator", "denominator", "percent"),
    [
        (2, 3, Decimal("66.67")),
        (1, 3, Decimal("33.33")),
        (1, 32, Decimal("3.13")),  # 3.125: halves round up, not to even
        (7, 7, Decimal("100.00")),
        (0, 5, Decimal("0.00")),
        (-1, 4, Decimal("-25.00")),
    ],
)
def test_a_rate_is_a_percentage_with_two_decimals(
    numerator: int, denominator: int, percent: Decimal
) -> None:
    assert rate(numerator, denominator) == percent


def test_nothing_to_rate_is_no_rate() -> None:
    assert rate(0, 0) is None
    assert Ratio(0, 0).rate is None


def test_satisfaction_is_100_minus_the_late_and_the_dissatisfied_percentages() -> None:
    # 12 judged, 4 late, 2 dissatisfied: 100 - 33.33... - 16.66... = 50.
    assert satisfaction(12, 4, 2) == Ratio(6, 12)
    assert satisfaction(12, 4, 2).rate == Decimal("50.00")


@given(
    st.integers(min_value=1, max_value=10_000).flatmap(
        lambda n: st.tuples(
            st.just(n), st.integers(min_value=0, max_value=n), st.integers(min_value=0, max_value=n)
        )
    )
)
def test_satisfaction_matches_the_formula_to_the_cent(counts: tuple[int, int, int]) -> None:
    counted, late, dissatisfied = counts
    formula = 100 - Decimal(100 * late) / counted - Decimal(100 * dissatisfied) / counted

    assert abs(satisfaction(counted, late, dissatisfied).rate - formula) <= Decimal("0.005")  # type: ignore[operator]
