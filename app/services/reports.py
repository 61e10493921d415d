"""Reports: the Decision 766/QĐ-TTg indicators (STANDARD.md section 5) in one aggregate query
over the dossier table and the procedure catalog. What only the JSON body holds (documents,
supplements, the rating) is read there, with each engine's JSON functions, per dossier inside
the same query: no row reaches Python."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, column, exists, func, literal, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from app.db import JSONDocument, UTCDateTime
from app.domain.access import Principal, sql_like
from app.domain.clock import utcnow
from app.domain.indicators import Period, Ratio, satisfaction
from app.domain.status import Status
from app.models import DossierRow, ProcedureRow
from app.services.access import visible_to

# Closed without a result: the agency produced nothing whose timeliness could be judged.
NO_RESULT = (Status.REFUSED.value, Status.WITHDRAWN.value, Status.STOPPED.value)

D = DossierRow


@dataclass(frozen=True)
class ReportFilter:
    agency: str | None = None  # an agency code or pattern: received or handled by it
    province: str | None = None  # the applicant's province, as `GET /dossiers?provinceCode=`


class _Json:
    """The JSON members of the body the indicators need, in one engine's dialect."""

    def __init__(self, dialect: str) -> None:
        self.postgresql = dialect == "postgresql"

    def _any_document(self, condition: Callable[[Any], ColumnElement[bool]]) -> ColumnElement[bool]:
        """The dossier holds a document (an element of `documents`) meeting the condition."""
        if self.postgresql:
            source = func.jsonb_array_elements(D.body["documents"])
        else:
            source = func.json_each(D.body, "$.documents")
        documents = source.table_valued(column("value", JSONDocument)).alias("document")
        return exists().select_from(documents).where(condition(documents.c.value))

    def submitted_document(self) -> ColumnElement[bool]:
        return self._any_document(lambda d: d["kind"].as_string() == "submitted")

    def reused_document(self) -> ColumnElement[bool]:
        return self._any_document(lambda d: d["reused"].as_boolean() == true())

    def result_at_url(self) -> ColumnElement[bool]:
        return self._any_document(
            lambda d: and_(d["kind"].as_string() == "result", d["url"].as_string() != "")
        )

    def supplement_requests(self) -> ColumnElement[int]:
        if self.postgresql:
            length = func.jsonb_array_length(D.body["supplements"])
        else:
            length = func.json_array_length(D.body, "$.supplements")
        return func.coalesce(length, 0)


def _agency(agencies: InstrumentedAttribute[str], pattern: str) -> ColumnElement[bool]:
    return agencies.like(sql_like(pattern)) if "*" in pattern else agencies == pattern


def _filters(f: ReportFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if f.agency is not None:
        conditions.append(
            or_(_agency(D.receiving_agency, f.agency), _agency(D.handling_agency, f.agency))
        )
    if f.province is not None:
        conditions.append(D.province_code == f.province)
    return conditions


async def indicators(
    session: AsyncSession, who: Principal, period: Period, f: ReportFilter
) -> dict[str, Ratio]:
    json = _Json(session.get_bind().dialect.name)
    start, end = period.start, period.end
    judged = literal(period.judged_at(utcnow()), UTCDateTime)

    received = and_(D.received_at >= start, D.received_at < end)
    # Received before the end and not finished before the start: received in the period, or
    # carried over into it. Those closed without a result are not judged.
    handled = or_(D.received_at >= start, D.finished_at.is_(None), D.finished_at >= start)
    judged_on_time = and_(handled, D.status.not_in(NO_RESULT))
    # Late: more than one supplement request, or due before the moment it is judged at: when it
    # finished, when it began waiting for a supplement, or the end of the period (or now).
    # `dueAt` has already moved by the working time waited for supplements.
    late = or_(
        json.supplement_requests() > 1,
        and_(
            D.due_at.is_not(None),
            D.due_at < judged,
            D.due_at < func.coalesce(D.finished_at, D.paused_at, judged),
        ),
    )
    issues_result = ProcedureRow.issues_result.is_(True)
    electronic_result = json.result_at_url()
    dissatisfied = D.body[("rating", "value")].as_string() == "dissatisfied"

    def count(*conditions: ColumnElement[bool]) -> ColumnElement[int]:
        return func.count().filter(and_(*conditions))

    query = (
        select(
            count(received).label("received"),
            count(received, D.channel == "online").label("online"),
            count(received, issues_result).label("issuing"),
            count(received, issues_result, electronic_result).label("electronic_result"),
            count(
                received,
                json.submitted_document(),
                or_(~issues_result, electronic_result),
            ).label("digitised"),
            count(received, json.reused_document()).label("reused"),
            count(judged_on_time).label("judged"),
            count(judged_on_time, late).label("late"),
            count(judged_on_time, dissatisfied).label("dissatisfied"),
        )
        .select_from(D)
        .outerjoin(ProcedureRow, ProcedureRow.code == D.procedure_code)
        .where(D.received_at < end, handled, visible_to(who), *_filters(f))
    )
    row = (await session.execute(query)).one()
    return {
        "onTime": Ratio(row.judged - row.late, row.judged),
        "online": Ratio(row.online, row.received),
        "electronicResult": Ratio(row.electronic_result, row.issuing),
        "digitisation": Ratio(row.digitised, row.received),
        "reuse": Ratio(row.reused, row.received),
        "satisfaction": satisfaction(row.judged, row.late, row.dissatisfied),
    }
