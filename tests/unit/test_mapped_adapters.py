"""Mapping-file adapters (lgsp-json): the golden sample, the round-trip laws as properties,
and a bad mapping file stopping the start with the file and the rule named."""

import json
import unicodedata
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.adapters import xml_documents
from app.adapters.dvcqg import DvcqgAdapter
from app.adapters.mapping_files import PACKAGED, MappingFileError, load
from app.adapters.registry import build
from app.adapters.xml_documents import UnreadableDocument
from app.schemas.dossier import DossierSnapshot

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "adapters"
LGSP = load(PACKAGED / "lgsp-json.toml")


def _fixture(system: str, name: str) -> Any:
    return json.loads((FIXTURES / system / name).read_text(encoding="utf-8"))


def _common(adapter: Any, payload: bytes) -> dict[str, Any]:
    [translation] = adapter.inbound(payload)
    assert translation.errors == [], translation.errors
    snapshot = DossierSnapshot.model_validate(translation.dossier)
    return snapshot.model_dump(mode="json", by_alias=True, exclude_none=True)


def test_the_lgsp_sample_translates_to_the_committed_common_dossier() -> None:
    sample = _fixture("lgsp-json", "sample.json")
    assert _common(LGSP, orjson.dumps(sample)) == _fixture("lgsp-json", "sample.common.json")


def test_the_committed_common_dossier_renders_back_to_the_lgsp_sample() -> None:
    common = _fixture("lgsp-json", "sample.common.json")
    assert LGSP.outbound(common) == _fixture("lgsp-json", "sample.json")


def test_native_values_the_mapping_does_not_name_are_kept_under_ext() -> None:
    sample = _fixture("lgsp-json", "sample.json")
    assert _common(LGSP, orjson.dumps(sample))["ext"] == {"lgspJson": {"ketQua": None}}


def test_an_unknown_status_word_names_the_native_field() -> None:
    sample = {**_fixture("lgsp-json", "sample.json"), "trangThai": "DANG_NGU"}
    [translation] = LGSP.inbound(orjson.dumps(sample))
    assert [e.field for e in translation.errors] == ["trangThai"]


def test_the_registry_holds_the_portal_and_the_mapping_files() -> None:
    assert set(build()) == {"dvcqg", "lgsp-json", "legacy-xml"}


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("system = 'lgsp-two'", "title"),
        (
            PACKAGED.joinpath("lgsp-json.toml")
            .read_text()
            .replace('table = "status"', 'table = "statuses"'),
            "statuses",
        ),
        (
            PACKAGED.joinpath("lgsp-json.toml")
            .read_text()
            .replace('date = "dd/MM/yyyy"', 'date = "dd/MM/jjjj"', 1),
            "date format",
        ),
        ("this is not toml", "TOML"),
    ],
)
def test_a_bad_mapping_file_stops_the_start_naming_file_and_rule(
    tmp_path: Path, text: str, rule: str
) -> None:
    (tmp_path / "broken.toml").write_text(text)
    with pytest.raises(MappingFileError, match=rule) as raised:
        build(tmp_path)
    assert "broken.toml" in str(raised.value)


names = st.sampled_from(["Trần Văn Nam", "Lê Thị Hương", "Nguyễn Văn Bình", "Phạm Thu Hà"])
days = st.dates(
    min_value=__import__("datetime").date(2024, 1, 1),
    max_value=__import__("datetime").date(2027, 12, 31),
)


@settings(max_examples=150, deadline=None)
@given(
    names,
    days,
    days,
    st.sampled_from(
        [
            "CHO_TIEP_NHAN",
            "DA_TIEP_NHAN",
            "DANG_XU_LY",
            "DA_CO_KET_QUA",
            "DA_TRA_KET_QUA",
            "DUNG_XU_LY",
        ]
    ),
    st.sampled_from(["CA_NHAN", "DOANH_NGHIEP", "CO_QUAN", "TO_CHUC"]),
    st.lists(
        st.tuples(
            st.sampled_from(["Tờ khai", "Bản sao CCCD", "Giấy xác nhận"]),
            st.sampled_from(["TK01", "TK02", "GT03"]),
        ),
        max_size=3,
    ),
)
def test_lgsp_round_trips_both_ways(
    name: str,
    received: Any,
    due: Any,
    status: str,
    kind: str,
    files: list[tuple[str, str]],
) -> None:
    native: dict[str, Any] = {
        "maHoSo": "000.00.00.H38-251127-0007",
        "maThuTuc": "1.000894",
        "donViTiepNhan": "000.00.00.H38",
        "donViXuLy": "000.00.04.G14",
        "nguoiYeuCau": {"hoTen": name, "loaiDoiTuong": kind, "maTinh": "38", "diaChi": "Thôn Đông"},
        "ngayTiepNhan": received.strftime("%d/%m/%Y"),
        "ngayHenTra": due.strftime("%d/%m/%Y"),
        "trangThai": status,
    }
    if files:
        native["tepDinhKem"] = [
            {"tenTep": n, "duongDan": f"https://files.example.vn/{c}", "maThanhPhan": c}
            for n, c in files
        ]
    common = _common(LGSP, orjson.dumps(native))
    assert LGSP.outbound(common) == native  # native -> common -> native
    again = _common(LGSP, orjson.dumps(LGSP.outbound(common)))
    assert again == common  # common -> native -> common (the lossy members never appear)


@settings(max_examples=150, deadline=None)
@given(
    names,
    days,
    st.sampled_from(["1", "2", "3"]),
    st.sampled_from(["1", "2", "4", "9"]),
    st.integers(min_value=0, max_value=5_000_000),
    st.booleans(),
)
def test_dvcqg_round_trips_both_ways(
    name: str, received: Any, channel: str, status: str, fee: int, digitised: bool
) -> None:
    native: dict[str, Any] = {
        "MaHoSo": "000.00.00.H56-251127-0012",
        "MaTTHC": "1.001193",
        "KenhThucHien": channel,
        "ChuHoSo": name,
        "LoaiDoiTuong": "1",
        "SoGiayToChuHoSo": "038190012345",
        "NgayTiepNhan": received.strftime("%Y%m%d") + "083000",
        "TrangThaiHoSo": status,
        "DonViXuLy": "000.00.00.H56",
        "TaiLieuNop": [
            {
                "TepDinhKemId": "f-1",
                "TenTepDinhKem": "Tờ khai",
                "DuongDanTaiTepTin": "https://files.example.vn/f-1",
                **({"DuocSoHoa": "1"} if digitised else {}),
            }
        ],
        "DanhSachLePhi": [{"TenPhiLePhi": "Lệ phí", "Gia": str(fee)}],
    }
    adapter = DvcqgAdapter()
    common = _common(adapter, orjson.dumps({"data": [native]}))
    assert adapter.outbound(common) == native
    assert _common(adapter, orjson.dumps({"data": [adapter.outbound(common)]})) == common


LEGACY = load(PACKAGED / "legacy-xml.toml")


def _xml_fixture(name: str) -> bytes:
    return (FIXTURES / "legacy-xml" / name).read_bytes()


def test_the_legacy_xml_sample_translates_to_the_committed_common_dossier() -> None:
    assert _common(LEGACY, _xml_fixture("sample.xml")) == _fixture(
        "legacy-xml", "sample.common.json"
    )


def test_the_committed_common_dossier_renders_back_to_the_same_xml() -> None:
    rendered = LEGACY.render([LEGACY.outbound(_fixture("legacy-xml", "sample.common.json"))])
    assert xml_documents.parse(rendered) == xml_documents.parse(_xml_fixture("sample.xml"))


def test_status_texts_match_whatever_their_case_and_normalisation_form() -> None:
    decomposed = unicodedata.normalize("NFD", "ĐANG GIẢI QUYẾT")
    xml = _xml_fixture("sample.xml").replace("Đang giải quyết".encode(), decomposed.encode())
    assert _common(LEGACY, xml)["status"] == "processing"


def test_a_list_of_dossiers_is_read_item_by_item_with_native_paths() -> None:
    one = _xml_fixture("sample.xml").split(b"?>", 1)[1]
    bad = one.replace(b"<NgayHenTra>02/12/2025 17:00", b"<NgayHenTra>2/12/25")
    translations = LEGACY.inbound(b"<DanhSachHoSo>" + one + bad + b"</DanhSachHoSo>")
    assert translations[0].errors == []
    assert [e.field for e in translations[1].errors] == ["HoSo[1].NgayHenTra"]


@pytest.mark.parametrize(
    "payload",
    [
        b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        b"<HoSo><SoHoSo>&b;</SoHoSo></HoSo>",  # entity expansion (billion laughs, small)
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b"<HoSo><SoHoSo>&e;</SoHoSo></HoSo>",  # external entity
        b'<?xml version="1.0"?><!DOCTYPE HoSo SYSTEM "http://127.0.0.1/x.dtd"><HoSo/>',  # DTD
        b"<HoSo>" + b"<a>" * 100 + b"</a>" * 100 + b"</HoSo>",  # deep nesting
        b'<?xml version="1.0" encoding="UTF-8"?><HoSo><SoHoSo>\xff\xfe</SoHoSo></HoSo>',
        b"<HoSo><SoHoSo>unclosed</HoSo>",
        b"<Khac/>",
    ],
)
def test_unsafe_or_unreadable_xml_is_refused(payload: bytes) -> None:
    with pytest.raises(UnreadableDocument):
        LEGACY.inbound(payload)


@settings(max_examples=100, deadline=None)
@given(
    names,
    days,
    st.sampled_from(
        [
            "Chờ tiếp nhận",
            "Đã tiếp nhận",
            "Đang giải quyết",
            "Chờ bổ sung",
            "Đã có kết quả",
            "Đã trả kết quả",
        ]
    ),
    st.sampled_from(["CongDan", "DoanhNghiep", "CoQuan", "ToChuc"]),
    st.sampled_from(["TrucTiep", "TrucTuyen", "BuuChinh"]),
    st.lists(st.integers(min_value=0, max_value=2_000_000), max_size=3),
)
def test_legacy_xml_round_trips_both_ways(
    name: str, received: Any, status: str, kind: str, channel: str, fees: list[int]
) -> None:
    native: dict[str, Any] = {
        "SoHoSo": "000.00.00.H38-251127-0007",
        "ThuTuc": {"@ma": "1.000894", "@linhVuc": "G09-HT", "#text": "Đăng ký kết hôn"},
        "CoQuanTiepNhan": "000.00.00.H38",
        "CoQuanXuLy": "000.00.00.H38",
        "NguoiNop": {
            "@loai": kind,
            "HoTen": name,
            "DiaChi": {"@maTinh": "38", "#text": "Thôn Đông"},
        },
        "HinhThucNop": channel,
        "NgayNhan": received.strftime("%d/%m/%Y") + " 08:30",
        "TrangThai": status,
    }
    if fees:
        native["LePhi"] = {
            "Khoan": [
                {"@ten": f"Lệ phí {i}", "@soTien": str(amount)} for i, amount in enumerate(fees)
            ]
        }
    payload = xml_documents.render("HoSo", native)
    common = _common(LEGACY, payload)
    rendered = LEGACY.render([LEGACY.outbound(common)])
    assert xml_documents.parse(rendered) == xml_documents.parse(payload)
    assert _common(LEGACY, rendered) == common
