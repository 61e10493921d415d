"""Progress reported in the national portal's format: each record is a processing step and,
when it says so, a status change; each record stands or falls alone (a savepoint each)."""

from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from app.adapters.base import Translation
from app.domain.access import Principal
from app.domain.calendar import OfficeHours
from app.domain.snapshots import Outcome
from app.errors import DomainError, FieldError, InvalidStatusTransition
from app.schemas.acts import StatusChange, Step
from app.services import acts, feed
from app.services.sync import ItemResult


def _rejected(code: str | None, errors: list[FieldError], problem: str) -> ItemResult:
    return ItemResult(code, Outcome.REJECTED, problem=problem, errors=errors)


async def _apply(
    session: AsyncSession, record: dict[str, Any], hours: OfficeHours, who: Principal
) -> int:
    step = Step.model_validate(record["step"])
    row = await acts.add_step(session, record["code"], step, None, who)
    if record["status"] is not None and record["status"] != row.status:
        change = StatusChange.model_validate(
            {
                "status": record["status"],
                "at": record["step"]["at"],
                "actor": {"name": step.handler, "title": step.title, "unit": step.unit},
            }
        )
        row = await acts.change_status(session, record["code"], change, None, hours, who)
    return row.version


async def record_progress(
    session: AsyncSession, records: list[Translation], hours: OfficeHours, who: Principal
) -> list[ItemResult]:
    results: list[ItemResult] = []
    for record in records:
        code = (record.dossier or {}).get("code")
        if record.dossier is None:
            errors = [FieldError(e.field, e.message) for e in record.errors]
            results.append(_rejected(code, errors, "validation_failed"))
            continue
        try:
            async with feed.savepoint(session):
                version = await _apply(session, record.dossier, hours, who)
        except ValidationError as invalid:
            errors = [
                FieldError(record.paths.get(f"step.{e['loc'][0]}", record.native_path), e["msg"])
                for e in invalid.errors()
            ]
            results.append(_rejected(code, errors, "validation_failed"))
        except DomainError as error:
            field = record.paths.get("code", record.native_path)
            if isinstance(error, InvalidStatusTransition):
                field = f"{record.native_path}.TrangThai"
            results.append(_rejected(code, [FieldError(field, error.detail)], error.code))
        else:
            results.append(ItemResult(code, Outcome.UPDATED, version))
    return results
