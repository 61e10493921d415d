"""Reports (STANDARD.md section 5): the Decision 766/QĐ-TTg indicators over a period."""

from typing import Annotated

from fastapi import APIRouter, Query

from app.api.dependencies import SessionDep
from app.api.problems import documented
from app.api.routing import UnitOfWorkRoute
from app.api.security import StatusReader, status_readers
from app.domain.indicators import Period
from app.schemas.catalog import ProvinceCode
from app.schemas.reports import AgencyPattern, Day, IndicatorReport
from app.services import reports

router = APIRouter(
    prefix="/reports",
    tags=["Reports"],
    route_class=UnitOfWorkRoute,
    responses=documented(401, 403, 429),
)


@router.get(
    "/indicators",
    summary="Service indicators over a period",
    response_model=IndicatorReport,
    responses=documented(422),
    openapi_extra=status_readers.openapi,
)
async def get_indicators(
    who: StatusReader,
    session: SessionDep,
    from_: Annotated[
        Day,
        Query(
            alias="from", description="First day, included (Vietnam time).", examples=["2026-01-01"]
        ),
    ],
    to: Annotated[
        Day, Query(description="Last day, included (Vietnam time).", examples=["2026-03-31"])
    ],
    agency: Annotated[
        AgencyPattern | None,
        Query(
            description="Dossiers received or handled by this agency; `*` stands for any value "
            "of one level (`*.*.*.H56`: every agency of H56).",
            examples=["000.00.00.H56"],
        ),
    ] = None,
    province: Annotated[
        ProvinceCode | None,
        Query(description="Dossiers whose applicant lives in this province.", examples=["56"]),
    ] = None,
) -> IndicatorReport:
    """The indicators of Decision 766/QĐ-TTg the hub can compute: `onTime`, `online`,
    `electronicResult`, `digitisation`, `reuse` and `satisfaction`, each as numerator,
    denominator and a percentage with two decimals (null over nothing). They count the dossiers
    received in the period; `onTime` and `satisfaction` also those received earlier and still
    open at its start. A province or ministry counts only the dossiers it sees; the portal and
    operators count every dossier. See docs/decisions.md for how each is read."""
    ratios = await reports.indicators(
        session, who, Period(from_, to), reports.ReportFilter(agency=agency, province=province)
    )
    return IndicatorReport.model_validate(
        {
            "from": from_,
            "to": to,
            "agency": agency,
            "province": province,
            "indicators": {
                name: {"numerator": r.numerator, "denominator": r.denominator, "rate": r.rate}
                for name, r in ratios.items()
            },
        }
    )
