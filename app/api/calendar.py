"""The working-day calendar and due dates (STANDARD.md sections 5 and 6)."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from app.api.dependencies import HoursDep, SessionDep
from app.api.problems import documented
from app.api.routing import UnitOfWorkRoute
from app.api.security import Admin, Caller
from app.domain.deadlines import LimitUnit, due_at, years_ahead
from app.schemas.base import Day, Timestamp
from app.schemas.catalog import CalendarOverride, CalendarYear, DueDate
from app.services import calendar

router = APIRouter(
    prefix="/calendar",
    tags=["Calendar"],
    route_class=UnitOfWorkRoute,
    responses=documented(401, 403, 429),
)

DayPath = Annotated[Day, Path(description="The day, YYYY-MM-DD.", examples=["2026-08-22"])]


@router.get(
    "/due-date", summary="Compute a due date", response_model=DueDate, responses=documented(422)
)
async def compute_due_date(
    _: Caller,
    session: SessionDep,
    hours: HoursDep,
    from_: Annotated[
        Timestamp,
        Query(
            alias="from",
            description="Receipt moment, with offset.",
            examples=["2026-02-12T09:00:00+07:00"],
        ),
    ],
    value: Annotated[int, Query(ge=0, le=3650, examples=[3])],
    unit: Annotated[LimitUnit, Query(examples=["working_days"])] = LimitUnit.WORKING_DAYS,
) -> DueDate:
    """When a dossier received at `from` with a limit of `value` `unit` is due, by the
    Vietnamese working-day calendar and office hours: N working days end at closing time of
    the Nth working day after the day of receipt; a receipt after closing or on a day off
    counts from the next working day."""
    working = await calendar.calendar_for(session, from_, ahead=years_ahead(value, unit))
    return DueDate.model_validate(
        {
            "from": from_,
            "value": value,
            "unit": unit,
            "dueAt": due_at(from_, value, unit, working, hours),
        }
    )


@router.get(
    "/{year}", summary="A year's calendar", response_model=CalendarYear, responses=documented(422)
)
async def calendar_year(
    _: Caller,
    year: Annotated[int, Path(ge=2000, le=2100, examples=[2026])],
    session: SessionDep,
    hours: HoursDep,
) -> CalendarYear:
    """The days that are not what their weekday says: public holidays and days off from the
    holidays package for Vietnam, worked weekend days (làm bù), and administrators'
    corrections, with the office hours."""
    return await calendar.year(session, year, hours)


@router.put(
    "/days/{day}",
    summary="Correct one day of the calendar",
    status_code=204,
    responses=documented(413, 422),
)
async def correct_day(
    day: DayPath, override: CalendarOverride, _: Admin, session: SessionDep
) -> Response:
    """Make a day a day off (`working: false`) or a working day (`working: true`: a worked
    Saturday or a cancelled holiday). Deadlines computed from now on follow it."""
    await calendar.set_override(session, day, override)
    return Response(status_code=204)


@router.delete(
    "/days/{day}", summary="Remove a correction", status_code=204, responses=documented(404, 422)
)
async def remove_correction(day: DayPath, _: Admin, session: SessionDep) -> Response:
    """The day is again what the holiday library says."""
    if not await calendar.remove_override(session, day):
        raise calendar.NoOverride(f"There is no correction of {day}.")
    return Response(status_code=204)
