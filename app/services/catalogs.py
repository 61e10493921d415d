"""Agencies and procedures: seeded on first start, edited through the API; administrative
units straight from the vietnam-provinces data."""

from collections.abc import Sequence
from functools import cache

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from vietnam_provinces import Province, Ward

from app.domain.clock import utcnow
from app.errors import NotFound
from app.models import AgencyRow, ProcedureRow
from app.schemas.catalog import (
    Agency,
    AgencyIn,
    CommuneUnit,
    Procedure,
    ProcedureIn,
    ProvinceUnit,
)
from app.services import seed_data


class AgencyNotFound(NotFound):
    code = "agency_not_found"
    title = "No such agency"


class ProcedureNotFound(NotFound):
    code = "procedure_not_found"
    title = "No such procedure"


async def seed(session: AsyncSession) -> None:
    """Insert the starting catalog where the codes are not there yet (safe to run on every
    start, and from several processes at once)."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    now = utcnow()
    for model, rows in ((AgencyRow, seed_data.AGENCIES), (ProcedureRow, seed_data.PROCEDURES)):
        values = [
            {"parent": None, "province_code": None, **row, "updated_at": now}
            if model is AgencyRow
            else {**row, "updated_at": now}
            for row in rows
        ]
        await session.execute(dialect.insert(model).values(values).on_conflict_do_nothing())


async def get_agency(session: AsyncSession, code: str) -> AgencyRow:
    row = await session.get(AgencyRow, code)
    if row is None:
        raise AgencyNotFound(f"There is no agency with code {code!r}.")
    return row


async def put_agency(session: AsyncSession, code: str, agency: AgencyIn) -> tuple[AgencyRow, bool]:
    row = await session.get(AgencyRow, code, with_for_update=True)
    created = row is None
    if row is None:
        row = AgencyRow(code=code)
        session.add(row)
    row.name, row.level, row.parent = agency.name, agency.level.value, agency.parent
    row.province_code, row.updated_at = agency.province_code, utcnow()
    await session.flush()
    return row, created


async def list_agencies(
    session: AsyncSession,
    *,
    level: str | None,
    province_code: str | None,
    after: str | None,
    limit: int,
) -> Sequence[AgencyRow]:
    query = select(AgencyRow)
    if level is not None:
        query = query.where(AgencyRow.level == level)
    if province_code is not None:
        query = query.where(AgencyRow.province_code == province_code)
    if after is not None:
        query = query.where(AgencyRow.code > after)
    return list(await session.scalars(query.order_by(AgencyRow.code).limit(limit + 1)))


async def get_procedure(session: AsyncSession, code: str) -> ProcedureRow:
    row = await session.get(ProcedureRow, code)
    if row is None:
        raise ProcedureNotFound(f"There is no procedure with code {code!r}.")
    return row


async def put_procedure(
    session: AsyncSession, code: str, procedure: ProcedureIn
) -> tuple[ProcedureRow, bool]:
    row = await session.get(ProcedureRow, code, with_for_update=True)
    created = row is None
    if row is None:
        row = ProcedureRow(code=code)
        session.add(row)
    row.name, row.field_code = procedure.name, procedure.field_code
    row.limit_value = procedure.processing_limit.value
    row.limit_unit = procedure.processing_limit.unit.value
    row.fees = [fee.model_dump(mode="json", exclude_none=True) for fee in procedure.fees]
    row.issues_result, row.updated_at = procedure.issues_result, utcnow()
    await session.flush()
    return row, created


async def list_procedures(
    session: AsyncSession, *, field_code: str | None, after: str | None, limit: int
) -> Sequence[ProcedureRow]:
    query = select(ProcedureRow)
    if field_code is not None:
        query = query.where(ProcedureRow.field_code == field_code)
    if after is not None:
        query = query.where(ProcedureRow.code > after)
    return list(await session.scalars(query.order_by(ProcedureRow.code).limit(limit + 1)))


async def procedure_limits(
    session: AsyncSession, codes: Sequence[str]
) -> dict[str, tuple[int, str]]:
    """The processing limit of each known procedure among `codes`, in one query."""
    if not codes:
        return {}
    rows = await session.execute(
        select(ProcedureRow.code, ProcedureRow.limit_value, ProcedureRow.limit_unit).where(
            ProcedureRow.code.in_(set(codes))
        )
    )
    return {row.code: (row.limit_value, row.limit_unit) for row in rows}


@cache
def provinces() -> list[ProvinceUnit]:
    return sorted(
        (
            ProvinceUnit(
                code=f"{p.code.value:02d}", name=p.name, division_type=p.division_type.value
            )
            for p in Province.iter_all()
        ),
        key=lambda unit: unit.code,
    )


@cache
def _communes() -> dict[str, list[CommuneUnit]]:
    by_province: dict[str, list[CommuneUnit]] = {}
    for ward in Ward.iter_all():
        province = f"{ward.province_code.value:02d}"
        by_province.setdefault(province, []).append(
            CommuneUnit(
                code=f"{ward.code.value:05d}",
                name=ward.name,
                division_type=ward.division_type.value,
                province_code=province,
            )
        )
    return {k: sorted(v, key=lambda unit: unit.code) for k, v in by_province.items()}


def communes(province_code: str) -> list[CommuneUnit]:
    return _communes().get(province_code, [])


def agency_view(row: AgencyRow) -> Agency:
    return Agency.model_validate(
        {
            "code": row.code,
            "name": row.name,
            "level": row.level,
            "parent": row.parent,
            "provinceCode": row.province_code,
            "updatedAt": row.updated_at,
        }
    )


def procedure_view(row: ProcedureRow) -> Procedure:
    return Procedure.model_validate(
        {
            "code": row.code,
            "name": row.name,
            "fieldCode": row.field_code,
            "processingLimit": {"value": row.limit_value, "unit": row.limit_unit},
            "fees": row.fees,
            "issuesResult": row.issues_result,
            "updatedAt": row.updated_at,
        }
    )
