"""The common dossier (hồ sơ) of STANDARD.md section 3: the public contract of the hub."""

from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from app.domain import identifiers
from app.domain.status import Status
from app.schemas.base import ResponseModel, Text, Timestamp, WireModel

DossierCode = Annotated[
    str,
    AfterValidator(identifiers.dossier_code),
    Field(
        description="Dossier code (mã số hồ sơ): `<agencyCode>-<YYMMDD>-<NNNN>`.",
        examples=["000.00.00.H56-251127-0012"],
    ),
]
AgencyCode = Annotated[
    str,
    AfterValidator(identifiers.agency_code),
    Field(
        description="Agency code (mã định danh cơ quan, QCVN 102:2016): `ddd.dd.dd.Ldd`.",
        examples=["000.00.00.H56"],
    ),
]
ProcedureCode = Annotated[str, AfterValidator(identifiers.procedure_code)]
ShortText = Annotated[Text, StringConstraints(min_length=1, max_length=500)]
Url = Annotated[str, StringConstraints(pattern=r"^https?://\S+$", max_length=2000)]


class Channel(StrEnum):
    """Kênh thực hiện: DVCQG KenhThucHien 1 counter, 2 online, 3 postal."""

    COUNTER = "counter"
    ONLINE = "online"
    POSTAL = "postal"


class ApplicantKind(StrEnum):
    """Loại đối tượng: citizen (công dân), enterprise (doanh nghiệp), agency (cơ quan nhà
    nước), organization (tổ chức khác)."""

    CITIZEN = "citizen"
    ENTERPRISE = "enterprise"
    AGENCY = "agency"
    ORGANIZATION = "organization"


class IdType(StrEnum):
    """Loại giấy tờ tùy thân: the 12-digit citizen ID (CCCD) or a passport (hộ chiếu)."""

    CCCD = "cccd"
    PASSPORT = "passport"


class ReturnMethod(StrEnum):
    """Hình thức trả kết quả."""

    COUNTER = "counter"
    POSTAL = "postal"
    ELECTRONIC = "electronic"


class DocumentKind(StrEnum):
    """Loại giấy tờ: submitted (thành phần hồ sơ nộp), result (kết quả), supplement (bổ sung)."""

    SUBMITTED = "submitted"
    RESULT = "result"
    SUPPLEMENT = "supplement"


class RatingValue(StrEnum):
    """Mức độ hài lòng."""

    VERY_SATISFIED = "very_satisfied"
    SATISFIED = "satisfied"
    DISSATISFIED = "dissatisfied"


class Procedure(WireModel):
    """The administrative procedure (thủ tục hành chính, TTHC) the dossier is filed under."""

    code: Annotated[
        ProcedureCode,
        Field(
            description="TTHC code (mã TTHC) `d.dddddd`, optionally with a local suffix.",
            examples=["1.001193"],
        ),
    ]
    name: Annotated[
        ShortText | None,
        Field(description="Procedure name (tên TTHC).", examples=["Thủ tục đăng ký khai sinh"]),
    ] = None
    field_code: Annotated[
        str | None,
        Field(description="Field code (mã lĩnh vực).", max_length=50, examples=["G09-HT"]),
    ] = None


class Address(WireModel):
    """Địa chỉ: the address text and its administrative units after the 2025 reorganisation."""

    text: Annotated[
        Text,
        Field(
            description="Address as written (địa chỉ).",
            max_length=500,
            examples=["Số 12 đường Lê Lợi, phường Hạc Thành"],
        ),
    ]
    province_code: Annotated[
        str | None,
        AfterValidator(lambda v: v if v is None else identifiers.province_code(v)),
        Field(
            description="Province code (mã tỉnh), one of the 34 since 1 July 2025.", examples=["38"]
        ),
    ] = None
    commune_code: Annotated[
        str | None,
        AfterValidator(lambda v: v if v is None else identifiers.commune_code(v)),
        Field(description="Commune code (mã xã), 5 digits.", examples=["14832"]),
    ] = None


class Applicant(WireModel):
    """Chủ hồ sơ: the person or organisation the dossier is for."""

    kind: Annotated[ApplicantKind, Field(description="Loại đối tượng.")]
    name: Annotated[
        ShortText, Field(description="Full name (họ tên / tên tổ chức).", examples=["Lê Thị Hương"])
    ]
    id_type: Annotated[
        IdType | None,
        Field(description="Kind of `idNumber`; defaults to `cccd` when a number is given."),
    ] = None
    id_number: Annotated[
        str | None,
        Field(
            description="Personal ID (số định danh cá nhân / CCCD, 12 digits) or passport number.",
            max_length=20,
            examples=["038190012345"],
        ),
    ] = None
    tax_code: Annotated[
        str | None,
        AfterValidator(lambda v: v if v is None else identifiers.tax_code(v)),
        Field(
            description="Tax code (mã số thuế): 10 digits, or `10-3` for a branch.",
            examples=["0100109106"],
        ),
    ] = None
    phone: Annotated[
        str | None,
        Field(
            description="Phone (số điện thoại).",
            pattern=r"^\+?[0-9 .-]{6,20}$",
            examples=["0912345678"],
        ),
    ] = None
    email: Annotated[
        str | None,
        Field(
            description="Email (thư điện tử).",
            pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
            max_length=254,
            examples=["huong.le@example.vn"],
        ),
    ] = None
    address: Annotated[Address | None, Field(description="Địa chỉ.")] = None

    @model_validator(mode="after")
    def _id_number_fits_its_type(self) -> "Applicant":
        if self.id_number is None:
            if self.id_type is not None:
                raise ValueError("idType is given without an idNumber")
            return self
        if self.id_type in (None, IdType.CCCD):
            identifiers.personal_id(self.id_number)
        elif not self.id_number.isalnum() or not 6 <= len(self.id_number) <= 20:
            raise ValueError("a passport number is 6 to 20 letters and digits")
        return self


class Document(WireModel):
    """Giấy tờ / tệp: files travel as a URL plus hash, never as bytes inside the dossier."""

    id: Annotated[
        str,
        Field(min_length=1, max_length=100, description="Document id (mã tệp).", examples=["f-1"]),
    ]
    kind: Annotated[DocumentKind, Field(description="Loại giấy tờ.")]
    name: Annotated[ShortText, Field(description="Name (tên giấy tờ).", examples=["Tờ khai.pdf"])]
    component_code: Annotated[
        str | None,
        Field(
            description="Dossier component code (mã thành phần hồ sơ).",
            max_length=100,
            examples=["TK01"],
        ),
    ] = None
    url: Annotated[
        Url,
        Field(
            description="Where the file is (đường dẫn tệp).",
            examples=["https://files.example.vn/f-1"],
        ),
    ]
    sha256: Annotated[
        str | None, Field(description="SHA-256 of the file, hex.", pattern=r"^[0-9a-f]{64}$")
    ] = None
    size: Annotated[int | None, Field(ge=0, description="Size in bytes.")] = None
    media_type: Annotated[
        str | None, Field(max_length=200, description="Media type.", examples=["application/pdf"])
    ] = None
    digitised: Annotated[bool, Field(description="Digitised (được số hóa).")] = False
    reused: Annotated[bool, Field(description="Reused from an earlier dossier (tái sử dụng).")] = (
        False
    )


class Fee(WireModel):
    """Phí, lệ phí."""

    code: Annotated[str | None, Field(max_length=100, description="Fee code (mã phí).")] = None
    name: Annotated[
        ShortText,
        Field(description="Fee name (tên phí, lệ phí).", examples=["Lệ phí đăng ký khai sinh"]),
    ]
    amount: Annotated[int, Field(ge=0, description="Amount in whole VND (số tiền).", examples=[0])]
    paid_at: Annotated[Timestamp | None, Field(description="When paid (ngày nộp).")] = None
    paid_online: Annotated[bool, Field(description="Paid online (thanh toán trực tuyến).")] = False


class Supplement(WireModel):
    """Yêu cầu bổ sung: the processing clock pauses between request and receipt."""

    requested_at: Annotated[Timestamp, Field(description="When requested (ngày yêu cầu).")]
    reason: Annotated[Text, Field(max_length=2000, description="What is missing (nội dung).")]
    received_at: Annotated[
        Timestamp | None, Field(description="When the supplement arrived (ngày nhận bổ sung).")
    ] = None


class Extension(WireModel):
    """Gia hạn: a new appointment after an apology letter (thư xin lỗi, hẹn lại)."""

    issued_at: Annotated[Timestamp, Field(description="When the letter was issued.")]
    reason: Annotated[Text, Field(max_length=2000, description="Reason (lý do).")]
    previous_due_at: Annotated[Timestamp, Field(description="Appointment before (hẹn trước).")]
    new_due_at: Annotated[Timestamp, Field(description="New appointment (hẹn mới).")]


class Rating(WireModel):
    """Đánh giá mức độ hài lòng."""

    value: RatingValue
    comment: Annotated[Text | None, Field(max_length=2000)] = None
    at: Timestamp


class Source(WireModel):
    """Who sent this snapshot and how new it is (hệ thống nguồn)."""

    system: Annotated[
        str,
        Field(
            min_length=1,
            max_length=100,
            description="Sending system's name.",
            examples=["motcua-thanhhoa"],
        ),
    ]
    record_id: Annotated[
        str | None, Field(max_length=200, description="The record's id there.")
    ] = None
    version: Annotated[
        int | None,
        Field(ge=0, description="The record's version there; newer is larger."),
    ] = None
    updated_at: Annotated[Timestamp, Field(description="When the source last changed it.")]


READ_ONLY_MEMBERS = frozenset({"version", "createdAt", "updatedAt", "overdue"})

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
            "communeCode": "14832",
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
    documents: Annotated[list[Document], Field(max_length=500)] = []
    fees: Annotated[list[Fee], Field(max_length=100)] = []
    supplements: Annotated[list[Supplement], Field(max_length=100)] = []
    extensions: Annotated[list[Extension], Field(max_length=100)] = []
    rating: Annotated[Rating | None, Field(description="Đánh giá.")] = None
    source: Annotated[Source, Field(description="Hệ thống nguồn.")]
    ext: Annotated[
        dict[str, dict[str, Any]],
        Field(
            description="Members a system carries that the schema does not model, "
            "namespaced by system (`ext.dvcqg`, `ext.legacyXml`)."
        ),
    ] = {}

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
