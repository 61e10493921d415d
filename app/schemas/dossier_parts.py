"""The members of the common dossier (STANDARD.md section 3): codes, vocabularies and the
nested objects a dossier holds."""

from enum import StrEnum
from typing import Annotated

from pydantic import (
    AfterValidator,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from app.domain import identifiers
from app.schemas.base import Text, Timestamp, WireModel

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
        Field(
            description="Commune code (mã xã), 5 digits, of a commune in `provinceCode`.",
            examples=["14797"],
        ),
    ] = None

    @field_validator("commune_code")
    @classmethod
    def _commune_in_its_province(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        identifiers.commune_code(value)
        province = info.data.get("province_code")
        if province is not None and identifiers.commune_province(value) != province:
            raise ValueError(f"commune {value} is not in province {province}")
        return value


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

    @field_validator("id_number")
    @classmethod
    def _id_number_fits_its_type(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        if info.data.get("id_type") in (None, IdType.CCCD):
            return identifiers.personal_id(value)
        if not value.isalnum() or not 6 <= len(value) <= 20:
            raise ValueError("a passport number is 6 to 20 letters and digits")
        return value


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
    amount: Annotated[
        int, Field(ge=0, le=10**15, description="Amount in whole VND (số tiền).", examples=[0])
    ]
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
        Field(ge=0, le=2**63 - 1, description="The record's version there; newer is larger."),
    ] = None
    updated_at: Annotated[Timestamp, Field(description="When the source last changed it.")]
