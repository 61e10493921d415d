"""The compact status projection for the national portal (STANDARD.md section 5): one read by
the unique index on the dossier code, of the few columns and JSON members it shows, rendered
without building an ORM object or validating the row again."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.access import Principal, Scope
from app.domain.clock import is_overdue, to_vietnam, utcnow
from app.domain.masking import mask_name
from app.domain.status import DVCQG_CODE, LABEL_VI, Status
from app.errors import DossierNotFound
from app.models import DossierRow
from app.services.access import visible_to

# Core over the table, not the ORM entity, and the code as a bound parameter: the statement
# is built once and cached compiled, where the ORM path built and keyed it anew every read
# (QUALITY.md P2, docs/performance.md).
_DOSSIERS = cast(Table, DossierRow.__table__).c
_BODY = _DOSSIERS.body
_PROJECTED = select(
    _DOSSIERS.code,
    _DOSSIERS.procedure_code,
    _BODY[("procedure", "name")].as_string().label("procedure_name"),
    _DOSSIERS.handling_agency,
    _DOSSIERS.status,
    _DOSSIERS.received_at,
    _DOSSIERS.due_at,
    _DOSSIERS.finished_at,
    _DOSSIERS.paused_at,
    # Kept as the body holds them (already in +07:00); the columns would not tell a resolved
    # dossier's resolvedAt from the moment a terminal one stopped.
    _BODY["resolvedAt"].as_string().label("resolved_at"),
    _BODY["returnedAt"].as_string().label("returned_at"),
    _BODY[("applicant", "name")].as_string().label("applicant_name"),
    _DOSSIERS.version,
).where(_DOSSIERS.code == bindparam("code"))


@dataclass(frozen=True)
class StatusView:
    version: int
    overdue: bool
    projection: dict[str, Any]  # JSON-ready, the shape of schemas.dossier.StatusProjection


def _vietnam(moment: datetime | None) -> str | None:
    return None if moment is None else to_vietnam(moment).isoformat()


async def dossier_status(session: AsyncSession, code: str, who: Principal) -> StatusView:
    # `status:read` reads the status of any dossier; a client without it reads the status of
    # the dossiers its agency binding lets it see.
    query = _PROJECTED
    if Scope.STATUS_READ.value not in who.scopes:
        query = query.where(visible_to(who))
    row = (await session.execute(query, {"code": code})).one_or_none()
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
