"""The fake national portal as a real server on 127.0.0.1: signed deliveries, the failure modes
tests will put the hub's delivery worker through, and the portal's own answers."""

import asyncio
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from app.adapters.dvcqg import DvcqgAdapter, answers
from tests.fakes import deliver, running_fake_portal, signed_headers

SECRET = "whsec-portal-test"
SAMPLE = json.loads(
    (Path(__file__).resolve().parents[1] / "fixtures/adapters/dvcqg/sample.json").read_text("utf-8")
)
CODE = SAMPLE["MaHoSo"]
COMMON = orjson.dumps(
    {"id": "42", "type": "dossier.created", "dossierCode": CODE, "at": "2025-11-27T08:30:00+07:00"}
)


def dossier_payload(updating: bool = False, **changes: str) -> bytes:
    """DongBoHoSoMC as the hub renders it, the flag set as the portal reads it."""
    body = orjson.loads(DvcqgAdapter().render([{**SAMPLE, **changes}]))
    body["isUpdating"] = "True" if updating else "False"
    return orjson.dumps(body)


def progress_payload(**changes: str) -> bytes:
    record = {
        "MaHoSo": CODE,
        "NguoiXuLy": "Nguyễn Văn Bình",
        "ThoiDiemXuLy": "20251127140000",
        "PhongBanXuLy": "Phòng Tư pháp",
        "NoiDungXuLy": "Thẩm định hồ sơ",
        "TrangThai": "4",
        **changes,
    }
    return orjson.dumps({"service": "CapNhatTienDoHoSoMC", "data": [record]})


@pytest.fixture
def base() -> Iterator[str]:
    with running_fake_portal(SECRET) as url:
        yield url


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as client:
        yield client


def send(
    http: httpx.Client, base: str, body: bytes, event: str, path: str = "dvcqg"
) -> httpx.Response:
    return deliver(http, f"{base}/callback/{path}", SECRET, body, event)


def control(http: httpx.Client, base: str, **order: Any) -> None:
    assert http.post(f"{base}/_control", json=order).status_code == 200


def received(http: httpx.Client, base: str) -> list[dict[str, Any]]:
    receipts: list[dict[str, Any]] = http.get(f"{base}/_received").json()
    return receipts


# Signatures


def test_a_signed_delivery_is_taken_and_recorded_with_what_matters(
    http: httpx.Client, base: str
) -> None:
    answer = send(http, base, COMMON, "42", path="common")
    assert answer.status_code == 200
    assert answer.json()["error_code"] == answers.OK
    [receipt] = received(http, base)
    assert receipt["eventId"] == "42" and receipt["path"] == "/callback/common"
    assert receipt["body"] == orjson.loads(COMMON)
    assert set(receipt["headers"]) == {
        "Hub-Event-Id",
        "Hub-Timestamp",
        "Hub-Signature",
        "Content-Type",
    }
    assert receipt["headers"]["Hub-Signature"].startswith("sha256=")
    assert receipt["signature"] == "valid" and receipt["outcome"] == "accepted"
    assert receipt["status"] == 200 and receipt["duplicate"] is False
    assert receipt["receivedAt"].endswith("+07:00")


@pytest.mark.parametrize(
    "path", ["/callback", "/callback/dvcqg", "/callback/common", "/callback/a/b"]
)
def test_any_path_under_callback_receives(http: httpx.Client, base: str, path: str) -> None:
    assert deliver(http, base + path, SECRET, COMMON, "42").status_code == 200
    assert received(http, base)[0]["path"] == path


def test_a_path_outside_callback_is_not_a_receiver(http: httpx.Client, base: str) -> None:
    assert deliver(http, f"{base}/elsewhere", SECRET, COMMON, "42").status_code == 404
    assert received(http, base) == []


def test_a_delivery_signed_with_another_secret_is_401_recorded_as_rejected_and_not_applied(
    http: httpx.Client, base: str
) -> None:
    body = dossier_payload()
    answer = deliver(http, f"{base}/callback/dvcqg", "not the secret", body, "1")
    assert answer.status_code == 401
    assert answer.json()["error_code"] == answers.FAILED
    [receipt] = received(http, base)
    assert receipt["outcome"] == "rejected" and receipt["signature"] == "bad_signature"
    assert receipt["status"] == 401
    assert http.get(f"{base}/_dossiers/{CODE}").status_code == 404


def test_a_body_changed_after_signing_is_rejected(http: httpx.Client, base: str) -> None:
    headers = signed_headers(SECRET, COMMON, "42")
    tampered = COMMON.replace(b"dossier.created", b"dossier.updated")
    answer = http.post(f"{base}/callback/common", content=tampered, headers=headers)
    assert answer.status_code == 401
    assert received(http, base)[0]["signature"] == "bad_signature"


def test_a_delivery_without_signature_headers_is_rejected(http: httpx.Client, base: str) -> None:
    answer = http.post(f"{base}/callback/common", content=COMMON, headers={"Hub-Event-Id": "42"})
    assert answer.status_code == 401
    assert received(http, base)[0]["signature"] == "malformed"


def test_a_correctly_signed_but_stale_timestamp_is_rejected(http: httpx.Client, base: str) -> None:
    headers = signed_headers(SECRET, COMMON, "42", timestamp=int(time.time()) - 301)
    answer = http.post(f"{base}/callback/common", content=COMMON, headers=headers)
    assert answer.status_code == 401
    [receipt] = received(http, base)
    assert receipt["signature"] == "stale" and receipt["outcome"] == "rejected"


def test_the_freshness_tolerance_is_configurable(http: httpx.Client) -> None:
    minute_old = int(time.time()) - 60
    headers = signed_headers(SECRET, COMMON, "42", timestamp=minute_old)
    with running_fake_portal(SECRET, tolerance=10) as strict:
        answer = http.post(f"{strict}/callback", content=COMMON, headers=headers)
        assert answer.status_code == 401
    with running_fake_portal(SECRET) as lenient:
        assert http.post(f"{lenient}/callback", content=COMMON, headers=headers).status_code == 200


def test_a_delivery_without_an_event_id_is_400(http: httpx.Client, base: str) -> None:
    headers = signed_headers(SECRET, COMMON, "")
    answer = http.post(f"{base}/callback/common", content=COMMON, headers=headers)
    assert answer.status_code == 400
    assert received(http, base)[0]["outcome"] == "rejected"
    assert http.get(f"{base}/_received/counts").json() == {}


# Failure modes


def test_fail_answers_its_status_every_time_until_told_ok(http: httpx.Client, base: str) -> None:
    control(http, base, mode="fail", status=503)
    assert [send(http, base, COMMON, "42").status_code for _ in range(3)] == [503, 503, 503]
    assert {r["outcome"] for r in received(http, base)} == {"failed"}
    control(http, base, mode="ok")
    assert send(http, base, COMMON, "42").status_code == 200


def test_fail_times_fails_the_next_n_requests_then_recovers(http: httpx.Client, base: str) -> None:
    control(http, base, mode="fail_times", times=2)
    statuses = [send(http, base, COMMON, "42").status_code for _ in range(4)]
    assert statuses == [500, 500, 200, 200]
    assert http.get(f"{base}/_control").json()["mode"] == "ok"


def test_timeout_holds_the_answer_longer_than_the_client_waits_then_ok_recovers(
    http: httpx.Client, base: str
) -> None:
    control(http, base, mode="timeout", delay=1.5)
    with httpx.Client(timeout=0.2) as impatient, pytest.raises(httpx.ReadTimeout):
        deliver(impatient, f"{base}/callback/common", SECRET, COMMON, "42")
    [receipt] = received(http, base)
    assert receipt["outcome"] == "pending" and receipt["status"] is None
    control(http, base, mode="ok")
    assert send(http, base, COMMON, "43").status_code == 200


async def test_latency_holds_every_answer_so_that_sends_at_once_show_and_outlives_fail_times(
    base: str,
) -> None:
    url = f"{base}/callback/common"
    async with httpx.AsyncClient(timeout=10) as client:
        order = {"mode": "fail_times", "times": 1, "status": 503, "latency": 0.5}
        await client.post(f"{base}/_control", json=order)
        replies = await asyncio.gather(
            *(
                client.post(url, content=COMMON, headers=signed_headers(SECRET, COMMON, "42"))
                for _ in range(2)
            )
        )
        after = (await client.get(f"{base}/_control")).json()
        counts = (await client.get(f"{base}/_received/counts")).json()
    assert sorted(a.status_code for a in replies) == [200, 503]
    assert (after["mode"], after["latency"]) == ("ok", 0.5)
    assert counts == {"42": {"received": 2, "accepted": 1, "maxInFlight": 2}}


def test_an_unknown_mode_or_member_is_refused_and_changes_nothing(
    http: httpx.Client, base: str
) -> None:
    for order in ({"mode": "explode"}, {"mode": "fail", "colour": "red"}, {"status": 200}):
        assert http.post(f"{base}/_control", json=order).status_code == 422
    assert http.get(f"{base}/_control").json()["mode"] == "ok"


# Receipts and counts


def test_counts_tell_receipts_and_successes_apart_per_event_id(
    http: httpx.Client, base: str
) -> None:
    control(http, base, mode="fail_times", times=1)
    send(http, base, COMMON, "e-1")  # fails
    send(http, base, COMMON, "e-1")  # taken
    send(http, base, COMMON, "e-2")  # taken
    send(http, base, COMMON, "e-2")  # a repeat: acknowledged, marked duplicate
    assert http.get(f"{base}/_received/counts").json() == {
        "e-1": {"received": 2, "accepted": 1, "maxInFlight": 1},
        "e-2": {"received": 2, "accepted": 2, "maxInFlight": 1},
    }
    assert [(r["eventId"], r["duplicate"]) for r in received(http, base)] == [
        ("e-1", False),
        ("e-1", False),
        ("e-2", False),
        ("e-2", True),
    ]


async def test_one_event_delivered_twice_at_once_shows_in_max_in_flight(base: str) -> None:
    async with httpx.AsyncClient(timeout=10) as client:
        await client.post(f"{base}/_control", json={"mode": "timeout", "delay": 1.0})
        url = f"{base}/callback/common"
        replies = await asyncio.gather(
            *(
                client.post(url, content=COMMON, headers=signed_headers(SECRET, COMMON, "42"))
                for _ in range(2)
            )
        )
        counts = (await client.get(f"{base}/_received/counts")).json()
    assert [a.status_code for a in replies] == [200, 200]
    assert counts == {"42": {"received": 2, "accepted": 2, "maxInFlight": 2}}


def test_a_repeat_is_acknowledged_but_not_applied_again(http: httpx.Client, base: str) -> None:
    assert send(http, base, dossier_payload(), "7").json()["error_code"] == answers.OK
    repeat = send(http, base, dossier_payload(), "7")
    assert repeat.status_code == 200 and repeat.json()["error_code"] == answers.OK
    assert received(http, base)[-1]["duplicate"] is True


def test_delete_forgets_receipts_counts_and_dossiers(http: httpx.Client, base: str) -> None:
    send(http, base, dossier_payload(), "7")
    assert http.delete(f"{base}/_received").status_code == 204
    assert received(http, base) == []
    assert http.get(f"{base}/_received/counts").json() == {}
    assert http.get(f"{base}/_dossiers/{CODE}").status_code == 404
    assert send(http, base, dossier_payload(), "7").json()["error_code"] == answers.OK
    assert received(http, base)[0]["duplicate"] is False


# The portal's own answers


def test_a_new_dossier_is_held_with_its_payload(http: httpx.Client, base: str) -> None:
    answer = send(http, base, dossier_payload(), "1")
    assert answer.status_code == 200 and answer.json()["error_code"] == answers.OK
    held = http.get(f"{base}/_dossiers/{CODE}").json()
    assert held == {"code": CODE, "dossier": SAMPLE, "progress": []}


def test_a_new_dossier_the_portal_holds_already_exists_until_resent_as_an_update(
    http: httpx.Client, base: str
) -> None:
    send(http, base, dossier_payload(), "1")
    again = send(http, base, dossier_payload(TrangThaiHoSo="9"), "2")
    assert again.status_code == 200  # the portal refuses in its body, not in HTTP
    assert again.json() == {"error_code": "-1", "message": f"Hồ sơ đã tồn tại: {CODE}"}
    assert answers.already_exists(again.json())
    assert received(http, base)[-1]["outcome"] == "refused"
    assert http.get(f"{base}/_dossiers/{CODE}").json()["dossier"]["TrangThaiHoSo"] == "4"
    update = send(http, base, dossier_payload(updating=True, TrangThaiHoSo="9"), "2")
    assert update.json()["error_code"] == answers.OK
    assert not answers.already_exists(update.json())
    assert http.get(f"{base}/_dossiers/{CODE}").json()["dossier"]["TrangThaiHoSo"] == "9"
    assert http.get(f"{base}/_received/counts").json()["2"]["accepted"] == 1


def test_progress_records_are_kept_in_order_for_a_held_dossier(
    http: httpx.Client, base: str
) -> None:
    send(http, base, dossier_payload(), "1")
    send(http, base, progress_payload(), "2")
    one_record = orjson.loads(progress_payload(TrangThai="9"))["data"]  # a bare list
    assert send(http, base, orjson.dumps(one_record), "3").json()["error_code"] == answers.OK
    progress = http.get(f"{base}/_dossiers/{CODE}").json()["progress"]
    assert [record["TrangThai"] for record in progress] == ["4", "9"]


def test_progress_for_a_dossier_the_portal_does_not_hold_is_refused(
    http: httpx.Client, base: str
) -> None:
    answer = send(http, base, progress_payload(), "1")
    assert answer.status_code == 200
    assert answer.json() == {"error_code": "-1", "message": f"Không tìm thấy hồ sơ: {CODE}"}
    assert not answers.already_exists(answer.json())


@pytest.mark.parametrize(
    "body",
    [
        b'{"isUpdating": "Maybe", "data": []}',
        b'{"isUpdating": "False", "data": [{"TenTTHC": "no MaHoSo"}]}',
        b'{"isUpdating": "False", "data": {"MaHoSo": "not a list"}}',
        b'{"service": "CapNhatTienDoHoSoMC", "data": [{"MaHoSo": ""}]}',
    ],
)
def test_a_payload_the_portal_cannot_read_is_refused_in_its_format(
    http: httpx.Client, base: str, body: bytes
) -> None:
    answer = send(http, base, body, "1")
    assert answer.status_code == 200
    assert answer.json()["error_code"] == answers.FAILED
    assert answer.json()["message"].startswith("Dữ liệu không hợp lệ")


def test_a_body_that_is_no_json_is_400(http: httpx.Client, base: str) -> None:
    answer = send(http, base, b"<HoSo/>", "1")
    assert answer.status_code == 400 and answer.json()["error_code"] == answers.FAILED
    assert received(http, base)[0]["body"] is None
