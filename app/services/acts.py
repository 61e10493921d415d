"""Explicit acts on one dossier: a status change, a processing step, an extension.

Each locks the dossier row, checks `If-Match`, changes the body through the domain rules,
bumps the version and appends exactly one history entry.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.access import Principal
from app.domain.audit import entry_hash
from app.domain.calendar import OfficeHours
from app.domain.clock import utcnow
from app.domain.status import TERMINAL, Status, guard_transition
from app.errors import (
    AgencyNotAllowed,
    Conflict,
    DossierClosed,
    DossierNotFound,
    FieldError,
    InvalidInput,
    PreconditionFailed,
)
from app.models import DossierRow, HistoryRow
from app.schemas.acts import ExtensionRequest, StatusChange, Step
from app.services import feed
from app.services.access import visible_to
from app.services.deadline_policy import DeadlinePolicy, policy_for
from app.services.records import content_hash, derived_columns

# Moving to one of these sets the matching timestamp when the dossier does not have it yet.
_STAMPED = {
    Status.RECEIVED: "receivedAt",
    Status.RESOLVED: "resolvedAt",
    Status.RETURNED: "returnedAt",
}


async def lock_dossier(
    session: AsyncSession, code: str, if_match: int | None, who: Principal
) -> DossierRow:
    row = await session.scalar(
        select(DossierRow).where(DossierRow.code == code, visible_to(who)).with_for_update()
    )
    if row is None:
        raise DossierNotFound(code)
    if not who.may_act_on(agencies_of(row)):
        raise AgencyNotAllowed(
            f"Dossier {code} is handled by {row.handling_agency}, not by this client's "
            "agencies: it may read the dossier but not act on it.",
            errors=[FieldError("handlingAgency", "not one of the client's agencies")],
        )
    if if_match is not None and row.version != if_match:
        raise PreconditionFailed(row.version)
    return row


def agencies_of(row: DossierRow) -> dict[str, str]:
    return {"receivingAgency": row.receiving_agency, "handlingAgency": row.handling_agency}


async def record_act(
    session: AsyncSession,
    row: DossierRow,
    who: Principal,
    kind: str,
    at: datetime,
    data: dict[str, Any],
    *,
    body: dict[str, Any] | None = None,
    from_status: str | None = None,
    transfer_agency: str | None = None,
) -> DossierRow:
    """Bump the version (storing a new body if given) and append the one history entry,
    chained to the entry before it."""
    now = utcnow()
    if body is not None:
        columns = derived_columns(body, changed_at=at, previous_finished_at=row.finished_at)
        for name, value in columns.items():
            setattr(row, name, value)
        row.content_hash = content_hash(body)
    row.version += 1
    row.updated_at = now
    entry: dict[str, Any] = {
        "version": row.version,
        "type": kind,
        "at": at,
        "recorded_at": now,
        "status": row.status,
        "from_status": from_status,
        "data": data,
        "client_id": who.client_id,
    }
    entry["hash"] = entry_hash(row.history_hash, dossier=row.code, **entry)
    row.history_hash = entry["hash"]
    await session.flush()
    await session.execute(insert(HistoryRow).values(dossier_id=row.id, **entry))
    feed.stage(
        session,
        [feed.change_of(kind, row, at=at, recorded_at=now, transfer_agency=transfer_agency)],
    )
    return row


def _moved_body(
    body: dict[str, Any], change: StatusChange, deadlines: DeadlinePolicy | None
) -> dict[str, Any]:
    body = {**body, "status": change.status.value}
    at = change.model_dump(mode="json")["at"]
    stamp = _STAMPED.get(change.status)
    if stamp and stamp not in body:
        body[stamp] = at
    if change.status is Status.RECEIVED and deadlines is not None:
        deadlines.fill_due(body)
    supplements = [dict(s) for s in body.get("supplements", [])]
    if change.status is Status.SUPPLEMENT_REQUESTED:
        supplements.append({"requestedAt": at, "reason": change.reason or change.note or ""})
    else:
        for supplement in supplements:
            if "receivedAt" not in supplement:
                supplement["receivedAt"] = at
                if deadlines is not None:
                    deadlines.resume_after_supplement(body, supplement["requestedAt"], at)
    if supplements:
        body["supplements"] = supplements
    return body


async def change_status(
    session: AsyncSession,
    code: str,
    change: StatusChange,
    if_match: int | None,
    hours: OfficeHours,
    who: Principal,
) -> DossierRow:
    row = await lock_dossier(session, code, if_match, who)
    current = Status(row.status)
    guard_transition(current, change.status, "direct")
    # Only a receipt or the end of a supplement wait can touch dueAt: other moves need
    # neither the catalog nor the calendar.
    touches_due = change.status is Status.RECEIVED or current is Status.SUPPLEMENT_REQUESTED
    deadlines = (
        await policy_for(session, [row.procedure_code], [change.at, row.due_at], hours)
        if touches_due
        else None
    )
    data = change.model_dump(mode="json", exclude_none=True, include={"actor", "note", "reason"})
    return await record_act(
        session,
        row,
        who,
        "dossier.status_changed",
        change.at,
        data,
        body=_moved_body(row.body, change, deadlines),
        from_status=current.value,
    )


async def add_step(
    session: AsyncSession, code: str, step: Step, if_match: int | None, who: Principal
) -> DossierRow:
    row = await lock_dossier(session, code, if_match, who)
    if Status(row.status) in TERMINAL:
        raise DossierClosed(f"Dossier {code} is {row.status}; no further steps are recorded.")
    return await record_act(
        session,
        row,
        who,
        "dossier.step_added",
        step.at,
        {"step": step.model_dump(mode="json", exclude_none=True)},
    )


async def extend(
    session: AsyncSession,
    code: str,
    request: ExtensionRequest,
    if_match: int | None,
    who: Principal,
) -> DossierRow:
    row = await lock_dossier(session, code, if_match, who)
    status = Status(row.status)
    if status in TERMINAL or status is Status.RESOLVED:
        raise DossierClosed(f"Dossier {code} is {row.status}; its appointment cannot move.")
    if row.due_at is None:
        raise NoDueDate(f"Dossier {code} has no appointment (dueAt) to extend.")
    if request.new_due_at <= row.due_at:
        raise InvalidInput(
            "The new appointment must be later than the current one.",
            errors=[FieldError("newDueAt", "must be later than dueAt")],
        )
    wire = request.model_dump(mode="json")
    body = dict(row.body)
    previous = body["dueAt"]
    body.setdefault("originalDueAt", previous)
    extension = {
        "issuedAt": wire["issuedAt"],
        "reason": wire["reason"],
        "previousDueAt": previous,
        "newDueAt": wire["newDueAt"],
    }
    body["extensions"] = [*body.get("extensions", []), extension]
    body["dueAt"] = wire["newDueAt"]
    return await record_act(
        session,
        row,
        who,
        "dossier.extended",
        request.issued_at,
        {"extension": extension},
        body=body,
    )


class NoDueDate(Conflict):
    code = "no_due_date"
    title = "The dossier has no appointment"
