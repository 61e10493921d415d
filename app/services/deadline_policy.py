"""Deadlines applied to dossiers: a dossier received without `dueAt` gets one from its
procedure's processing limit, and `dueAt` moves by the working time a supplement was waited for.
Loads what it needs (limits, calendar) once per request, never once per dossier."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.calendar import OfficeHours, WorkingCalendar
from app.domain.deadlines import LimitUnit, after_supplement, due_at
from app.services.calendar import calendar_for
from app.services.catalogs import procedure_limits


@dataclass(frozen=True)
class DeadlinePolicy:
    limits: dict[str, tuple[int, str]]
    calendar: WorkingCalendar
    hours: OfficeHours

    def fill_due(self, body: dict[str, Any]) -> None:
        """Give a received dossier without an appointment the one its procedure sets."""
        if "dueAt" in body or "receivedAt" not in body:
            return
        limit = self.limits.get(body["procedure"]["code"])
        if limit is None:
            return
        received = datetime.fromisoformat(body["receivedAt"])
        value, unit = limit
        body["dueAt"] = due_at(
            received, value, LimitUnit(unit), self.calendar, self.hours
        ).isoformat()

    def resume_after_supplement(self, body: dict[str, Any], requested: str, received: str) -> None:
        if "dueAt" in body:
            moved = after_supplement(
                datetime.fromisoformat(body["dueAt"]),
                datetime.fromisoformat(requested),
                datetime.fromisoformat(received),
                self.calendar,
                self.hours,
            )
            body["dueAt"] = moved.isoformat()


async def policy_for(
    session: AsyncSession,
    procedures: Sequence[str],
    moments: Sequence[datetime | None],
    hours: OfficeHours,
) -> DeadlinePolicy:
    """The policy for dossiers of these procedures around these moments."""
    limits = await procedure_limits(session, procedures)
    return DeadlinePolicy(limits, await calendar_for(session, *moments), hours)
