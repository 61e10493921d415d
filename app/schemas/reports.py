"""Reports (STANDARD.md section 5): the indicators of Decision 766/QĐ-TTg over a period."""

import re
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field

from app.domain.access import agency_pattern
from app.schemas.base import EARLIEST_YEAR, LATEST_YEAR, ResponseModel

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(value: Any) -> Any:
    if isinstance(value, str) and not _DAY.fullmatch(value):
        raise ValueError("a day is written YYYY-MM-DD")
    return value


def _plausible_day(value: date) -> date:
    if not EARLIEST_YEAR < value.year < LATEST_YEAR:
        raise ValueError(f"the day must lie between {EARLIEST_YEAR} and {LATEST_YEAR}")
    return value


Day = Annotated[date, BeforeValidator(_iso_day), AfterValidator(_plausible_day)]
"""A calendar day, `YYYY-MM-DD`, read in Vietnam time."""

AgencyPattern = Annotated[str, AfterValidator(agency_pattern)]
"""An agency code, or a pattern with `*` for any value of one level (`*.*.*.H56`)."""


class Indicator(ResponseModel):
    numerator: int
    denominator: int
    rate: Annotated[
        float | None,
        Field(description="numerator / denominator in percent, two decimals; null when 0/0."),
    ]


class Indicators(ResponseModel):
    on_time: Annotated[
        Indicator,
        Field(description="Finished on or before dueAt, or open and not yet due (đúng hạn)."),
    ]
    online: Annotated[Indicator, Field(description="Received online (trực tuyến).")]
    electronic_result: Annotated[
        Indicator,
        Field(
            description="With a result document at a URL, over those whose procedure issues one "
            "(kết quả điện tử)."
        ),
    ]
    digitisation: Annotated[
        Indicator,
        Field(
            description="With submitted documents and, where the procedure issues a result, an "
            "electronic one (số hóa)."
        ),
    ]
    reuse: Annotated[Indicator, Field(description="With a document marked reused (tái sử dụng).")]
    satisfaction: Annotated[
        Indicator,
        Field(
            description="100 minus the percentages of late and of dissatisfied dossiers, over "
            "the dossiers of onTime (mức độ hài lòng)."
        ),
    ]


class IndicatorReport(ResponseModel):
    """The indicators over the dossiers of a period, narrowed by agency and province."""

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "from": "2026-01-01",
                    "to": "2026-03-31",
                    "agency": "*.*.*.H56",
                    "province": None,
                    "indicators": {
                        "onTime": {"numerator": 1187, "denominator": 1240, "rate": 95.73},
                        "online": {"numerator": 803, "denominator": 1196, "rate": 67.14},
                        "electronicResult": {"numerator": 611, "denominator": 1150, "rate": 53.13},
                        "digitisation": {"numerator": 1032, "denominator": 1196, "rate": 86.29},
                        "reuse": {"numerator": 219, "denominator": 1196, "rate": 18.31},
                        "satisfaction": {"numerator": 1164, "denominator": 1240, "rate": 93.87},
                    },
                }
            ]
        }
    }

    from_: Annotated[date, Field(alias="from", description="First day, included.")]
    to: Annotated[date, Field(description="Last day, included.")]
    agency: Annotated[str | None, Field(description="The agency filter, as asked.")]
    province: Annotated[str | None, Field(description="The province filter, as asked.")]
    indicators: Indicators
