"""Transfers between agencies and levels (STANDARD.md section 5, "Transfers").

Rules: only a client of the dossier's handling agency sends; only a client of the receiving
agency accepts, rejects or completes; a dossier has at most one open (sent or accepted)
transfer; a dossier in a terminal status is not transferred. Accepting makes the receiver the
handling agency; completing hands the dossier back. Each act is one dossier version with its
history entry and its change in the feed. Locks are always taken dossier first, then transfer.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, false, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.access import Principal
from app.domain.clock import to_vietnam, utcnow
from app.domain.status import TERMINAL, Status
from app.errors import (
    AgencyNotAllowed,
    DossierClosed,
    FieldError,
    InvalidInput,
    TransferNotFound,
    TransferOpen,
    TransferState,
)
from app.models import AgencyRow, DossierRow, TransferRow
from app.models.transfer import OPEN
from app.schemas.transfers import TransferCompletion, TransferRejection, TransferRequest
from app.services.access import matching
from app.services.acts import lock_dossier, record_act


def render(row: TransferRow) -> dict[str, Any]:
    """The transfer as the API shows it (JSON-ready, camelCase)."""
    return {
        "id": row.id,
        "dossierCode": row.dossier_code,
        "fromAgency": row.from_agency,
        "toAgency": row.to_agency,
        "status": row.status,
        **row.body,
    }


def _now_text(at: datetime | None) -> tuple[datetime, str]:
    """When an act happens: now, or for a backfill (the demo data, an import of past
    transfers) the moment it happened."""
    now = utcnow() if at is None else at
    return now, to_vietnam(now).isoformat()


async def send(
    session: AsyncSession,
    code: str,
    request: TransferRequest,
    if_match: int | None,
    who: Principal,
    *,
    at: datetime | None = None,
) -> TransferRow:
    dossier = await lock_dossier(session, code, if_match, who)
    if not who.may_act_for(dossier.handling_agency):
        raise AgencyNotAllowed(
            f"Dossier {code} is handled by {dossier.handling_agency}; only a client of that "
            "agency sends it on.",
            errors=[FieldError("handlingAgency", "not one of the client's agencies")],
        )
    if Status(dossier.status) in TERMINAL:
        raise DossierClosed(f"Dossier {code} is {dossier.status}; it cannot be transferred.")
    if request.to_agency == dossier.handling_agency:
        raise InvalidInput(
            "A dossier is transferred to another agency than the one handling it.",
            errors=[FieldError("toAgency", "is the handling agency already")],
        )
    if await session.get(AgencyRow, request.to_agency) is None:
        raise InvalidInput(
            f"Agency {request.to_agency} is not in the agency catalog.",
            errors=[FieldError("toAgency", "not an agency of the catalog")],
        )
    open_id = await session.scalar(
        select(TransferRow.id).where(
            TransferRow.dossier_id == dossier.id, TransferRow.status.in_(OPEN)
        )
    )
    if open_id is not None:
        raise TransferOpen(f"Dossier {code} already has an open transfer ({open_id}).")
    now, now_text = _now_text(at)
    wire = request.model_dump(mode="json", by_alias=True, exclude_none=True)
    transfer = TransferRow(
        dossier_id=dossier.id,
        dossier_code=code,
        from_agency=dossier.handling_agency,
        to_agency=request.to_agency,
        status="sent",
        body={k: v for k, v in wire.items() if k != "toAgency"} | {"sentAt": now_text},
        sent_by=who.client_id,
        sent_at=now,
        updated_at=now,
    )
    session.add(transfer)
    await session.flush()
    await record_act(
        session,
        dossier,
        who,
        "transfer.sent",
        now,
        {"transfer": render(transfer)},
        transfer_agency=transfer.to_agency,
    )
    return transfer


def visible_transfers(who: Principal) -> ColumnElement[bool]:
    """A client sees the transfers its agencies sent or received."""
    if who.bound_by is None:
        return true()
    if not who.agencies:
        return false()
    return or_(
        matching(TransferRow.to_agency, who.agencies),
        matching(TransferRow.from_agency, who.agencies),
    )


async def get(session: AsyncSession, transfer_id: int, who: Principal) -> TransferRow:
    row = await session.scalar(
        select(TransferRow).where(TransferRow.id == transfer_id, visible_transfers(who))
    )
    if row is None:
        raise TransferNotFound(transfer_id)
    return row


async def _lock_for_receiver(
    session: AsyncSession, transfer_id: int, expected: str, act: str, who: Principal
) -> tuple[TransferRow, DossierRow]:
    found = await get(session, transfer_id, who)
    if not who.may_act_for(found.to_agency):
        raise AgencyNotAllowed(
            f"Only a client of {found.to_agency}, the receiving agency, may {act} transfer "
            f"{transfer_id}.",
            errors=[FieldError("toAgency", "not one of the client's agencies")],
        )
    dossier = await session.scalar(
        select(DossierRow).where(DossierRow.id == found.dossier_id).with_for_update()
    )
    transfer = await session.scalar(
        select(TransferRow)
        .where(TransferRow.id == transfer_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    assert dossier is not None and transfer is not None
    if transfer.status != expected:
        raise TransferState(
            f"Transfer {transfer_id} is {transfer.status}; only a {expected} transfer can be "
            f"{act}ed."
        )
    return transfer, dossier


async def accept(
    session: AsyncSession, transfer_id: int, who: Principal, *, at: datetime | None = None
) -> TransferRow:
    transfer, dossier = await _lock_for_receiver(session, transfer_id, "sent", "accept", who)
    now, now_text = _now_text(at)
    transfer.status = "accepted"
    transfer.body = {**transfer.body, "acceptedAt": now_text}
    transfer.updated_at = now
    await record_act(
        session,
        dossier,
        who,
        "transfer.accepted",
        now,
        {"transfer": render(transfer)},
        body={**dossier.body, "handlingAgency": transfer.to_agency},
        transfer_agency=transfer.to_agency,
    )
    return transfer


async def reject(
    session: AsyncSession,
    transfer_id: int,
    rejection: TransferRejection,
    who: Principal,
    *,
    at: datetime | None = None,
) -> TransferRow:
    transfer, dossier = await _lock_for_receiver(session, transfer_id, "sent", "reject", who)
    now, now_text = _now_text(at)
    transfer.status = "rejected"
    transfer.body = {**transfer.body, "rejectedAt": now_text, "reason": rejection.reason}
    transfer.updated_at = now
    await record_act(
        session,
        dossier,
        who,
        "transfer.rejected",
        now,
        {"transfer": render(transfer)},
        transfer_agency=transfer.to_agency,
    )
    return transfer


def _with_documents(body: dict[str, Any], documents: list[dict[str, Any]]) -> dict[str, Any]:
    """The dossier's documents with the result's added (one of the same id is replaced)."""
    incoming = {d["id"] for d in documents}
    kept = [d for d in body.get("documents", []) if d["id"] not in incoming]
    return {**body, "documents": [*kept, *documents]} if documents else body


async def complete(
    session: AsyncSession,
    transfer_id: int,
    completion: TransferCompletion,
    who: Principal,
    *,
    at: datetime | None = None,
) -> TransferRow:
    transfer, dossier = await _lock_for_receiver(session, transfer_id, "accepted", "complete", who)
    now, now_text = _now_text(at)
    result = completion.model_dump(mode="json", by_alias=True, exclude_none=True)
    transfer.status = "completed"
    transfer.body = {**transfer.body, "completedAt": now_text, "result": result}
    transfer.updated_at = now
    body = _with_documents(dossier.body, result.get("documents", []))
    await record_act(
        session,
        dossier,
        who,
        "transfer.completed",
        now,
        {"transfer": render(transfer)},
        body={**body, "handlingAgency": transfer.from_agency},
        transfer_agency=transfer.to_agency,
    )
    return transfer


@dataclass(frozen=True)
class TransferFilter:
    to_agency: str | None = None
    from_agency: str | None = None
    statuses: tuple[str, ...] = ()
    dossier_code: str | None = None


async def inbox(
    session: AsyncSession, f: TransferFilter, who: Principal, *, after: int | None, limit: int
) -> list[TransferRow]:
    """A page of transfers in id order, one more than asked to tell whether more follow."""
    query = select(TransferRow).where(visible_transfers(who))
    for column, value in (
        (TransferRow.to_agency, f.to_agency),
        (TransferRow.from_agency, f.from_agency),
        (TransferRow.dossier_code, f.dossier_code),
    ):
        if value is not None:
            query = query.where(column == value)
    if f.statuses:
        query = query.where(TransferRow.status.in_(f.statuses))
    if after is not None:
        query = query.where(TransferRow.id > after)
    return list(await session.scalars(query.order_by(TransferRow.id).limit(limit + 1)))


async def current(session: AsyncSession, dossier_id: int) -> dict[str, Any] | None:
    """The dossier's open transfer, as the dossier shows it."""
    row = await session.scalar(
        select(TransferRow).where(
            TransferRow.dossier_id == dossier_id, TransferRow.status.in_(OPEN)
        )
    )
    return render(row) if row is not None else None
