"""Commands on one dossier: an explicit status change, a processing step, an extension."""

from typing import Annotated

from pydantic import Field

from app.domain.status import Status
from app.schemas.base import Text, Timestamp, WireModel


class Actor(WireModel):
    """Người thực hiện: who acted."""

    name: Annotated[Text, Field(min_length=1, max_length=200, examples=["Nguyễn Văn Bình"])]
    title: Annotated[Text | None, Field(max_length=200, examples=["Chuyên viên"])] = None
    unit: Annotated[Text | None, Field(max_length=200, examples=["Phòng Tư pháp"])] = None


class StatusChange(WireModel):
    """An explicit status change: a direct move of the status machine."""

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "status": "resolved",
                    "at": "2025-11-28T10:00:00+07:00",
                    "actor": {
                        "name": "Nguyễn Văn Bình",
                        "title": "Chuyên viên",
                        "unit": "Phòng Tư pháp",
                    },
                    "note": "Đã có giấy khai sinh",
                }
            ]
        }
    }

    status: Annotated[Status, Field(description="The new status (trạng thái mới).")]
    at: Annotated[Timestamp, Field(description="When it changed (thời điểm).")]
    actor: Actor
    note: Annotated[Text | None, Field(max_length=2000, description="Ghi chú.")] = None
    reason: Annotated[
        Text | None,
        Field(
            max_length=2000,
            description="Reason (lý do): for a refusal, a stop, or what a "
            "supplement request asks for.",
        ),
    ] = None


class Step(WireModel):
    """A processing step (tiến trình xử lý / phiếu kiểm soát quá trình giải quyết)."""

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "at": "2025-11-27T14:00:00+07:00",
                    "handler": "Nguyễn Văn Bình",
                    "title": "Chuyên viên",
                    "unit": "Phòng Tư pháp",
                    "content": "Thẩm định hồ sơ",
                    "stepDueAt": "2025-11-28T10:00:00+07:00",
                }
            ]
        }
    }

    at: Annotated[Timestamp, Field(description="When the step was taken (thời điểm xử lý).")]
    handler: Annotated[Text, Field(min_length=1, max_length=200, description="Người xử lý.")]
    title: Annotated[Text | None, Field(max_length=200, description="Chức danh.")] = None
    unit: Annotated[Text, Field(min_length=1, max_length=200, description="Phòng ban xử lý.")]
    content: Annotated[Text, Field(min_length=1, max_length=4000, description="Nội dung xử lý.")]
    step_due_at: Annotated[
        Timestamp | None, Field(description="When this step is due (hạn xử lý bước).")
    ] = None


class ExtensionRequest(WireModel):
    """A new appointment after an apology letter (thư xin lỗi và hẹn lại ngày trả kết quả)."""

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "issuedAt": "2025-11-28T16:00:00+07:00",
                    "reason": "Cần xác minh thêm thông tin",
                    "newDueAt": "2025-12-03T17:00:00+07:00",
                }
            ]
        }
    }

    issued_at: Annotated[Timestamp, Field(description="When the letter was issued.")]
    reason: Annotated[Text, Field(min_length=1, max_length=2000, description="Lý do.")]
    new_due_at: Annotated[Timestamp, Field(description="The new appointment (ngày hẹn mới).")]
