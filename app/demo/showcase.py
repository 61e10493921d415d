"""The dossier of the API's documentation examples, `000.00.00.H56-251127-0012`, with a whole
life: so that Swagger UI's "Try it out" with the example values it fills in finds a dossier
(its read, status, history, transfer), and every demo client can read it."""

import copy
from datetime import datetime

from app.demo.arrivals import DemoDossier
from app.demo.cast import DEMO_PROVINCE, MINISTRY_UNIT
from app.demo.lifecycle import Event
from app.schemas.acts import Step
from app.schemas.dossier import SNAPSHOT_EXAMPLE
from app.schemas.transfers import TRANSFER_REQUEST_EXAMPLE, TransferCompletion

CODE = str(SNAPSHOT_EXAMPLE["code"])
ACTOR = {"name": "Nguyễn Văn Bình", "title": "Chuyên viên", "unit": "Phòng Tư pháp"}


def _at(text: str) -> datetime:
    return datetime.fromisoformat(f"2025-11-{text}:00+07:00")


def _example(model: type, index: int = 0) -> dict[str, object]:
    examples: list[dict[str, object]] = model.model_config["json_schema_extra"]["examples"]  # type: ignore[attr-defined]
    return copy.deepcopy(examples[index])


def dossier() -> DemoDossier:
    step = _example(Step)
    completion = _example(TransferCompletion)
    moments = {
        "accept": _at("27T16:10"),
        "checked": _at("28T08:30"),
        "complete": _at("28T09:30"),
        "resolved": _at("28T10:00"),
        "returned": _at("28T15:00"),
        "rating": _at("28T20:15"),
    }
    events = [
        Event(_at("27T14:00"), "step", step),
        Event(_at("27T15:00"), "transfer", copy.deepcopy(TRANSFER_REQUEST_EXAMPLE)),
        Event(moments["accept"], "accept", {}, by="ministry"),
        Event(moments["checked"], "step", {
            "at": moments["checked"].isoformat(), "handler": "Trần Thị Mai",
            "title": "Chuyên viên", "unit": MINISTRY_UNIT,
            "content": "Thẩm định hồ sơ khai sinh có yếu tố nước ngoài",
        }, by="ministry"),
        Event(moments["complete"], "complete", completion, by="ministry"),
        Event(moments["resolved"], "status", {
            "status": "resolved", "at": moments["resolved"].isoformat(), "actor": ACTOR,
            "note": "Đã có giấy khai sinh",
        }),
        Event(_at("28T10:05"), "result", {
            "id": "kq-khai-sinh-0012", "kind": "result", "name": "Giấy khai sinh (bản điện tử)",
            "componentCode": "KQ", "url": "https://files.example.vn/kq-khai-sinh-0012",
        }),
        Event(moments["returned"], "status", {
            "status": "returned", "at": moments["returned"].isoformat(), "actor": ACTOR,
            "note": "Đã trả kết quả điện tử cho người yêu cầu",
        }),
        Event(moments["rating"], "rating", {
            "value": "very_satisfied", "comment": "Thủ tục nhanh gọn, cán bộ nhiệt tình",
            "at": moments["rating"].isoformat(),
        }),
    ]  # fmt: skip
    return DemoDossier(CODE, DEMO_PROVINCE, copy.deepcopy(SNAPSHOT_EXAMPLE), events, True)
