"""Catalogs: agencies, procedures and administrative units; the calendar and due dates."""

from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field

from app.domain import identifiers
from app.domain.deadlines import LimitUnit
from app.schemas.base import ResponseModel, Text, Timestamp, WireModel
from app.schemas.dossier_parts import AgencyCode

ProvinceCode = Annotated[str, AfterValidator(identifiers.province_code)]


class AgencyLevel(StrEnum):
    """Cấp: central (trung ương: ministries and their departments), province (tỉnh), commune
    (xã)."""

    CENTRAL = "central"
    PROVINCE = "province"
    COMMUNE = "commune"


class AgencyIn(WireModel):
    """Cơ quan, đơn vị: what an administrator sets."""

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "name": "Ủy ban nhân dân tỉnh Thanh Hóa",
                    "level": "province",
                    "provinceCode": "38",
                }
            ]
        }
    }

    name: Annotated[Text, Field(min_length=1, max_length=300, description="Tên cơ quan.")]
    level: Annotated[AgencyLevel, Field(description="Cấp.")]
    parent: Annotated[AgencyCode | None, Field(description="Parent agency (cơ quan cấp trên).")] = (
        None
    )
    province_code: Annotated[
        ProvinceCode | None,
        Field(description="Province (tỉnh) of a provincial or commune agency.", examples=["38"]),
    ] = None


class Agency(AgencyIn):
    code: AgencyCode
    updated_at: Timestamp


class ProcessingLimit(WireModel):
    """Thời hạn giải quyết."""

    value: Annotated[int, Field(ge=0, le=3650, examples=[3])]
    unit: Annotated[
        LimitUnit,
        Field(
            description="working_days (ngày làm việc), working_hours (giờ làm việc) or days (ngày)."
        ),
    ]


class ProcedureFee(WireModel):
    code: Annotated[str | None, Field(max_length=100)] = None
    name: Annotated[Text, Field(min_length=1, max_length=500, examples=["Lệ phí đăng ký kết hôn"])]
    amount: Annotated[int, Field(ge=0, le=10**15, description="Whole VND.", examples=[0])]


class ProcedureIn(WireModel):
    """Thủ tục hành chính: what an administrator sets."""

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "name": "Thủ tục đăng ký kết hôn",
                    "fieldCode": "G09-HT",
                    "processingLimit": {"value": 5, "unit": "working_days"},
                    "fees": [{"name": "Lệ phí đăng ký kết hôn", "amount": 0}],
                    "issuesResult": True,
                }
            ]
        }
    }

    name: Annotated[Text, Field(min_length=1, max_length=500, description="Tên thủ tục.")]
    field_code: Annotated[str | None, Field(max_length=50, description="Mã lĩnh vực.")] = None
    processing_limit: ProcessingLimit
    fees: Annotated[list[ProcedureFee], Field(max_length=50, default_factory=list)]
    issues_result: Annotated[
        bool, Field(description="Whether it issues a result document (có kết quả giấy tờ).")
    ] = True


class Procedure(ProcedureIn):
    code: str
    updated_at: Timestamp


class AgencyPage(ResponseModel):
    items: list[Agency]
    next_cursor: str | None


class ProcedurePage(ResponseModel):
    items: list[Procedure]
    next_cursor: str | None


class ProvinceUnit(ResponseModel):
    """A province (tỉnh, thành phố trực thuộc trung ương) since 1 July 2025."""

    code: Annotated[str, Field(examples=["38"])]
    name: Annotated[str, Field(examples=["Thanh Hóa"])]
    division_type: Annotated[str, Field(examples=["tỉnh"])]


class CommuneUnit(ResponseModel):
    """A commune-level unit (xã, phường, đặc khu) since 1 July 2025."""

    code: Annotated[str, Field(examples=["14797"])]
    name: Annotated[str, Field(examples=["Phường Hạc Thành"])]
    division_type: Annotated[str, Field(examples=["phường"])]
    province_code: str


class DayKind(StrEnum):
    HOLIDAY = "holiday"
    DAY_OFF = "day_off"
    WORKED_WEEKEND = "worked_weekend"
    WORKING_DAY = "working_day"


class CalendarDay(ResponseModel):
    """A day that is not what its weekday says: a holiday, a day off, a worked weekend day, or a
    day an administrator corrected."""

    date: date
    working: bool
    kind: DayKind
    name: str
    source: Annotated[
        str,
        Field(description="`library` (the holidays package) or `override` (set through this API)."),
    ]


class CalendarYear(ResponseModel):
    year: int
    office_hours: Annotated[list[str], Field(examples=[["07:30-11:30", "13:00-17:00"]])]
    days: list[CalendarDay]


class CalendarOverride(WireModel):
    """A correction of the calendar: a day off (nghỉ) or a worked day (làm bù, or a cancelled
    holiday)."""

    model_config = {
        "json_schema_extra": {"examples": [{"working": True, "name": "Làm bù cho ngày nghỉ 2/1"}]}
    }

    working: Annotated[bool, Field(description="true: a working day; false: a day off.")]
    name: Annotated[Text, Field(min_length=1, max_length=200, description="Why (lý do).")]


class DueDate(ResponseModel):
    from_: Annotated[Timestamp, Field(alias="from")]
    value: int
    unit: LimitUnit
    due_at: Timestamp


class DossierCodeRequest(WireModel):
    model_config = {"json_schema_extra": {"examples": [{"agency": "000.00.00.H56"}]}}

    agency: Annotated[AgencyCode, Field(description="The receiving agency (cơ quan tiếp nhận).")]


class IssuedDossierCode(ResponseModel):
    code: Annotated[str, Field(examples=["000.00.00.H56-251127-0001"])]
    agency: str
    day: date
    sequence: int
