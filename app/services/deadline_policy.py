"""Deadlines applied to dossiers: a dossier received without `dueAt` gets one from its
procedure's processing limit, and `dueAt` moves by the working time a supplement was waited for.
Loads what it needs (limits, calendar) once per request, never once per dossier."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.calendar import OfficeHours, WorkingCalendar
from app.domain.deadlines import LimitUnit, after_supplement, due_at, years_ahead
from app.services.calendar import calendar_for
from app.services.catalogs import procedure_limits


@dataclass(frozen=True)
class DeadlinePolicy:
    limits: dict[str, tuple[int, str]]
    calendar: WorkingCalendar
    hours: OfficeHours

    def fill_due(self, body: dict[str, Any]) -> None:
        """Give a received dossier without an appointment the one its procedure sets, moved
        by the supplements it already waited for."""
        if "dueAt" in body or "receivedAt" not in body:
            return
        limit = self.limits.get(body["procedure"]["code"])
        if limit is None:
            return
        received = datetime.fromisoformat(body["receivedAt"])
        value, unit = limit
        due = due_at(received, value, LimitUnit(unit), self.calendar, self.hours)
        for supplement in body.get("supplements", []):
            if "receivedAt" in supplement:
                due = self._moved(
                    due, received, supplement["requestedAt"], supplement["receivedAt"]
                )
        body["dueAt"] = due.isoformat()

    def resume_after_supplement(self, body: dict[str, Any], requested: str, received: str) -> None:
        """Move `dueAt` by the working time a supplement was waited for."""
        if "dueAt" in body:
            start = body.get("receivedAt")
            moved = self._moved(
                datetime.fromisoformat(body["dueAt"]),
                datetime.fromisoformat(start) if start else None,
                requested,
                received,
            )
            body["dueAt"] = moved.isoformat()

    def _moved(
        self, due: datetime, dossier_received: datetime | None, requested: str, received: str
    ) -> datetime:
        # The clock only runs from the dossier's receipt: waiting before it is not a pause.
        start = datetime.fromisoformat(requested)
        if dossier_received is not None:
            start = max(start, dossier_received)
        end = datetime.fromisoformat(received)
        return after_supplement(due, start, end, self.calendar, self.hours)


async def policy_for(
    session: AsyncSession,
    procedures: Sequence[str],
    moments: Sequence[datetime | None],
    hours: OfficeHours,
) -> DeadlinePolicy:
    """The policy for dossiers of these procedures around these moments."""
    limits = await procedure_limits(session, procedures)
    ahead = max((years_ahead(value, LimitUnit(unit)) for value, unit in limits.values()), default=1)
    return DeadlinePolicy(limits, await calendar_for(session, *moments, ahead=ahead), hours)
