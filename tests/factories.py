"""Realistic test data: snapshots built from the Swagger example, varied on demand."""

import copy
from typing import Any

from app.schemas.dossier import SNAPSHOT_EXAMPLE

CODE = SNAPSHOT_EXAMPLE["code"]


def code_of(sequence: int, agency: str = "000.00.00.H56", day: str = "251127") -> str:
    return f"{agency}-{day}-{sequence:04d}"


def snapshot(*, source_version: int | None = 3, **changes: Any) -> dict[str, Any]:
    """A valid snapshot (the Swagger example) with members replaced by `changes`."""
    data: dict[str, Any] = copy.deepcopy(SNAPSHOT_EXAMPLE)
    data.update(changes)
    if source_version is None:
        data["source"].pop("version", None)
    elif "source" not in changes:
        data["source"]["version"] = source_version
    return data


ACTOR: dict[str, Any] = {"name": "Nguyễn Văn Bình", "title": "Chuyên viên", "unit": "Phòng Tư pháp"}


def source(
    version: int | None = 3,
    updated_at: str = "2025-11-27T08:31:00+07:00",
    system: str = "motcua-thanhhoa",
) -> dict[str, Any]:
    """The `source` member of a snapshot; `version=None` leaves the version out."""
    data: dict[str, Any] = {"system": system, "recordId": "HS-2025-0012", "updatedAt": updated_at}
    if version is not None:
        data["version"] = version
    return data


def status_change(
    status: str, at: str = "2025-11-28T10:00:00+07:00", **changes: Any
) -> dict[str, Any]:
    """The body of `POST /dossiers/{code}/status`."""
    return {"status": status, "at": at, "actor": dict(ACTOR), **changes}


def step(**changes: Any) -> dict[str, Any]:
    """The body of `POST /dossiers/{code}/steps`."""
    return {
        "at": "2025-11-27T14:00:00+07:00",
        "handler": "Nguyễn Văn Bình",
        "title": "Chuyên viên",
        "unit": "Phòng Tư pháp",
        "content": "Thẩm định hồ sơ",
        **changes,
    }


def extension(new_due_at: str = "2025-12-03T17:00:00+07:00", **changes: Any) -> dict[str, Any]:
    """The body of `POST /dossiers/{code}/extensions`."""
    return {
        "issuedAt": "2025-11-28T16:00:00+07:00",
        "reason": "Cần xác minh thêm thông tin",
        "newDueAt": new_due_at,
        **changes,
    }


def agency(**changes: Any) -> dict[str, Any]:
    """The body of `PUT /agencies/{code}`: a commune agency of Thanh Hóa."""
    return {
        "name": "Ủy ban nhân dân xã Hoằng Hóa",
        "level": "commune",
        "parent": "000.00.00.H38",
        "provinceCode": "38",
        **changes,
    }


def procedure(**changes: Any) -> dict[str, Any]:
    """The body of `PUT /procedures/{code}`."""
    return {
        "name": "Thủ tục đăng ký giám hộ",
        "fieldCode": "G09-HT",
        "processingLimit": {"value": 3, "unit": "working_days"},
        "fees": [{"name": "Lệ phí đăng ký giám hộ", "amount": 0}],
        "issuesResult": True,
        **changes,
    }


def undated(procedure_code: str = "1.000894", **changes: Any) -> dict[str, Any]:
    """A received snapshot without `dueAt`, so that the hub computes it."""
    data = snapshot(
        procedure={"code": procedure_code, "name": "Thủ tục đăng ký kết hôn"},
        submittedAt="2026-03-09T08:00:00+07:00",
        receivedAt="2026-03-09T08:30:00+07:00",
        **changes,
    )
    if "dueAt" not in changes:
        del data["dueAt"]
    return data
