"""`PUT /dossiers/{code}`: a source system's snapshot is created, updated, left unchanged or
ignored as stale; the wire conventions of STANDARD.md sections 2 and 3 hold on input."""

import unicodedata

import httpx
import pytest

from tests.api.checks import assert_problem, history_of, put_snapshot, read, stored
from tests.factories import CODE, code_of, snapshot, source


async def test_new_snapshot_is_created_at_version_one(client: httpx.AsyncClient) -> None:
    response = await put_snapshot(client, snapshot())

    assert response.status_code == 201, response.text
    assert response.headers["Sync-Outcome"] == "created"
    assert response.headers["ETag"] == 'W/"1"'
    assert response.headers["Location"] == f"/api/v1/dossiers/{CODE}"
    body = response.json()
    assert body["code"] == CODE
    assert body["version"] == 1
    assert body["status"] == "processing"


async def test_same_snapshot_again_is_unchanged_without_a_new_version(
    client: httpx.AsyncClient,
) -> None:
    await stored(client, snapshot())

    again = await put_snapshot(client, snapshot())

    assert again.status_code == 200, again.text
    assert again.headers["Sync-Outcome"] == "unchanged"
    assert again.headers["ETag"] == 'W/"1"'
    assert "Location" not in again.headers
    assert again.json()["version"] == 1
    assert len(await history_of(client, CODE)) == 1


async def test_changed_snapshot_with_newer_source_version_is_updated(
    client: httpx.AsyncClient,
) -> None:
    await stored(client, snapshot(source_version=3))

    response = await put_snapshot(client, snapshot(source_version=4, summary="Đã bổ sung tờ khai"))

    assert response.status_code == 200, response.text
    assert response.headers["Sync-Outcome"] == "updated"
    assert response.headers["ETag"] == 'W/"2"'
    assert response.json()["version"] == 2
    assert (await read(client, CODE))["summary"] == "Đã bổ sung tờ khai"


async def test_stale_snapshot_is_ignored_by_source_version(client: httpx.AsyncClient) -> None:
    await stored(client, snapshot(source_version=3))

    # Older by version even though its updatedAt is later: the version decides.
    older = snapshot(source=source(version=2, updated_at="2025-11-27T09:00:00+07:00"))
    older["summary"] = "Bản cũ"
    response = await put_snapshot(client, older)

    assert response.status_code == 200, response.text
    assert response.headers["Sync-Outcome"] == "stale"
    assert response.json()["version"] == 1
    kept = await read(client, CODE)
    assert kept["summary"] == "Đăng ký khai sinh cho con"
    assert kept["source"]["version"] == 3
    assert len(await history_of(client, CODE)) == 1


async def test_without_source_version_staleness_is_judged_by_source_updated_at(
    client: httpx.AsyncClient,
) -> None:
    await stored(client, snapshot(source=source(version=None, updated_at="2025-11-27T09:00+07:00")))

    earlier = snapshot(source=source(version=None, updated_at="2025-11-27T08:00+07:00"))
    earlier["summary"] = "Bản cũ"
    stale = await put_snapshot(client, earlier)
    later = snapshot(source=source(version=None, updated_at="2025-11-27T10:00+07:00"))
    later["summary"] = "Bản mới"
    updated = await put_snapshot(client, later)

    assert stale.headers["Sync-Outcome"] == "stale"
    assert stale.json()["summary"] == "Đăng ký khai sinh cho con"
    assert updated.headers["Sync-Outcome"] == "updated"
    assert updated.json()["version"] == 2
    assert (await read(client, CODE))["summary"] == "Bản mới"


@pytest.mark.parametrize(
    ("stored_status", "target"),
    [("received", "returned"), ("submitted", "processing"), ("received", "resolved")],
)
async def test_snapshot_may_jump_ahead_to_a_reachable_status(
    client: httpx.AsyncClient, stored_status: str, target: str
) -> None:
    await stored(client, snapshot(source_version=3, status=stored_status))

    response = await put_snapshot(client, snapshot(source_version=4, status=target))

    assert response.status_code == 200, response.text
    assert response.headers["Sync-Outcome"] == "updated"
    assert (await read(client, CODE))["status"] == target


@pytest.mark.parametrize(
    ("stored_status", "target"),
    [
        ("resolved", "processing"),
        ("processing", "submitted"),
        ("returned", "processing"),
        ("refused", "received"),
        ("withdrawn", "processing"),
        ("stopped", "resolved"),
    ],
)
async def test_snapshot_moving_backwards_or_out_of_a_terminal_status_is_refused(
    client: httpx.AsyncClient, stored_status: str, target: str
) -> None:
    await stored(client, snapshot(source_version=3, status=stored_status))

    response = await put_snapshot(client, snapshot(source_version=4, status=target))

    problem = assert_problem(response, 409, "invalid_transition", "status")
    assert repr(stored_status) in problem["detail"]
    assert repr(target) in problem["detail"]
    kept = await read(client, CODE)
    assert (kept["status"], kept["version"]) == (stored_status, 1)


async def test_path_code_must_equal_body_code(client: httpx.AsyncClient) -> None:
    other = code_of(99)

    response = await client.put(f"/dossiers/{other}", json=snapshot())

    assert_problem(response, 422, "validation_failed", "code")
    assert (await client.get(f"/dossiers/{other}")).status_code == 404
    assert (await client.get(f"/dossiers/{CODE}")).status_code == 404


async def test_stale_if_match_is_refused_with_412(client: httpx.AsyncClient) -> None:
    await stored(client, snapshot(source_version=3))

    response = await put_snapshot(
        client, snapshot(source_version=4, summary="Ghi đè"), **{"If-Match": 'W/"7"'}
    )

    assert_problem(response, 412, "precondition_failed")
    assert response.headers["ETag"] == 'W/"1"'
    assert (await read(client, CODE))["summary"] == "Đăng ký khai sinh cho con"


async def test_matching_if_match_lets_the_write_through(client: httpx.AsyncClient) -> None:
    await stored(client, snapshot(source_version=3))

    response = await put_snapshot(
        client, snapshot(source_version=4, summary="Ghi đè"), **{"If-Match": 'W/"1"'}
    )

    assert response.status_code == 200, response.text
    assert response.headers["ETag"] == 'W/"2"'


async def test_if_match_on_a_dossier_that_does_not_exist_is_412(
    client: httpx.AsyncClient,
) -> None:
    response = await put_snapshot(client, snapshot(), **{"If-Match": 'W/"1"'})

    assert_problem(response, 412, "precondition_failed")
    assert (await client.get(f"/dossiers/{CODE}")).status_code == 404


async def test_read_only_members_in_input_are_ignored(client: httpx.AsyncClient) -> None:
    data = snapshot(
        dueAt="2099-12-31T17:00:00+07:00",
        version=42,
        createdAt="2001-01-01T00:00:00+07:00",
        updatedAt="2001-01-01T00:00:00+07:00",
        overdue=True,
    )

    response = await put_snapshot(client, data)

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["version"] == 1
    assert not body["createdAt"].startswith("2001")
    assert not body["updatedAt"].startswith("2001")
    assert body["overdue"] is False


@pytest.mark.parametrize(
    ("where", "field"),
    [((), "nickname"), (("applicant",), "applicant.nickname"), (("source",), "source.nickname")],
)
async def test_unknown_member_is_rejected_naming_it(
    client: httpx.AsyncClient, where: tuple[str, ...], field: str
) -> None:
    data = snapshot()
    target = data
    for member in where:
        target = target[member]
    target["nickname"] = "Hương"

    response = await put_snapshot(client, data)

    assert_problem(response, 422, "validation_failed", field)
    assert (await client.get(f"/dossiers/{CODE}")).status_code == 404


async def test_unknown_members_under_ext_are_kept_and_round_trip(
    client: httpx.AsyncClient,
) -> None:
    ext = {
        "dvcqg": {"MaHoSo": "H56.25.11-0012", "TrangThai": 4, "Extra": {"list": [1, "hai"]}},
        "legacyXml": {"soBienNhan": "BN-0012"},
    }

    created = await put_snapshot(client, snapshot(ext=ext))

    assert created.status_code == 201, created.text
    assert created.json()["ext"] == ext
    assert (await read(client, CODE))["ext"] == ext


@pytest.mark.parametrize(
    ("field", "path"),
    [
        ("receivedAt", ("receivedAt",)),
        ("source.updatedAt", ("source", "updatedAt")),
        ("fees[0].paidAt", ("fees", 0, "paidAt")),
    ],
)
async def test_timestamp_without_offset_is_rejected_naming_the_field(
    client: httpx.AsyncClient, field: str, path: tuple[str | int, ...]
) -> None:
    data = snapshot()
    target = data
    for member in path[:-1]:
        target = target[member]
    target[path[-1]] = "2025-11-27T08:30:00"

    response = await put_snapshot(client, data)

    assert_problem(response, 422, "validation_failed", field)


async def test_vietnamese_text_is_stored_nfc_normalised(client: httpx.AsyncClient) -> None:
    data = snapshot()
    decomposed = unicodedata.normalize("NFD", "Lê Thị Hương")
    assert decomposed != "Lê Thị Hương"
    data["applicant"]["name"] = decomposed
    data["summary"] = unicodedata.normalize("NFD", "Đăng ký khai sinh cho con")

    await stored(client, data)

    dossier = await read(client, CODE)
    assert dossier["applicant"]["name"] == unicodedata.normalize("NFC", "Lê Thị Hương")
    assert unicodedata.is_normalized("NFC", dossier["summary"])


async def test_timestamps_are_rendered_in_vietnam_time(client: httpx.AsyncClient) -> None:
    data = snapshot(receivedAt="2025-11-27T01:30:00Z", dueAt="2025-11-28T10:00:00+00:00")

    await stored(client, data)

    dossier = await read(client, CODE)
    assert dossier["receivedAt"] == "2025-11-27T08:30:00+07:00"
    assert dossier["dueAt"] == "2025-11-28T17:00:00+07:00"
    assert dossier["createdAt"].endswith("+07:00")
    assert dossier["updatedAt"].endswith("+07:00")


@pytest.mark.parametrize(
    ("field", "path", "value"),
    [
        ("applicant.idNumber", ("applicant", "idNumber"), "12345"),
        ("receivingAgency", ("receivingAgency",), "H56"),
        ("procedure.code", ("procedure", "code"), "1001193"),
        ("applicant.address.communeCode", ("applicant", "address", "communeCode"), "148"),
        ("channel", ("channel",), "fax"),
        ("status", ("status",), "archived"),
    ],
)
async def test_malformed_member_is_rejected_naming_its_field(
    client: httpx.AsyncClient, field: str, path: tuple[str, ...], value: str
) -> None:
    data = snapshot()
    target = data
    for member in path[:-1]:
        target = target[member]
    target[path[-1]] = value

    response = await put_snapshot(client, data)

    assert_problem(response, 422, "validation_failed", field)


async def test_dossier_code_with_an_impossible_date_is_rejected(
    client: httpx.AsyncClient,
) -> None:
    code = "000.00.00.H56-251332-0012"

    response = await client.put(f"/dossiers/{code}", json=snapshot(code=code))

    assert_problem(response, 422, "validation_failed", "code")


@pytest.mark.parametrize(
    ("field", "path", "value"),
    [
        # CCCD: the first three digits are a province of birth registration (001-096).
        ("applicant.idNumber", ("applicant", "idNumber"), "999190012345"),
        # Mã số thuế: the tenth digit is a check digit (0100109106 is valid).
        ("applicant.taxCode", ("applicant", "taxCode"), "0100109107"),
        # One of the 34 provinces since 1 July 2025: 99 is none of them.
        ("applicant.address.provinceCode", ("applicant", "address", "provinceCode"), "99"),
    ],
)
async def test_implausible_identifier_is_rejected_naming_its_field(
    client: httpx.AsyncClient, field: str, path: tuple[str, ...], value: str
) -> None:
    data = snapshot()
    target = data
    for member in path[:-1]:
        target = target[member]
    target[path[-1]] = value

    response = await put_snapshot(client, data)

    assert_problem(response, 422, "validation_failed", field)
