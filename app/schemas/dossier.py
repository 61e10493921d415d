"""The common dossier (hồ sơ) of STANDARD.md section 3: the public contract of the hub."""

from typing import Annotated, Any

from pydantic import Field, ValidationInfo, field_validator, model_validator

from app.domain.status import Status
from app.schemas.base import ResponseModel, Text, Timestamp, WireModel
from app.schemas.dossier_parts import (
    AgencyCode,
    Applicant,
    Channel,
    Document,
    DossierCode,
    Extension,
    Fee,
    Procedure,
    Rating,
    ReturnMethod,
    Source,
    Supplement,
)
from app.schemas.transfers import Transfer

READ_ONLY_MEMBERS = frozenset({"version", "createdAt", "updatedAt", "overdue", "transfer"})

SNAPSHOT_EXAMPLE: dict[str, Any] = {
    "code": "000.00.00.H56-251127-0012",
    "procedure": {"code": "1.001193", "name": "Thủ tục đăng ký khai sinh", "fieldCode": "G09-HT"},
    "receivingAgency": "000.00.00.H56",
    "handlingAgency": "000.00.00.H56",
    "channel": "online",
    "applicant": {
        "kind": "citizen",
        "name": "Lê Thị Hương",
        "idNumber": "038190012345",
        "phone": "0912345678",
        "address": {
            "text": "Số 12 đường Lê Lợi, phường Hạc Thành",
            "provinceCode": "38",
            "communeCode": "14797",
        },
    },
    "summary": "Đăng ký khai sinh cho con",
    "submittedAt": "2025-11-27T08:15:00+07:00",
    "receivedAt": "2025-11-27T08:30:00+07:00",
    "dueAt": "2025-11-28T17:00:00+07:00",
    "status": "processing",
    "returnMethod": "electronic",
    "documents": [
        {
            "id": "f-1",
            "kind": "submitted",
            "name": "Tờ khai đăng ký khai sinh",
            "componentCode": "TK01",
            "url": "https://files.example.vn/f-1",
            "digitised": True,
        }
    ],
    "fees": [{"name": "Lệ phí đăng ký khai sinh", "amount": 0}],
    "source": {
        "system": "motcua-thanhhoa",
        "recordId": "HS-2025-0012",
        "version": 3,
        "updatedAt": "2025-11-27T08:31:00+07:00",
    },
}


class DossierSnapshot(WireModel):
    """A dossier as a source system sends it: every member but the server's own."""

    model_config = {"json_schema_extra": {"examples": [SNAPSHOT_EXAMPLE]}}

    code: DossierCode
    procedure: Annotated[Procedure, Field(description="Thủ tục hành chính.")]
    receiving_agency: Annotated[
        AgencyCode, Field(description="Receiving agency (cơ quan tiếp nhận).")
    ]
    handling_agency: Annotated[
        AgencyCode | None,
        Field(
            description="Agency that holds the dossier now (cơ quan đang xử lý); defaults "
            "to the receiving agency and changes with transfers."
        ),
    ] = None
    channel: Annotated[Channel, Field(description="Kênh thực hiện.")]
    applicant: Annotated[Applicant, Field(description="Chủ hồ sơ.")]
    summary: Annotated[Text | None, Field(max_length=1000, description="Trích yếu hồ sơ.")] = None
    submitted_at: Annotated[Timestamp | None, Field(description="Ngày nộp.")] = None
    received_at: Annotated[Timestamp | None, Field(description="Ngày tiếp nhận.")] = None
    due_at: Annotated[Timestamp | None, Field(description="Appointment (ngày hẹn trả).")] = None
    original_due_at: Annotated[
        Timestamp | None, Field(description="First appointment, kept across extensions.")
    ] = None
    resolved_at: Annotated[
        Timestamp | None, Field(description="Ngày có kết quả (kết thúc xử lý).")
    ] = None
    returned_at: Annotated[Timestamp | None, Field(description="Ngày trả kết quả.")] = None
    status: Annotated[Status, Field(description="Trạng thái hồ sơ (STANDARD.md section 4).")]
    return_method: Annotated[ReturnMethod | None, Field(description="Hình thức trả kết quả.")] = (
        None
    )
    documents: Annotated[list[Document], Field(max_length=500, default_factory=list)]
    fees: Annotated[list[Fee], Field(max_length=100, default_factory=list)]
    supplements: Annotated[list[Supplement], Field(max_length=100, default_factory=list)]
    extensions: Annotated[list[Extension], Field(max_length=100, default_factory=list)]
    rating: Annotated[Rating | None, Field(description="Đánh giá.")] = None
    source: Annotated[Source, Field(description="Hệ thống nguồn.")]
    ext: Annotated[
        dict[str, dict[str, Any]],
        Field(
            description="Members a system carries that the schema does not model, "
            "namespaced by system (`ext.dvcqg`, `ext.legacyXml`).",
            default_factory=dict,
        ),
    ]

    @field_validator("receiving_agency")
    @classmethod
    def _receiving_agency_is_the_codes(cls, value: str, info: ValidationInfo) -> str:
        # The dossier code begins with the receiving agency (section 3): a code is never
        # another agency's to use.
        code = info.data.get("code")
        if code is not None and not code.startswith(f"{value}-"):
            raise ValueError("must be the agency the dossier code begins with")
        return value

    @model_validator(mode="before")
    @classmethod
    def _ignore_read_only_members(cls, data: Any) -> Any:
        if isinstance(data, dict) and READ_ONLY_MEMBERS & data.keys():
            return {k: v for k, v in data.items() if k not in READ_ONLY_MEMBERS}
        return data


class Dossier(DossierSnapshot):
    """A stored dossier: the snapshot plus the members the hub keeps."""

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    **SNAPSHOT_EXAMPLE,
                    "version": 1,
                    "createdAt": "2025-11-27T08:31:02+07:00",
                    "updatedAt": "2025-11-27T08:31:02+07:00",
                    "overdue": False,
                }
            ]
        }
    }

    handling_agency: AgencyCode
    version: Annotated[int, Field(ge=1, description="Version in the hub; the ETag carries it.")]
    created_at: Timestamp
    updated_at: Timestamp
    overdue: Annotated[
        bool,
        Field(
            description="Quá hạn: finished after dueAt, or open past it "
            "(time waiting for a supplement excluded)."
        ),
    ]
    transfer: Annotated[
        Transfer | None,
        Field(description="The open transfer (liên thông), if any: `GET /dossiers/{code}`."),
    ] = None

    @model_validator(mode="before")
    @classmethod
    def _ignore_read_only_members(cls, data: Any) -> Any:
        return data  # a stored dossier carries its read-only members


class DossierListItem(ResponseModel):
    """What a dossier list shows of each dossier."""

    code: str
    procedure_code: str
    receiving_agency: str
    handling_agency: str
    status: Status
    channel: Channel
    received_at: Timestamp | None
    due_at: Timestamp | None
    overdue: bool
    version: int
    updated_at: Timestamp


class ProcedureName(ResponseModel):
    """The procedure as the dossier names it."""

    code: Annotated[str, Field(examples=["1.001193"])]
    name: Annotated[
        str | None,
        Field(description="As the source system sent it; null when it sent none."),
    ]


class StatusProjection(ResponseModel):
    """The compact status of a dossier for the national portal (STANDARD.md section 5)."""

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "code": "000.00.00.H56-251127-0012",
                    "procedure": {"code": "1.001193", "name": "Thủ tục đăng ký khai sinh"},
                    "handlingAgency": "000.00.00.H56",
                    "status": "resolved",
                    "statusCode": 9,
                    "statusLabel": "Đã xử lý xong",
                    "receivedAt": "2025-11-27T08:30:00+07:00",
                    "dueAt": "2025-11-28T17:00:00+07:00",
                    "resolvedAt": "2025-11-28T10:15:00+07:00",
                    "returnedAt": None,
                    "overdue": False,
                    "applicantName": "Lê T** H****",
                }
            ]
        }
    }

    code: str
    procedure: ProcedureName
    handling_agency: Annotated[str, Field(description="Cơ quan đang xử lý.")]
    status: Status
    status_code: Annotated[
        int, Field(ge=1, le=10, description="The status as the DVCQG code (TrangThaiHoSo).")
    ]
    status_label: Annotated[str, Field(description="The status in Vietnamese (trạng thái).")]
    received_at: Timestamp | None
    due_at: Annotated[Timestamp | None, Field(description="Ngày hẹn trả.")]
    resolved_at: Timestamp | None
    returned_at: Timestamp | None
    overdue: Annotated[
        bool,
        Field(
            description="Quá hạn: finished after dueAt, or open past it "
            "(time waiting for a supplement excluded)."
        ),
    ]
    applicant_name: Annotated[
        str,
        Field(
            description="The applicant's name, masked: the first word whole, then each word's "
            "first letter and one `*` per letter after it."
        ),
    ]
