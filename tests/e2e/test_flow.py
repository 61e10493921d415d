"""One dossier from receipt to returned result across levels, every party a real process or
server on 127.0.0.1: the hub (`python -m app serve` on a fresh embedded SQLite, its delivery
worker in process), the fake national portal, a provincial one-stop system that speaks
legacy-xml and a ministry system that speaks lgsp-json (both scripted here over HTTP).

The province receives a marriage registration and syncs it as XML, then sends it to the
ministry's civil-status department; the ministry finds it in its inbox, reads it in its own
format, accepts, works, resolves and hands it back with its result; the province returns the
result to the citizen. The test then checks what each party saw."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import httpx
import pytest

from app.domain.clock import VIETNAM
from tests.e2e.hub_process import running_hub
from tests.fakes import accepted_receipts, running_fake_portal

SECRET = "bí-mật-của-cổng-quốc-gia-e2e"
ADMIN = ("admin-e2e", "admin-e2e-secret-0123456789")
PROVINCE, MINISTRY = "000.00.00.H38", "000.00.04.G14"
HUB_SETTINGS = {
    "admin_client_id": ADMIN[0],
    "admin_client_secret": ADMIN[1],
    "delivery_retry_schedule": "1,1,2,2",
    "delivery_poll_seconds": "0.1",
    "secret_hash_cost": "10",
}
RESULT = {
    "id": "kq-0007",
    "kind": "result",
    "name": "Giấy chứng nhận kết hôn",
    "url": "https://hotich.moj.example.vn/kq/0007",
}


def _legacy_xml(code: str, received: datetime) -> str:
    """What the province's legacy system exports for the dossier it just received (the
    ADAPTERS.md sample, dated yesterday)."""
    day, due = received.strftime("%d/%m/%Y"), (received + timedelta(days=5)).strftime("%d/%m/%Y")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<HoSo phienBan="2.1">
  <SoHoSo>{code}</SoHoSo>
  <ThuTuc ma="1.000894" linhVuc="G09-HT">Đăng ký kết hôn</ThuTuc>
  <CoQuanTiepNhan>{PROVINCE}</CoQuanTiepNhan>
  <CoQuanXuLy>{PROVINCE}</CoQuanXuLy>
  <NguoiNop loai="CongDan">
    <HoTen>Trần Văn Nam</HoTen>
    <SoDinhDanh>038090001234</SoDinhDanh>
    <DienThoai>0987654321</DienThoai>
    <DiaChi maTinh="38" maXa="15865">Thôn Đông, xã Hoằng Hóa</DiaChi>
  </NguoiNop>
  <HinhThucNop>TrucTiep</HinhThucNop>
  <NgayNop>{day} 08:15</NgayNop>
  <NgayNhan>{day} 08:30</NgayNhan>
  <NgayHenTra>{due} 17:00</NgayHenTra>
  <TrangThai>Đã tiếp nhận</TrangThai>
  <TrichYeu>Đăng ký kết hôn có yếu tố nước ngoài</TrichYeu>
  <GiayTo>
    <Tep ma="TK01" ten="Tờ khai đăng ký kết hôn" url="https://hs.thanhhoa.example.vn/t/1"/>
  </GiayTo>
  <LePhi><Khoan ten="Lệ phí đăng ký kết hôn" soTien="0"/></LePhi>
</HoSo>"""


def _now() -> str:
    return datetime.now(VIETNAM).isoformat(timespec="seconds")


@contextmanager
def _client(base: str, client_id: str, secret: str) -> Iterator[httpx.Client]:
    """An API client of the hub holding a token for these credentials."""
    with httpx.Client(base_url=f"{base}/api/v1", timeout=30) as client:
        token = client.post(
            "/auth/token",
            data={"grant_type": "client_credentials", "client_id": client_id,
                  "client_secret": secret},
        )  # fmt: skip
        token.raise_for_status()
        client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        yield client


def _ok(answer: httpx.Response, status: int = 200) -> Any:
    assert answer.status_code == status, answer.text
    return answer.json()


@pytest.fixture
def parties(tmp_path: Path) -> Iterator[tuple[httpx.Client, httpx.Client, httpx.Client]]:
    """The hub's clients of the province and the ministry (an admin made them, and the
    portal's dvcqg subscription), and a client of the fake portal's own endpoints."""
    with running_fake_portal(SECRET) as portal, running_hub(tmp_path, **HUB_SETTINGS) as base:
        with _client(base, *ADMIN) as admin:
            made = {}
            for kind, agencies in (("province", ["*.*.*.H38"]), ("ministry", [MINISTRY])):
                body = {"name": f"Hệ thống {kind} (e2e)", "kind": kind, "agencies": agencies}
                answer = _ok(admin.post("/clients", json=body), 201)
                made[kind] = (answer["clientId"], answer["clientSecret"])
            subscription = {
                "callbackUrl": f"{portal}/callback/dvcqg",
                "format": "dvcqg",
                "secret": SECRET,
            }
            _ok(admin.post("/subscriptions", json=subscription), 201)
        with (
            _client(base, *made["province"]) as province,
            _client(base, *made["ministry"]) as ministry,
            httpx.Client(base_url=portal, timeout=30) as control,
        ):
            yield province, ministry, control


def _record(receipt: dict[str, Any]) -> tuple[str, str]:
    """A receipt in short: which payload, and the status code it carries."""
    body = receipt["body"]
    if isinstance(body, dict):  # DongBoHoSoMC: the dossier, new or updated
        kind = "new" if body["isUpdating"] == "False" else "update"
        return f"DongBoHoSoMC {kind}", body["data"][0]["TrangThaiHoSo"]
    return "CapNhatTienDoHoSoMC", body[0]["TrangThai"]  # a progress record


def test_a_dossier_goes_from_the_province_to_the_ministry_and_back_to_the_citizen(
    parties: tuple[httpx.Client, httpx.Client, httpx.Client],
) -> None:
    province, ministry, control = parties
    received = datetime.now(VIETNAM) - timedelta(days=1)
    code = f"{PROVINCE}-{received:%y%m%d}-0007"
    officer = {"name": "Lê Văn Hùng", "title": "Chuyên viên", "unit": "Phòng Hộ tịch"}
    # The portal is down for its first two requests: the worker retries on the schedule.
    _ok(control.post("/_control", json={"mode": "fail_times", "times": 2, "status": 503}))

    # The province's legacy system: receipt, as XML; then the transfer to the ministry.
    synced = province.post(
        "/adapters/legacy-xml/dossiers",
        content=_legacy_xml(code, received).encode(),
        headers={"Content-Type": "application/xml"},
    )
    assert [r["outcome"] for r in _ok(synced)["results"]] == ["created"]
    sent = province.post(
        f"/dossiers/{code}/transfers",
        json={"toAgency": MINISTRY, "purpose": "Đề nghị xác minh thông tin hộ tịch"},
    )
    _ok(sent, 201)

    # The ministry's system: its inbox, the dossier in its own format, then its work.
    inbox = _ok(ministry.get("/transfers", params={"toAgency": MINISTRY, "status": "sent"}))
    assert [t["dossierCode"] for t in inbox["items"]] == [code]
    transfer = inbox["items"][0]["id"]
    native = _ok(ministry.get(f"/adapters/lgsp-json/dossiers/{code}"))
    assert native["maThuTuc"] == "1.000894"
    assert native["nguoiYeuCau"]["hoTen"] == "Trần Văn Nam"
    assert native["trangThai"] == "DA_TIEP_NHAN"
    _ok(ministry.post(f"/transfers/{transfer}/accept"))
    assert _ok(ministry.get(f"/adapters/lgsp-json/dossiers/{code}"))["donViXuLy"] == MINISTRY
    work = [
        ("status", {"status": "processing", "at": _now(), "actor": officer}),
        ("steps", {"at": _now(), "handler": officer["name"], "unit": officer["unit"],
                   "content": "Xác minh trên Cơ sở dữ liệu hộ tịch điện tử"}),
        ("steps", {"at": _now(), "handler": officer["name"], "unit": officer["unit"],
                   "content": "Trình lãnh đạo Cục ký văn bản trả lời"}),
        ("status", {"status": "resolved", "at": _now(), "actor": officer,
                    "note": "Thông tin hộ tịch trùng khớp"}),
    ]  # fmt: skip
    for act, body in work:
        _ok(ministry.post(f"/dossiers/{code}/{act}", json=body), 201 if act == "steps" else 200)
    done = {"note": "Đã xác minh, đủ điều kiện đăng ký kết hôn", "documents": [RESULT]}
    _ok(ministry.post(f"/transfers/{transfer}/complete", json=done))

    # The province returns the result to the citizen.
    returned = {"status": "returned", "at": _now(), "actor": {"name": "Nguyễn Thị Lan"}}
    _ok(province.post(f"/dossiers/{code}/status", json=returned))

    # The national portal got the dossier, then its updates and progress, in order.
    taken = accepted_receipts(str(control.base_url).rstrip("/"), at_least=9)
    assert [_record(r) for r in taken] == [
        ("DongBoHoSoMC new", "2"),  # received
        ("DongBoHoSoMC update", "2"),  # transfer sent
        ("DongBoHoSoMC update", "2"),  # transfer accepted: the ministry handles it
        ("CapNhatTienDoHoSoMC", "4"),  # processing
        ("CapNhatTienDoHoSoMC", "4"),  # step
        ("CapNhatTienDoHoSoMC", "4"),  # step
        ("CapNhatTienDoHoSoMC", "9"),  # resolved
        ("DongBoHoSoMC update", "9"),  # transfer completed, with the result
        ("CapNhatTienDoHoSoMC", "10"),  # returned
    ]
    assert all(r["signature"] == "valid" and not r["duplicate"] for r in taken)
    failed = [r for r in control.get("/_received").json() if r["outcome"] == "failed"]
    assert [r["eventId"] for r in failed] == [taken[0]["eventId"]] * 2
    events = [int(r["eventId"]) for r in taken]
    assert events == sorted(events) and len(set(events)) == len(events)
    assert taken[2]["body"]["data"][0]["DonViXuLy"] == MINISTRY
    assert taken[4]["body"][0]["NoiDungXuLy"] == "Xác minh trên Cơ sở dữ liệu hộ tịch điện tử"
    handed_back = taken[7]["body"]["data"][0]
    assert handed_back["DonViXuLy"] == PROVINCE
    assert [d["DuongDanTepTinKetQua"] for d in handed_back["DanhSachGiayToKetQua"]] == [
        RESULT["url"]
    ]
    held = _ok(control.get(f"/_dossiers/{code}"))
    assert [p["TrangThai"] for p in held["progress"]] == ["4", "4", "4", "9", "10"]

    # The ministry: still reads what it worked on, acts on it no more, and its feed holds its
    # part only.
    seen = _ok(ministry.get(f"/dossiers/{code}"))
    assert (seen["status"], seen["handlingAgency"]) == ("returned", PROVINCE)
    late = {"at": _now(), "handler": officer["name"], "unit": officer["unit"], "content": "…"}
    assert ministry.post(f"/dossiers/{code}/steps", json=late).status_code == 403
    feed = _ok(ministry.get("/changes"))["items"]
    assert [c["type"] for c in feed] == [
        "transfer.sent",
        "transfer.accepted",
        "dossier.status_changed",
        "dossier.step_added",
        "dossier.step_added",
        "dossier.status_changed",
        "transfer.completed",
    ]

    # The province: its own format shows the result returned; the dossier holds the
    # ministry's result document; the history has every act in order.
    xml = province.get(f"/adapters/legacy-xml/dossiers/{code}")
    assert xml.status_code == 200
    rendered = ElementTree.fromstring(xml.content)
    assert rendered.findtext("TrangThai") == "Đã trả kết quả"
    assert rendered.findtext("CoQuanXuLy") == PROVINCE
    mine = _ok(province.get(f"/dossiers/{code}"))
    assert [d["url"] for d in mine["documents"] if d["kind"] == "result"] == [RESULT["url"]]
    assert mine["resolvedAt"] is not None and mine["returnedAt"] is not None
    history = _ok(province.get(f"/dossiers/{code}/history"))["items"]
    assert [(e["version"], e["type"], e["status"]) for e in history] == [
        (1, "dossier.created", "received"),
        (2, "transfer.sent", "received"),
        (3, "transfer.accepted", "received"),
        (4, "dossier.status_changed", "processing"),
        (5, "dossier.step_added", "processing"),
        (6, "dossier.step_added", "processing"),
        (7, "dossier.status_changed", "resolved"),
        (8, "transfer.completed", "resolved"),
        (9, "dossier.status_changed", "returned"),
    ]
    assert len(_ok(province.get("/changes"))["items"]) == 9
