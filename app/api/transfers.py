"""Transfers (STANDARD.md section 5, "Transfers"): send a dossier to another agency or level,
the receiver's inbox, and its answers."""

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response

from app.api.cursors import Cursor, Limit, decode, page_of
from app.api.dependencies import SessionDep
from app.api.dossiers import CodePath, IdempotencyKey, IfMatch
from app.api.problems import documented
from app.api.routing import UnitOfWorkRoute
from app.api.security import Transferor
from app.schemas.transfers import (
    Transfer,
    TransferCompletion,
    TransferPage,
    TransferRejection,
    TransferRequest,
    TransferStatus,
)
from app.services import transfers

router = APIRouter(
    tags=["Transfers"], route_class=UnitOfWorkRoute, responses=documented(401, 403, 429)
)

TransferId = Annotated[
    int, Path(alias="transferId", ge=1, le=2**63 - 1, description="Transfer id.", examples=[41])
]


def _answer(row: Any) -> Transfer:
    return Transfer.model_validate(transfers.render(row))


@router.post(
    "/dossiers/{code}/transfers",
    summary="Transfer a dossier to another agency",
    response_model=Transfer,
    status_code=201,
    responses=documented(404, 409, 412, 413, 422),
)
async def send_transfer(
    code: CodePath,
    request: TransferRequest,
    who: Transferor,
    session: SessionDep,
    response: Response,
    if_match: IfMatch,
    idempotency_key: IdempotencyKey = None,
) -> Transfer:
    """Send the dossier to another agency or level (liên thông). Only a client of the
    dossier's handling agency sends; a dossier has at most one open transfer (409
    `transfer_open`) and a closed dossier none (409 `dossier_closed`). The receiver sees the
    dossier from now on and finds the transfer in its inbox, `GET /transfers`."""
    row = await transfers.send(session, code, request, if_match, who)
    response.headers["Location"] = f"/api/v1/transfers/{row.id}"
    return _answer(row)


@router.get(
    "/transfers", summary="The transfer inbox", response_model=TransferPage,
    responses=documented(422),
)  # fmt: skip
async def list_transfers(
    who: Transferor,
    session: SessionDep,
    to_agency: Annotated[
        str | None, Query(alias="toAgency", max_length=20, examples=["000.00.04.G14"])
    ] = None,
    from_agency: Annotated[str | None, Query(alias="fromAgency", max_length=20)] = None,
    status: Annotated[list[TransferStatus] | None, Query(description="Repeatable.")] = None,
    dossier_code: Annotated[str | None, Query(alias="dossierCode", max_length=40)] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> TransferPage:
    """The transfers sent by or to the client's agencies, oldest first. A ministry pulls its
    inbox with `toAgency` and `status=sent`."""
    position = decode(cursor, int)
    filters = transfers.TransferFilter(
        to_agency=to_agency,
        from_agency=from_agency,
        statuses=tuple(s.value for s in status or ()),
        dossier_code=dossier_code,
    )
    rows = await transfers.inbox(
        session, filters, who, after=position[0] if position else None, limit=limit
    )
    page, next_cursor = page_of(rows, limit, lambda row: [row.id])
    return TransferPage(items=[_answer(r) for r in page], next_cursor=next_cursor)


@router.get(
    "/transfers/{transferId}",
    summary="Read a transfer",
    response_model=Transfer,
    responses=documented(404, 422),
)
async def get_transfer(transfer_id: TransferId, who: Transferor, session: SessionDep) -> Transfer:
    """One transfer, for its sender and its receiver."""
    return _answer(await transfers.get(session, transfer_id, who))


@router.post(
    "/transfers/{transferId}/accept",
    summary="Accept a transfer",
    response_model=Transfer,
    responses=documented(404, 409, 413, 422),
)
async def accept_transfer(
    transfer_id: TransferId,
    who: Transferor,
    session: SessionDep,
    idempotency_key: IdempotencyKey = None,
) -> Transfer:
    """The receiver takes the dossier: its agency becomes the `handlingAgency` and may record
    steps and status changes until it completes the transfer."""
    return _answer(await transfers.accept(session, transfer_id, who))


@router.post(
    "/transfers/{transferId}/reject",
    summary="Reject a transfer",
    response_model=Transfer,
    responses=documented(404, 409, 413, 422),
)
async def reject_transfer(
    transfer_id: TransferId,
    rejection: TransferRejection,
    who: Transferor,
    session: SessionDep,
    idempotency_key: IdempotencyKey = None,
) -> Transfer:
    """The receiver declines a sent transfer, saying why; the dossier stays where it was."""
    return _answer(await transfers.reject(session, transfer_id, rejection, who))


@router.post(
    "/transfers/{transferId}/complete",
    summary="Complete a transfer",
    response_model=Transfer,
    responses=documented(404, 409, 413, 422),
)
async def complete_transfer(
    transfer_id: TransferId,
    completion: TransferCompletion,
    who: Transferor,
    session: SessionDep,
    idempotency_key: IdempotencyKey = None,
) -> Transfer:
    """The receiver hands the dossier back with its result: the documents are added to the
    dossier's and the sending agency handles it again."""
    return _answer(await transfers.complete(session, transfer_id, completion, who))
