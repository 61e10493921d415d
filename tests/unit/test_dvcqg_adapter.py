"""The national portal's format (ADAPTERS.md section 1): the sample translates to a committed
common dossier and back to the same native document."""

import json
from pathlib import Path
from typing import Any

import orjson

from app.adapters.dvcqg import DvcqgAdapter
from app.schemas.dossier import DossierSnapshot

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "adapters" / "dvcqg"
ADAPTER = DvcqgAdapter()


def _load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def _inbound(*items: dict[str, Any]) -> list[Any]:
    return ADAPTER.inbound(orjson.dumps({"isUpdating": "False", "data": list(items)}))


def test_the_sample_translates_to_the_committed_common_dossier() -> None:
    [translation] = _inbound(_load("sample.json"))
    assert translation.errors == [] and translation.unmapped == []
    common = DossierSnapshot.model_validate(translation.dossier)
    assert common.model_dump(mode="json", by_alias=True, exclude_none=True) == _load(
        "sample.common.json"
    )


def test_the_committed_common_dossier_renders_back_to_the_sample() -> None:
    common = DossierSnapshot.model_validate(_load("sample.common.json"))
    assert ADAPTER.outbound(common.model_dump(mode="json", exclude_none=True)) == _load(
        "sample.json"
    )


def test_members_the_schema_does_not_model_survive_the_round_trip_under_ext() -> None:
    native = {**_load("sample.json"), "NoiNopHoSo": "Bộ phận Một cửa", "GhiChu": "Ưu tiên"}
    native["DanhSachLePhi"] = [{**native["DanhSachLePhi"][0], "LoaiPhiLePhi": "2"}]
    [translation] = _inbound(native)
    assert translation.unmapped == ["data[0].NoiNopHoSo", "data[0].GhiChu"]
    assert translation.dossier["ext"]["dvcqg"]["DanhSachLePhi[0].LoaiPhiLePhi"] == "2"
    common = DossierSnapshot.model_validate(translation.dossier)
    assert ADAPTER.outbound(common.model_dump(mode="json", exclude_none=True)) == native


def test_errors_name_the_native_field() -> None:
    bad = {**_load("sample.json"), "NgayHenTra": "28/11/2025", "TrangThaiHoSo": "42"}
    [translation] = _inbound(_load("sample.json") | {"MaHoSo": "x"}, bad)[1:]
    fields = {e.field for e in translation.errors}
    assert fields == {"data[1].NgayHenTra", "data[1].TrangThaiHoSo"}


def test_dates_are_vietnam_time_without_an_offset() -> None:
    [translation] = _inbound(_load("sample.json"))
    assert translation.dossier["receivedAt"] == "2025-11-27T08:30:00+07:00"
