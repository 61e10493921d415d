"""The second round-trip law of ADAPTERS.md for every shipped adapter: a common dossier sent out
and read back is the same dossier, except what the adapter declares lossy (and its time
precision). Dossiers are generated with every member the schema has, lossy ones included."""

import copy
from datetime import datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.adapters.base import Adapter
from app.adapters.lossy import strip
from app.adapters.registry import build
from app.domain.clock import VIETNAM
from app.schemas.dossier import SNAPSHOT_EXAMPLE, DossierSnapshot

ADAPTERS = build()
BASE = datetime(2025, 11, 27, 8, 30, 17, tzinfo=VIETNAM)


def _moment(offset_minutes: int) -> str:
    return (BASE + timedelta(minutes=offset_minutes, seconds=offset_minutes % 60)).isoformat()


@st.composite
def dossiers(draw: st.DrawFn, agency: str) -> dict[str, Any]:
    """Common dossiers received by `agency`, with lossy members as likely as any other."""
    dossier: dict[str, Any] = copy.deepcopy(SNAPSHOT_EXAMPLE)
    dossier["code"] = f"{agency}-251127-{draw(st.integers(1, 9999)):04d}"
    dossier["receivingAgency"] = dossier["handlingAgency"] = agency
    dossier["status"] = draw(
        st.sampled_from(["received", "processing", "resolved", "returned", "supplement_requested"])
    )
    dossier["channel"] = draw(st.sampled_from(["counter", "online", "postal"]))
    dossier["receivedAt"] = _moment(draw(st.integers(0, 600)))
    dossier["dueAt"] = _moment(draw(st.integers(1_000, 20_000)))
    dossier["summary"] = draw(st.sampled_from(["Đăng ký khai sinh cho con", "Cấp bản sao"]))
    if draw(st.booleans()):
        dossier["rating"] = {"value": "satisfied", "at": _moment(30_000)}
    if draw(st.booleans()):
        dossier["extensions"] = [
            {
                "issuedAt": _moment(900),
                "reason": "Cần xác minh thêm",
                "previousDueAt": dossier["dueAt"],
                "newDueAt": _moment(25_000),
            }
        ]
    kinds = draw(st.lists(st.sampled_from(["submitted", "result", "supplement"]), max_size=3))
    dossier["documents"] = [
        {
            "id": f"TK0{i}",
            "kind": kind,
            "name": f"Giấy tờ {i}",
            "componentCode": f"TK0{i}",
            "url": f"https://files.example.vn/{i}",
            "digitised": kind == "submitted",
            **(
                {"sha256": "a" * 64, "size": 1024, "mediaType": "application/pdf"}
                if draw(st.booleans())
                else {}
            ),
        }
        for i, kind in enumerate(kinds)
    ]
    dossier["fees"] = (
        [
            {
                "code": "LP01",
                "name": "Lệ phí",
                "amount": draw(st.integers(0, 10**6)),
                "paidOnline": draw(st.booleans()),
            }
        ]
        if draw(st.booleans())
        else []
    )
    if dossier["status"] == "supplement_requested":
        dossier["supplements"] = [{"requestedAt": _moment(700), "reason": "Thiếu giấy tờ"}]
    return dossier


def _round_trip(adapter: Adapter, dossier: dict[str, Any]) -> dict[str, Any]:
    common = DossierSnapshot.model_validate(dossier).model_dump(mode="json", exclude_none=True)
    rendered = adapter.render([adapter.outbound(common)])
    [translation] = adapter.inbound(rendered)
    assert translation.errors == [], translation.errors
    back = DossierSnapshot.model_validate(translation.dossier)
    return back.model_dump(mode="json", exclude_none=True)


def _same_except_lossy(adapter: Adapter, dossier: dict[str, Any]) -> None:
    common = DossierSnapshot.model_validate(dossier).model_dump(mode="json", exclude_none=True)
    back = _round_trip(adapter, dossier)
    lossy = list(adapter.lossy)
    precision = adapter.precision  # type: ignore[arg-type]
    assert strip(back, lossy, precision) == strip(common, lossy, precision)


@pytest.mark.parametrize("system", ["dvcqg", "lgsp-json", "legacy-xml"])
@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_common_to_native_to_common_loses_only_what_is_declared(
    system: str, data: st.DataObject
) -> None:
    agency = "000.00.00.H56"
    _same_except_lossy(ADAPTERS[system], data.draw(dossiers(agency)))


def test_declarations_name_members_entries_and_precision() -> None:
    dossier = {
        "summary": "x",
        "documents": [{"kind": "result", "id": "a"}, {"kind": "submitted", "id": "b", "size": 3}],
        "receivedAt": "2025-11-27T08:30:17+07:00",
    }
    stripped = strip(dossier, ["summary", "documents[].size", "documents[kind=result]"], "minute")
    assert stripped == {
        "documents": [{"kind": "submitted", "id": "b"}],
        "receivedAt": "2025-11-27T08:30:00+07:00",
    }
