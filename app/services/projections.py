"""The compact status projection for the national portal (STANDARD.md section 5): one read by
the unique index on the dossier code, of the few columns and JSON members it shows, rendered
without building an ORM object or validating the row again."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.access import Principal, Scope
from app.domain.clock import is_overdue, to_vietnam, utcnow
from app.domain.masking import mask_name
from app.domain.status import DVCQG_CODE, LABEL_VI, Status
from app.errors import DossierNotFound
from app.models import DossierRow
from app.services.access import visible_to

_BODY = DossierRow.body
_PROJECTED = select(
    DossierRow.code,
    DossierRow.procedure_code,
    _BODY[("procedure", "name")].as_string().label("procedure_name"),
    DossierRow.handling_agency,
    DossierRow.status,
    DossierRow.received_at,
    DossierRow.due_at,
    DossierRow.finished_at,
    DossierRow.paused_at,
    # Kept as the body holds them (already in +07:00); the columns would not tell a resolved
    # dossier's resolvedAt from the moment a terminal one stopped.
    _BODY["resolvedAt"].as_string().label("resolved_at"),
    _BODY["returnedAt"].as_string().label("returned_at"),
    _BODY[("applicant", "name")].as_string().label("applicant_name"),
    DossierRow.version,
)


def readable_status(who: Principal) -> ColumnElement[bool]:
    """`status:read` reads the status of any dossier; a client without it reads the status of
    the dossiers its agency binding lets it see."""
    return true() if Scope.STATUS_READ.value in who.scopes else visible_to(who)


@dataclass(frozen=True)
class StatusView:
    version: int
    overdue: bool
    projection: dict[str, Any]  # JSON-ready, the shape of schemas.dossier.StatusProjection


def _vietnam(moment: datetime | None) -> str | None:
    return None if moment is None else to_vietnam(moment).isoformat()


async def dossier_status(session: AsyncSession, code: str, who: Principal) -> StatusView:
    query = _PROJECTED.where(DossierRow.code == code, readable_status(who))
    row = (await session.execute(query)).one_or_none()
    if row is None:
        raise DossierNotFound(code)
    status = Status(row.status)
    overdue = is_overdue(row.due_at, row.finished_at, row.paused_at, utcnow())
    projection = {
        "code": row.code,
        "procedure": {"code": row.procedure_code, "name": row.procedure_name},
        "handlingAgency": row.handling_agency,
        "status": status.value,
        "statusCode": DVCQG_CODE[status],
        "statusLabel": LABEL_VI[status],
        "receivedAt": _vietnam(row.received_at),
        "dueAt": _vietnam(row.due_at),
        "resolvedAt": row.resolved_at,
        "returnedAt": row.returned_at,
        "overdue": overdue,
        "applicantName": mask_name(row.applicant_name or ""),
    }
    return StatusView(row.version, overdue, projection)
