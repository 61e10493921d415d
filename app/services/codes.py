"""Dossier code issuing: the next `<agency>-<YYMMDD>-<NNNN>` of the day for an agency.

One atomic upsert of the day's counter per code: on PostgreSQL concurrent callers queue on the
counter row; on SQLite writers are serialised by `BEGIN IMMEDIATE`. No two callers ever get the
same number, and the numbers of a day are consecutive.
"""

from collections.abc import Mapping
from datetime import date

from sqlalchemy import func
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.access import Principal
from app.errors import AgencyNotAllowed, Conflict, FieldError, InvalidInput
from app.models import AgencyRow, DossierCodeCounterRow
from app.schemas.catalog import IssuedDossierCode

LARGEST_SEQUENCE = 99_999  # the standard allows 4 or 5 digits


class SequenceExhausted(Conflict):
    code = "sequence_exhausted"
    title = "No dossier codes are left for this agency today"


async def issue(session: AsyncSession, agency: str, day: date, who: Principal) -> IssuedDossierCode:
    if not who.may_act_for(agency):
        raise AgencyNotAllowed(
            f"This client does not act for agency {agency}.",
            errors=[FieldError("agency", "not one of the client's agencies")],
        )
    if await session.get(AgencyRow, agency) is None:
        raise InvalidInput(
            f"Agency {agency!r} is not in the catalog; register it with PUT /agencies/{agency}.",
            errors=[FieldError("agency", "unknown agency")],
        )
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    table = DossierCodeCounterRow.__table__
    insert = dialect.insert(table).values(agency=agency, day=day, last=1)
    statement = insert.on_conflict_do_update(
        index_elements=["agency", "day"], set_={"last": table.c.last + 1}
    ).returning(table.c.last)
    sequence = (await session.execute(statement)).scalar_one()
    if sequence > LARGEST_SEQUENCE:
        raise SequenceExhausted(f"Agency {agency} has used all {LARGEST_SEQUENCE} codes of {day}.")
    return IssuedDossierCode(
        code=f"{agency}-{day:%y%m%d}-{sequence:04d}", agency=agency, day=day, sequence=sequence
    )


async def reserve(session: AsyncSession, used: Mapping[tuple[str, date], int]) -> None:
    """Raise the counters of these (agency, day) pairs to at least the sequence given, so that
    codes a backfill wrote itself (the demo data) are never issued again."""
    if not used:
        return
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    table = DossierCodeCounterRow.__table__
    insert = dialect.insert(table)
    greatest = func.max if dialect is sqlite else func.greatest
    statement = insert.on_conflict_do_update(
        index_elements=["agency", "day"],
        set_={"last": greatest(table.c.last, insert.excluded.last)},
    )
    await session.execute(
        statement, [{"agency": a, "day": d, "last": last} for (a, d), last in used.items()]
    )
