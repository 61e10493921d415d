"""What routes ask for: the request's session and the process's settings-derived values.
Authentication will add the calling client here, in one place for every route."""

from typing import Annotated

from fastapi import Depends, Request

from app.api.routing import session_of
from app.db import Session
from app.domain.calendar import OfficeHours


async def office_hours_of(request: Request) -> OfficeHours:
    hours: OfficeHours = request.app.state.hub.office_hours
    return hours


SessionDep = Annotated[Session, Depends(session_of)]
HoursDep = Annotated[OfficeHours, Depends(office_hours_of)]
