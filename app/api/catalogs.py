"""Catalogs: agencies, procedures and administrative units (STANDARD.md section 5)."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from app.api.cursors import Cursor, Limit, decode, page_of
from app.api.dependencies import SessionDep
from app.api.problems import documented
from app.api.routing import UnitOfWorkRoute
from app.api.security import Admin, Caller
from app.schemas.catalog import (
    Agency,
    AgencyIn,
    AgencyLevel,
    AgencyPage,
    CommuneUnit,
    Procedure,
    ProcedureIn,
    ProcedurePage,
    ProvinceCode,
    ProvinceUnit,
)
from app.schemas.dossier_parts import AgencyCode, ProcedureCode
from app.services import catalogs

router = APIRouter(
    tags=["Catalogs"], route_class=UnitOfWorkRoute, responses=documented(401, 403, 429)
)

AgencyPath = Annotated[AgencyCode, Path(description="Agency code.", examples=["000.00.00.H38"])]
ProcedurePath = Annotated[
    str, Path(max_length=60, description="TTHC code (mã TTHC).", examples=["1.000894"])
]
NewProcedurePath = Annotated[
    ProcedureCode, Path(max_length=60, description="TTHC code (mã TTHC).", examples=["1.000894"])
]


@router.get(
    "/agencies", summary="List agencies", response_model=AgencyPage, responses=documented(422)
)
async def list_agencies(
    _: Caller,
    session: SessionDep,
    level: AgencyLevel | None = None,
    province_code: Annotated[ProvinceCode | None, Query(alias="provinceCode")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> AgencyPage:
    position = decode(cursor, str)
    rows = await catalogs.list_agencies(
        session,
        level=level.value if level else None,
        province_code=province_code,
        after=position[0] if position else None,
        limit=limit,
    )
    page, next_cursor = page_of(rows, limit, lambda row: [row.code])
    return AgencyPage(items=[catalogs.agency_view(r) for r in page], next_cursor=next_cursor)


@router.get(
    "/agencies/{code}",
    summary="Read an agency",
    response_model=Agency,
    responses=documented(404, 422),
)
async def get_agency(code: AgencyPath, _: Caller, session: SessionDep) -> Agency:
    return catalogs.agency_view(await catalogs.get_agency(session, code))


@router.put(
    "/agencies/{code}",
    summary="Create or replace an agency",
    response_model=Agency,
    responses={201: {"model": Agency, "description": "Created"}, **documented(413, 422)},
)
async def put_agency(
    code: AgencyPath, agency: AgencyIn, _: Admin, session: SessionDep, response: Response
) -> Agency:
    row, created = await catalogs.put_agency(session, code, agency)
    response.status_code = 201 if created else 200
    return catalogs.agency_view(row)


@router.get(
    "/procedures",
    summary="List procedures",
    response_model=ProcedurePage,
    responses=documented(422),
)
async def list_procedures(
    _: Caller,
    session: SessionDep,
    field_code: Annotated[str | None, Query(alias="fieldCode", max_length=50)] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> ProcedurePage:
    position = decode(cursor, str)
    rows = await catalogs.list_procedures(
        session, field_code=field_code, after=position[0] if position else None, limit=limit
    )
    page, next_cursor = page_of(rows, limit, lambda row: [row.code])
    return ProcedurePage(items=[catalogs.procedure_view(r) for r in page], next_cursor=next_cursor)


@router.get(
    "/procedures/{code}",
    summary="Read a procedure",
    response_model=Procedure,
    responses=documented(404, 422),
)
async def get_procedure(code: ProcedurePath, _: Caller, session: SessionDep) -> Procedure:
    return catalogs.procedure_view(await catalogs.get_procedure(session, code))


@router.put(
    "/procedures/{code}",
    summary="Create or replace a procedure",
    response_model=Procedure,
    responses={201: {"model": Procedure, "description": "Created"}, **documented(413, 422)},
)
async def put_procedure(
    code: NewProcedurePath,
    procedure: ProcedureIn,
    _: Admin,
    session: SessionDep,
    response: Response,
) -> Procedure:
    """Name, field, processing limit, fees, and whether it issues a result document. The
    limit gives `dueAt` to dossiers of this procedure received without one."""
    row, created = await catalogs.put_procedure(session, code, procedure)
    response.status_code = 201 if created else 200
    return catalogs.procedure_view(row)


@router.get(
    "/administrative-units/provinces", summary="The 34 provinces", response_model=list[ProvinceUnit]
)
async def list_provinces(_: Caller) -> list[ProvinceUnit]:
    """The provinces and centrally run cities since 1 July 2025 (vietnam-provinces data)."""
    return catalogs.provinces()


@router.get(
    "/administrative-units/communes",
    summary="Communes of a province",
    response_model=list[CommuneUnit],
    responses=documented(422),
)
async def list_communes(
    _: Caller,
    province_code: Annotated[ProvinceCode, Query(alias="provinceCode", examples=["38"])],
) -> list[CommuneUnit]:
    """The communes, wards and special zones of one province since 1 July 2025."""
    return catalogs.communes(province_code)
