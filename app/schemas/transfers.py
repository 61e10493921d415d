"""Transfers (liên thông hồ sơ giữa các cơ quan, các cấp): the commands and the transfer as the
API shows it."""

from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field

from app.schemas.base import ResponseModel, Text, Timestamp, WireModel
from app.schemas.dossier_parts import AgencyCode, Document


class TransferStatus(StrEnum):
    """sent (đã chuyển), accepted (đã tiếp nhận), rejected (từ chối), completed (đã trả lại)."""

    SENT = "sent"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    COMPLETED = "completed"


TRANSFER_REQUEST_EXAMPLE: dict[str, Any] = {
    "toAgency": "000.00.04.G14",
    "purpose": "Xin ý kiến thẩm định của Bộ Tư pháp",
    "dueAt": "2025-12-05T17:00:00+07:00",
    "note": "Hồ sơ khai sinh có yếu tố nước ngoài",
    "documents": [
        {
            "id": "cv-77",
            "kind": "submitted",
            "name": "Công văn đề nghị thẩm định",
            "url": "https://files.example.vn/cv-77",
        }
    ],
}


class TransferRequest(WireModel):
    """Chuyển hồ sơ: send the dossier to another agency or level."""

    model_config = {"json_schema_extra": {"examples": [TRANSFER_REQUEST_EXAMPLE]}}

    to_agency: Annotated[AgencyCode, Field(description="Receiving agency (cơ quan nhận).")]
    purpose: Annotated[Text, Field(min_length=1, max_length=1000, description="Mục đích.")]
    due_at: Annotated[Timestamp | None, Field(description="When the answer is due.")] = None
    note: Annotated[Text | None, Field(max_length=2000, description="Ghi chú.")] = None
    documents: Annotated[
        list[Document], Field(max_length=100, description="Documents sent with the dossier.")
    ] = []


class TransferRejection(WireModel):
    """Từ chối tiếp nhận: the receiver sends the transfer back unaccepted."""

    model_config = {
        "json_schema_extra": {"examples": [{"reason": "Hồ sơ không thuộc thẩm quyền của Bộ"}]}
    }

    reason: Annotated[Text, Field(min_length=1, max_length=2000, description="Lý do.")]


class TransferCompletion(WireModel):
    """Trả kết quả liên thông: the receiver hands the dossier back with its result."""

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "note": "Đã thẩm định, đồng ý",
                    "documents": [
                        {
                            "id": "kq-12",
                            "kind": "result",
                            "name": "Văn bản thẩm định",
                            "url": "https://files.example.vn/kq-12",
                        }
                    ],
                }
            ]
        }
    }

    note: Annotated[Text, Field(min_length=1, max_length=2000, description="Kết quả, ghi chú.")]
    documents: Annotated[
        list[Document],
        Field(max_length=100, description="Result documents, added to the dossier's."),
    ] = []


class Transfer(ResponseModel):
    """A transfer and what each party said."""

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "id": 41,
                    "dossierCode": "000.00.00.H56-251127-0012",
                    "fromAgency": "000.00.00.H56",
                    "status": "accepted",
                    **TRANSFER_REQUEST_EXAMPLE,
                    "sentAt": "2025-11-28T09:00:00+07:00",
                    "acceptedAt": "2025-11-28T14:10:00+07:00",
                }
            ]
        }
    }

    id: int
    dossier_code: str
    from_agency: str
    to_agency: str
    status: TransferStatus
    purpose: str
    due_at: Timestamp | None = None
    note: str | None = None
    documents: list[Document] = []
    sent_at: Timestamp
    accepted_at: Timestamp | None = None
    rejected_at: Timestamp | None = None
    reason: Annotated[str | None, Field(description="Why it was rejected.")] = None
    completed_at: Timestamp | None = None
    result: Annotated[
        TransferCompletion | None, Field(description="What the receiver handed back.")
    ] = None


class TransferPage(ResponseModel):
    items: list[Transfer]
    next_cursor: Annotated[
        str | None, Field(description="Cursor of the next page; null at the end.")
    ]
