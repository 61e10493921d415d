"""Dossier resources (STANDARD.md section 5): snapshots, reads, explicit acts, history."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Query, Response

from app.api.conditional import has_tag, if_match_version, if_none_match, is_current, status_etag
from app.api.cursors import Cursor, Limit, decode, page_of
from app.api.dependencies import HoursDep, SessionDep
from app.api.paths import DOSSIER
from app.api.problems import documented
from app.api.representations import (
    dossier_answer,
    not_modified,
    status_answer,
    status_not_modified,
)
from app.api.routing import UnitOfWorkRoute
from app.api.security import Reader, StatusReader, Writer, status_readers
from app.domain.clock import utcnow
from app.domain.status import Status
from app.errors import FieldError, InvalidInput
from app.schemas.acts import ExtensionRequest, StatusChange, Step
from app.schemas.base import Timestamp
from app.schemas.dossier import Dossier, DossierSnapshot, StatusProjection
from app.schemas.envelopes import DossierPage, HistoryPage
from app.services import acts, projections, queries, transfers
from app.services.records import render
from app.services.sync import sync_snapshots

router = APIRouter(
    prefix="/dossiers",
    tags=["Dossiers"],
    route_class=UnitOfWorkRoute,
    responses=documented(401, 403, 429),
)

CodePath = Annotated[
    str, Path(description="Dossier code (mã số hồ sơ).", examples=["000.00.00.H56-251127-0012"])
]
IfMatch = Annotated[int | None, Depends(if_match_version)]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=200,
        description="Send the same key to retry safely: the first answer is replayed.",
    ),
]


@router.put(
    DOSSIER,
    summary="Create or replace a dossier snapshot",
    response_model=Dossier,
    responses={201: {"model": Dossier, "description": "Created"}, **documented(409, 412, 413, 422)},
)
async def put_dossier(
    code: CodePath,
    snapshot: DossierSnapshot,
    who: Writer,
    session: SessionDep,
    hours: HoursDep,
    if_match: IfMatch,
) -> Response:
    """Store the snapshot a source system sends. The `Sync-Outcome` header says what happened:
    `created` (201), `updated`, `unchanged` (same content: no new version) or `stale` (older
    than the stored snapshot by `source.version`, or `source.updatedAt`, and ignored)."""
    if snapshot.code != code:
        raise InvalidInput(
            "The code in the path and the code in the body differ.",
            errors=[FieldError("code", f"must equal the path code {code!r}")],
        )
    [result] = await sync_snapshots(session, [snapshot], hours, who, if_match=if_match, strict=True)
    row = await queries.get_dossier(session, code, who)
    created = result.outcome == "created"
    headers = {"Sync-Outcome": result.outcome.value}
    if created:
        headers["Location"] = f"/api/v1/dossiers/{code}"
    return dossier_answer(
        render(row, utcnow()), status_code=201 if created else 200, headers=headers
    )


@router.get(
    DOSSIER,
    summary="Read a whole dossier",
    response_model=Dossier,
    responses={304: {"description": "Not modified"}, **documented(404, 422)},
)
async def get_dossier(
    code: CodePath,
    who: Reader,
    session: SessionDep,
    etag: Annotated[str | None, Depends(if_none_match)],
) -> Response:
    """The whole dossier in one read, with its `ETag`; `If-None-Match` answers 304. An open
    transfer shows as `transfer`."""
    row = await queries.get_dossier(session, code, who)
    if is_current(etag, row.version):
        return not_modified(row.version)
    dossier = render(row, utcnow())
    transfer = await transfers.current(session, row.id)
    if transfer is not None:
        dossier["transfer"] = transfer
    return dossier_answer(dossier)


@router.get(
    "/{code}/status",
    summary="Read a dossier's status (for the national portal)",
    response_model=StatusProjection,
    responses={304: {"description": "Not modified"}, **documented(404, 422)},
    openapi_extra=status_readers.openapi,
)
async def get_dossier_status(
    code: CodePath,
    who: StatusReader,
    session: SessionDep,
    etag: Annotated[str | None, Depends(if_none_match)],
) -> Response:
    """The compact status: procedure, handling agency, status with its DVCQG code and
    Vietnamese label, the dates, `overdue` and the applicant's masked name. `status:read` reads
    any dossier; `dossiers:read` the dossiers the client sees (404 for others). The `ETag`
    changes with the version and when the dossier turns overdue; `If-None-Match` answers 304.
    `Cache-Control: private, max-age=0, must-revalidate`: revalidate on every use."""
    view = await projections.dossier_status(session, code, who)
    tag = status_etag(view.version, view.overdue)
    if has_tag(etag, tag):
        return status_not_modified(tag)
    return status_answer(view.projection, tag)


async def dossier_filter(
    receiving_agency: Annotated[
        str | None, Query(alias="receivingAgency", examples=["000.00.00.H56"])
    ] = None,
    handling_agency: Annotated[str | None, Query(alias="handlingAgency")] = None,
    province_code: Annotated[str | None, Query(alias="provinceCode", examples=["38"])] = None,
    procedure_code: Annotated[str | None, Query(alias="procedureCode")] = None,
    status: Annotated[list[Status] | None, Query(description="Repeatable.")] = None,
    received_from: Annotated[Timestamp | None, Query(alias="receivedFrom")] = None,
    received_to: Annotated[Timestamp | None, Query(alias="receivedTo")] = None,
    updated_since: Annotated[Timestamp | None, Query(alias="updatedSince")] = None,
    overdue: bool | None = None,
) -> queries.DossierFilter:
    """The filters of the dossier list and the export; they combine with AND."""
    return queries.DossierFilter(
        receiving_agency=receiving_agency,
        handling_agency=handling_agency,
        province_code=province_code,
        procedure_code=procedure_code,
        statuses=tuple(status or ()),
        received_from=received_from,
        received_to=received_to,
        updated_since=updated_since,
        overdue=overdue,
    )


Filters = Annotated[queries.DossierFilter, Depends(dossier_filter)]


@router.get("", summary="List dossiers", response_model=DossierPage, responses=documented(422))
async def list_dossiers(
    who: Reader, session: SessionDep, filters: Filters, limit: Limit = 50, cursor: Cursor = None
) -> DossierPage:
    """Dossiers in the order they were last updated, oldest first, paged by cursor. Filters
    combine with AND; `status` may repeat. `provinceCode` is the applicant's province."""
    position = decode(cursor, datetime, int)
    after = (position[0], position[1]) if position else None
    rows, now = await queries.list_dossiers(session, filters, who, after=after, limit=limit)
    page, next_cursor = page_of(rows, limit, lambda row: [row.updated_at.isoformat(), row.id])
    return DossierPage(items=[queries.list_item(r, now) for r in page], next_cursor=next_cursor)


@router.post(
    "/{code}/status",
    summary="Change the status",
    response_model=Dossier,
    responses=documented(404, 409, 412, 413, 422),
)
async def change_status(
    code: CodePath,
    change: StatusChange,
    who: Writer,
    session: SessionDep,
    hours: HoursDep,
    if_match: IfMatch,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """An explicit status change: it must be a direct move of the status machine (409
    `invalid_transition` names both statuses). Moving to `received`, `resolved` or `returned`
    sets `receivedAt`, `resolvedAt` or `returnedAt` when unset; moving to
    `supplement_requested` opens a supplement request and moving out of it closes it, moving
    `dueAt` by the working time waited. A dossier received without `dueAt` gets the one its
    procedure's processing limit gives."""
    row = await acts.change_status(session, code, change, if_match, hours, who)
    return dossier_answer(render(row, utcnow()))


@router.post(
    "/{code}/steps",
    summary="Record a processing step",
    response_model=Dossier,
    status_code=201,
    responses=documented(404, 409, 412, 413, 422),
)
async def add_step(
    code: CodePath,
    step: Step,
    who: Writer,
    session: SessionDep,
    if_match: IfMatch,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Append a processing step (tiến trình xử lý) to the dossier's history; steps are never
    edited. A dossier in a terminal status takes no more steps (409 `dossier_closed`)."""
    row = await acts.add_step(session, code, step, if_match, who)
    return dossier_answer(render(row, utcnow()), status_code=201)


@router.post(
    "/{code}/extensions",
    summary="Set a new appointment",
    response_model=Dossier,
    status_code=201,
    responses=documented(404, 409, 412, 413, 422),
)
async def extend_appointment(
    code: CodePath,
    request: ExtensionRequest,
    who: Writer,
    session: SessionDep,
    if_match: IfMatch,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """After an apology letter, move `dueAt` to a later appointment. The first appointment
    stays in `originalDueAt`; the extension is appended to `extensions`."""
    row = await acts.extend(session, code, request, if_match, who)
    return dossier_answer(render(row, utcnow()), status_code=201)


@router.get(
    "/{code}/history",
    summary="A dossier's history",
    response_model=HistoryPage,
    responses=documented(404, 422),
)
async def dossier_history(
    code: CodePath, who: Reader, session: SessionDep, limit: Limit = 50, cursor: Cursor = None
) -> HistoryPage:
    """Every version of the dossier in order: snapshots, status changes, steps, extensions."""
    position = decode(cursor, int)
    rows = await queries.history(
        session, code, who, after=position[0] if position else None, limit=limit
    )
    page, next_cursor = page_of(rows, limit, lambda row: [row.version])
    return HistoryPage(items=[queries.history_entry(r) for r in page], next_cursor=next_cursor)
