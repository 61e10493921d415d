"""What a subscription receives for one change, in its format (STANDARD.md section 5,
"Delivery"): pure rendering, the sending is the delivery worker's.

- `common`: `{"id", "type", "dossierCode", "at", "dossier"}`.
- `dvcqg`: the portal's own payloads (ADAPTERS.md section 1): DongBoHoSoMC on a create (as
  new) and on changes of the dossier's content (as an update); a CapNhatTienDoHoSoMC progress
  record on each status change and step.
- any other adapter: its native document of the dossier, whatever the change.
"""

from typing import Any

import orjson

from app.adapters.base import Adapter
from app.adapters.dvcqg.translation import SYSTEM as DVCQG
from app.adapters.dvcqg.translation import native_date
from app.domain.status import DVCQG_CODE, LABEL_VI, Status

COMMON = "common"
PROGRESS_TYPES = frozenset({"dossier.status_changed", "dossier.step_added"})


def payload(
    adapter: Adapter | None,
    change: dict[str, Any],
    dossier: dict[str, Any],
    entry: dict[str, Any],
) -> bytes:
    """The body of one delivery. `change` is the feed item, `dossier` the common dossier after
    it and `entry` the data of its history entry."""
    if adapter is None:
        return orjson.dumps(
            {
                "id": change["id"],
                "type": change["type"],
                "dossierCode": change["dossierCode"],
                "at": change["at"],
                "dossier": dossier,
            }
        )
    if adapter.system == DVCQG:
        if change["type"] in PROGRESS_TYPES:
            return orjson.dumps([progress_record(change, dossier, entry)])
        updating = "False" if change["type"] == "dossier.created" else "True"
        return orjson.dumps({"isUpdating": updating, "data": [adapter.outbound(dossier)]})
    return adapter.render([adapter.outbound(dossier)])


def as_update(body: bytes) -> bytes:
    """A DongBoHoSoMC payload sent as new, sent again as an update (the portal already had it)."""
    document = orjson.loads(body)
    return orjson.dumps({**document, "isUpdating": "True"})


def progress_record(
    change: dict[str, Any], dossier: dict[str, Any], entry: dict[str, Any]
) -> dict[str, str]:
    """A step, or a status change, as the portal's progress record."""
    status = Status(change["status"])
    record: dict[str, str] = {
        "MaHoSo": change["dossierCode"],
        "TrangThai": str(DVCQG_CODE[status]),
        "ThoiDiemXuLy": native_date(change["at"]),
    }
    step = entry.get("step")
    if step is not None:
        record |= {
            "NguoiXuLy": step["handler"],
            "PhongBanXuLy": step["unit"],
            "NoiDungXuLy": step["content"],
        }
        if step.get("title"):
            record["ChucDanh"] = step["title"]
        if step.get("stepDueAt"):
            record["NgayKetThucTheoQuyDinh"] = native_date(step["stepDueAt"])
        return record
    actor = entry.get("actor") or {}
    source = entry.get("source") or {}
    record["NguoiXuLy"] = actor.get("name") or source.get("system") or dossier["handlingAgency"]
    if actor.get("title"):
        record["ChucDanh"] = actor["title"]
    if actor.get("unit"):
        record["PhongBanXuLy"] = actor["unit"]
    record["NoiDungXuLy"] = entry.get("note") or entry.get("reason") or LABEL_VI[status]
    if dossier.get("dueAt"):
        record["NgayKetThucTheoQuyDinh"] = native_date(dossier["dueAt"])
    return record
