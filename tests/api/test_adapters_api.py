"""The adapter endpoints with the national portal's format: list, preview, sync, render."""

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api.checks import assert_problem

SAMPLE = json.loads(
    (
        Path(__file__).resolve().parents[1] / "fixtures" / "adapters" / "dvcqg" / "sample.json"
    ).read_text(encoding="utf-8")
)
CODE = SAMPLE["MaHoSo"]


def batch(*items: dict[str, Any]) -> dict[str, Any]:
    return {"isUpdating": "False", "data": list(items)}


async def test_the_registered_systems_are_listed(client: httpx.AsyncClient) -> None:
    answer = await client.get("/adapters")
    assert [a["system"] for a in answer.json()] == ["dvcqg", "legacy-xml", "lgsp-json"]
    assert "source" in answer.json()[0]["lossy"]


async def test_preview_translates_without_storing(client: httpx.AsyncClient) -> None:
    answer = await client.post("/adapters/dvcqg/preview", json=batch(SAMPLE))
    [item] = answer.json()["items"]
    assert item["dossier"]["applicant"]["name"] == "Lê Thị Hương" and item["errors"] == []
    assert (await client.get(f"/dossiers/{CODE}")).status_code == 404


async def test_preview_names_native_fields_in_errors(client: httpx.AsyncClient) -> None:
    bad = {**SAMPLE, "NgayHenTra": "28/11/2025", "SoGiayToChuHoSo": "999190012345"}
    answer = await client.post("/adapters/dvcqg/preview", json=batch(bad))
    [item] = answer.json()["items"]
    assert item["dossier"] is None
    assert {e["field"] for e in item["errors"]} == {"data[0].NgayHenTra"}
    fixed = {**SAMPLE, "SoGiayToChuHoSo": "999190012345"}
    [item] = (await client.post("/adapters/dvcqg/preview", json=batch(fixed))).json()["items"]
    assert {e["field"] for e in item["errors"]} == {"data[0].SoGiayToChuHoSo"}


async def test_a_native_batch_syncs_with_one_result_per_item(client: httpx.AsyncClient) -> None:
    broken = {**SAMPLE, "MaHoSo": "000.00.00.H56-251127-0013", "TrangThaiHoSo": "99"}
    answer = await client.post("/adapters/dvcqg/dossiers", json=batch(SAMPLE, broken))
    results = answer.json()["results"]
    assert [r["outcome"] for r in results] == ["created", "rejected"]
    assert results[1]["errors"][0]["field"] == "data[1].TrangThaiHoSo"
    again = await client.post("/adapters/dvcqg/dossiers", json=batch(SAMPLE))
    assert again.json()["results"][0]["outcome"] == "unchanged"


async def test_a_stored_dossier_renders_in_the_portals_format(client: httpx.AsyncClient) -> None:
    await client.post("/adapters/dvcqg/dossiers", json=batch(SAMPLE))
    answer = await client.get(f"/adapters/dvcqg/dossiers/{CODE}")
    assert answer.json() == batch(SAMPLE)


@pytest.mark.parametrize("system", ["dvcqg", "lgsp-json", "legacy-xml"])
@pytest.mark.parametrize("body", [b"", b"not a document"])
@pytest.mark.parametrize("operation", ["preview", "dossiers"])
async def test_a_body_that_is_no_document_is_422_for_every_system(
    client: httpx.AsyncClient, system: str, body: bytes, operation: str
) -> None:
    """The portal's format answered 200 with one rejected item (found by the fuzzer), where
    the mapped formats answered 422 on `body` (docs/decisions.md, Adapters)."""
    answer = await client.post(f"/adapters/{system}/{operation}", content=body)

    assert_problem(answer, 422, "validation_failed", "body")


async def test_an_unknown_system_is_404(client: httpx.AsyncClient) -> None:
    assert_problem(await client.post("/adapters/fax/preview", json={}), 404, "adapter_not_found")


LGSP = json.loads(
    (
        Path(__file__).resolve().parents[1] / "fixtures" / "adapters" / "lgsp-json" / "sample.json"
    ).read_text(encoding="utf-8")
)


async def test_a_ministry_format_syncs_and_renders_back(client: httpx.AsyncClient) -> None:
    answer = await client.post("/adapters/lgsp-json/dossiers", json=LGSP)
    assert [r["outcome"] for r in answer.json()["results"]] == ["created"]
    stored = (await client.get(f"/dossiers/{LGSP['maHoSo']}")).json()
    assert stored["handlingAgency"] == "000.00.04.G14" and stored["channel"] == "counter"
    rendered = await client.get(f"/adapters/lgsp-json/dossiers/{LGSP['maHoSo']}")
    assert rendered.json() == LGSP


XML = (
    Path(__file__).resolve().parents[1] / "fixtures" / "adapters" / "legacy-xml" / "sample.xml"
).read_bytes()
XML_CODE = "000.00.00.H38-251127-0007"


async def test_a_provincial_xml_export_syncs_and_renders_back(client: httpx.AsyncClient) -> None:
    answer = await client.post(
        "/adapters/legacy-xml/dossiers", content=XML, headers={"content-type": "application/xml"}
    )
    assert [r["outcome"] for r in answer.json()["results"]] == ["created"]
    rendered = await client.get(f"/adapters/legacy-xml/dossiers/{XML_CODE}")
    assert rendered.headers["content-type"].startswith("application/xml")
    assert "Đang giải quyết".encode() in rendered.content


_XML_BODY = XML.split(b"?>", 1)[1]
XML_ATTACKS = {
    "billion laughs": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "ha"><!ENTITY b '
    b'"&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    + _XML_BODY.replace(b"<TrichYeu>", b"<TrichYeu>&c;"),
    "external entity": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM '
    b'"file:///etc/passwd">]>' + _XML_BODY.replace(b"<TrichYeu>", b"<TrichYeu>&e;"),
    "DTD": b'<?xml version="1.0"?><!DOCTYPE HoSo SYSTEM "http://127.0.0.1:9/x.dtd">' + _XML_BODY,
    "invalid UTF-8": XML.replace("Trần".encode(), b"Tr\xff\xfen"),
    "deep nesting": _XML_BODY.replace(b"<TrichYeu>", b"<TrichYeu>" + b"<a>" * 64 + b"</a>" * 64),
}


@pytest.mark.parametrize("attack", list(XML_ATTACKS))
async def test_an_xml_attack_is_refused_and_stores_nothing(
    client: httpx.AsyncClient, attack: str
) -> None:
    answer = await client.post(
        "/adapters/legacy-xml/dossiers",
        content=XML_ATTACKS[attack],
        headers={"content-type": "application/xml"},
    )
    assert_problem(answer, 422, "validation_failed", "body")
    assert (await client.get(f"/dossiers/{XML_CODE}")).status_code == 404


async def test_a_50_megabyte_xml_body_is_413_and_stores_nothing(
    client: httpx.AsyncClient,
) -> None:
    body = _XML_BODY.replace(b"<TrichYeu>", b"<TrichYeu>" + b"x" * (50 * 1024 * 1024))
    answer = await client.post(
        "/adapters/legacy-xml/dossiers", content=body, headers={"content-type": "application/xml"}
    )
    assert_problem(answer, 413, "body_too_large")
    assert (await client.get(f"/dossiers/{XML_CODE}")).status_code == 404


async def test_a_huge_xml_body_is_413(client: httpx.AsyncClient) -> None:
    body = b"<HoSo>" + b" " * (11 * 1024 * 1024) + b"</HoSo>"
    answer = await client.post(
        "/adapters/legacy-xml/preview", content=body, headers={"content-type": "application/xml"}
    )
    assert_problem(answer, 413, "body_too_large")


def progress_record(**changes: str) -> dict[str, str]:
    return {
        "MaHoSo": CODE,
        "NguoiXuLy": "Nguyễn Văn Bình",
        "ChucDanh": "Chuyên viên",
        "ThoiDiemXuLy": "20251127140000",
        "PhongBanXuLy": "Phòng Tư pháp",
        "NoiDungXuLy": "Thẩm định hồ sơ",
        "NgayKetThucTheoQuyDinh": "20251128100000",
        **changes,
    }


async def test_the_portal_summary_says_whether_every_item_was_stored(
    client: httpx.AsyncClient,
) -> None:
    ok = await client.post("/adapters/dvcqg/dossiers", json=batch(SAMPLE))
    assert ok.json()["error_code"] == "0"
    bad = await client.post("/adapters/dvcqg/dossiers", json=batch({**SAMPLE, "MaHoSo": "x"}))
    assert bad.json()["error_code"] == "-1"


async def test_progress_records_become_steps_and_status_changes(
    client: httpx.AsyncClient,
) -> None:
    await client.post("/adapters/dvcqg/dossiers", json=batch(SAMPLE))
    answer = await client.post(
        "/adapters/dvcqg/progress",
        json=[
            progress_record(),
            progress_record(
                ThoiDiemXuLy="20251128100000", TrangThai="9", NoiDungXuLy="Đã có kết quả"
            ),
        ],
    )
    assert [r["outcome"] for r in answer.json()["results"]] == ["updated", "updated"]
    history = (await client.get(f"/dossiers/{CODE}/history")).json()["items"]
    assert [h["type"] for h in history] == [
        "dossier.created",
        "dossier.step_added",
        "dossier.step_added",
        "dossier.status_changed",
    ]
    assert (await client.get(f"/dossiers/{CODE}")).json()["status"] == "resolved"


async def test_a_progress_record_that_cannot_apply_leaves_nothing_behind(
    client: httpx.AsyncClient,
) -> None:
    await client.post("/adapters/dvcqg/dossiers", json=batch(SAMPLE))
    answer = await client.post(
        "/adapters/dvcqg/progress",
        json=[
            progress_record(TrangThai="1"),  # back to submitted: not a move the machine allows
            progress_record(TrangThai="77"),
        ],
    )
    results = answer.json()["results"]
    assert [r["problem"] for r in results] == ["invalid_transition", "validation_failed"]
    assert [r["errors"][0]["field"] for r in results] == ["[0].TrangThai", "[1].TrangThai"]
    assert answer.json()["error_code"] == "-1"
    history = (await client.get(f"/dossiers/{CODE}/history")).json()["items"]
    assert [h["type"] for h in history] == ["dossier.created"]  # the step was rolled back too
    feed = (await client.get("/changes")).json()["items"]
    assert [c["type"] for c in feed] == ["dossier.created"]  # and so was its change
