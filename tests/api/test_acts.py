"""`POST /dossiers/{code}/steps` and `/extensions`: processing steps are appended to the
history; an extension moves the appointment and keeps the first one (STANDARD.md 3, 5)."""

import httpx
import pytest

from tests.api.checks import assert_problem, history_of, read, stored
from tests.factories import CODE, code_of, extension, snapshot, step

TERMINAL = ["refused", "withdrawn", "stopped", "returned"]


async def add_step(
    client: httpx.AsyncClient, body: dict[str, object], **headers: str
) -> httpx.Response:
    return await client.post(f"/dossiers/{CODE}/steps", json=body, headers=headers)


async def extend(
    client: httpx.AsyncClient, body: dict[str, object], **headers: str
) -> httpx.Response:
    return await client.post(f"/dossiers/{CODE}/extensions", json=body, headers=headers)


async def test_step_is_recorded_with_a_new_version(client: httpx.AsyncClient) -> None:
    await stored(client, snapshot())

    response = await add_step(client, step())

    assert response.status_code == 201, response.text
    assert response.headers["ETag"] == 'W/"2"'
    body = response.json()
    assert (body["version"], body["status"]) == (2, "processing")
    assert (await read(client, CODE))["version"] == 2


async def test_step_appears_in_history_as_step_added(client: httpx.AsyncClient) -> None:
    await stored(client, snapshot())

    await add_step(client, step(stepDueAt="2025-11-28T03:00:00Z"))

    entry = (await history_of(client, CODE))[-1]
    assert (entry["version"], entry["type"]) == (2, "dossier.step_added")
    assert entry["status"] == "processing"
    assert entry["fromStatus"] is None
    assert entry["at"] == "2025-11-27T14:00:00+07:00"
    assert entry["data"]["step"] == {
        "at": "2025-11-27T14:00:00+07:00",
        "handler": "Nguyễn Văn Bình",
        "title": "Chuyên viên",
        "unit": "Phòng Tư pháp",
        "content": "Thẩm định hồ sơ",
        "stepDueAt": "2025-11-28T10:00:00+07:00",
    }


async def test_steps_are_appended_in_order(client: httpx.AsyncClient) -> None:
    await stored(client, snapshot())

    for content in ("Tiếp nhận", "Thẩm định hồ sơ", "Trình ký"):
        assert (await add_step(client, step(content=content))).status_code == 201

    steps = [h["data"]["step"]["content"] for h in (await history_of(client, CODE))[1:]]
    assert steps == ["Tiếp nhận", "Thẩm định hồ sơ", "Trình ký"]


@pytest.mark.parametrize("status", TERMINAL)
async def test_closed_dossier_takes_no_steps(client: httpx.AsyncClient, status: str) -> None:
    await stored(client, snapshot(status=status))

    response = await add_step(client, step())

    assert_problem(response, 409, "dossier_closed")
    assert (await read(client, CODE))["version"] == 1


async def test_step_on_an_unknown_dossier_is_404(client: httpx.AsyncClient) -> None:
    response = await client.post(f"/dossiers/{code_of(404)}/steps", json=step())

    assert_problem(response, 404, "dossier_not_found")


async def test_step_with_a_stale_if_match_is_412(client: httpx.AsyncClient) -> None:
    await stored(client, snapshot())
    await add_step(client, step())

    response = await add_step(client, step(content="Trình ký"), **{"If-Match": 'W/"1"'})

    assert_problem(response, 412, "precondition_failed")
    assert response.headers["ETag"] == 'W/"2"'
    assert len(await history_of(client, CODE)) == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (step(at="2025-11-27T14:00:00"), "at"),
        (step(unit=""), "unit"),
        ({"at": "2025-11-27T14:00:00+07:00", "unit": "Phòng Tư pháp"}, "handler"),
        (step(priority="cao"), "priority"),
    ],
    ids=["at-without-offset", "empty-unit", "no-handler", "unknown-member"],
)
async def test_invalid_step_is_rejected_naming_the_field(
    client: httpx.AsyncClient, body: dict[str, object], field: str
) -> None:
    await stored(client, snapshot())

    response = await add_step(client, body)

    assert_problem(response, 422, "validation_failed", field)


async def test_extension_moves_the_due_date_and_keeps_the_first_in_original_due_at(
    client: httpx.AsyncClient,
) -> None:
    await stored(client, snapshot(dueAt="2025-11-28T17:00:00+07:00"))

    first = await extend(client, extension("2025-12-03T17:00:00+07:00"))
    second = await extend(
        client, extension("2025-12-05T10:00:00Z", issuedAt="2025-12-02T16:00:00+07:00")
    )

    assert first.status_code == second.status_code == 201, (first.text, second.text)
    assert first.headers["ETag"] == 'W/"2"'
    dossier = second.json()
    assert dossier["version"] == 3
    assert dossier["dueAt"] == "2025-12-05T17:00:00+07:00"
    assert dossier["originalDueAt"] == "2025-11-28T17:00:00+07:00"
    assert dossier["extensions"] == [
        {
            "issuedAt": "2025-11-28T16:00:00+07:00",
            "reason": "Cần xác minh thêm thông tin",
            "previousDueAt": "2025-11-28T17:00:00+07:00",
            "newDueAt": "2025-12-03T17:00:00+07:00",
        },
        {
            "issuedAt": "2025-12-02T16:00:00+07:00",
            "reason": "Cần xác minh thêm thông tin",
            "previousDueAt": "2025-12-03T17:00:00+07:00",
            "newDueAt": "2025-12-05T17:00:00+07:00",
        },
    ]
    assert (await read(client, CODE))["dueAt"] == "2025-12-05T17:00:00+07:00"


async def test_extension_appears_in_history_as_extended(client: httpx.AsyncClient) -> None:
    await stored(client, snapshot())

    await extend(client, extension())

    entry = (await history_of(client, CODE))[-1]
    assert (entry["version"], entry["type"]) == (2, "dossier.extended")
    assert entry["at"] == "2025-11-28T16:00:00+07:00"
    assert entry["data"]["extension"]["newDueAt"] == "2025-12-03T17:00:00+07:00"


async def test_extension_moves_a_dossier_out_of_overdue_in_the_list(
    client: httpx.AsyncClient,
) -> None:
    await stored(client, snapshot())
    assert (await read(client, CODE))["overdue"] is True

    await extend(client, extension("2099-12-31T17:00:00+07:00"))

    assert (await read(client, CODE))["overdue"] is False
    listed = (await client.get("/dossiers", params={"overdue": "false"})).json()["items"]
    assert [item["code"] for item in listed] == [CODE]


@pytest.mark.parametrize("new_due_at", ["2025-11-28T17:00:00+07:00", "2025-11-28T09:00:00+07:00"])
async def test_extension_must_be_later_than_the_current_due_date(
    client: httpx.AsyncClient, new_due_at: str
) -> None:
    await stored(client, snapshot(dueAt="2025-11-28T17:00:00+07:00"))

    response = await extend(client, extension(new_due_at))

    assert_problem(response, 422, "validation_failed", "newDueAt")
    dossier = await read(client, CODE)
    assert (dossier["version"], dossier["extensions"]) == (1, [])


async def test_dossier_without_a_due_date_cannot_be_extended(client: httpx.AsyncClient) -> None:
    # A procedure the catalog does not know: the hub cannot give it an appointment either.
    await stored(client, snapshot(dueAt=None, procedure={"code": "9.999999"}))

    response = await extend(client, extension())

    assert_problem(response, 409, "no_due_date")
    assert (await read(client, CODE))["version"] == 1


@pytest.mark.parametrize("status", TERMINAL)
async def test_closed_dossier_cannot_be_extended(client: httpx.AsyncClient, status: str) -> None:
    await stored(client, snapshot(status=status))

    response = await extend(client, extension())

    assert_problem(response, 409, "dossier_closed")
    assert (await read(client, CODE))["dueAt"] == "2025-11-28T17:00:00+07:00"


async def test_extension_of_an_unknown_dossier_is_404(client: httpx.AsyncClient) -> None:
    response = await client.post(f"/dossiers/{code_of(404)}/extensions", json=extension())

    assert_problem(response, 404, "dossier_not_found")


async def test_extension_with_a_stale_if_match_is_412(client: httpx.AsyncClient) -> None:
    await stored(client, snapshot())

    response = await extend(client, extension(), **{"If-Match": 'W/"5"'})

    assert_problem(response, 412, "precondition_failed")
    assert response.headers["ETag"] == 'W/"1"'


async def test_extension_without_offset_is_rejected_naming_the_field(
    client: httpx.AsyncClient,
) -> None:
    await stored(client, snapshot())

    response = await extend(client, extension("2025-12-03T17:00:00"))

    assert_problem(response, 422, "validation_failed", "newDueAt")
