"""`GET /dossiers/{code}/status`: the compact status projection for the national portal, with
the applicant's name masked, an ETag that follows `overdue`, and 304 (STANDARD.md section 5)."""

import httpx

from app.schemas.dossier import StatusProjection
from tests.api.checks import assert_problem, read, stored
from tests.auth import bearer, create_client
from tests.factories import CODE, code_of, snapshot, status_change

FUTURE = "2099-12-31T17:00:00+07:00"
REVALIDATE = "private, max-age=0, must-revalidate"


async def status_of(client: httpx.AsyncClient, code: str = CODE, **headers: str) -> httpx.Response:
    return await client.get(f"/dossiers/{code}/status", headers=headers)


async def test_the_projection_shows_the_status_its_code_label_dates_and_masked_name(
    client: httpx.AsyncClient,
) -> None:
    await stored(client, snapshot(dueAt=FUTURE))

    response = await status_of(client)

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {
        "code": CODE,
        "procedure": {"code": "1.001193", "name": "Thủ tục đăng ký khai sinh"},
        "handlingAgency": "000.00.00.H56",
        "status": "processing",
        "statusCode": 4,
        "statusLabel": "Đang xử lý",
        "receivedAt": "2025-11-27T08:30:00+07:00",
        "dueAt": FUTURE,
        "resolvedAt": None,
        "returnedAt": None,
        "overdue": False,
        "applicantName": "Lê T** H****",
    }
    StatusProjection.model_validate(response.json())  # the answer is what OpenAPI documents


async def test_the_projection_carries_the_dates_exactly_as_the_whole_dossier_does(
    client: httpx.AsyncClient,
) -> None:
    await stored(
        client,
        snapshot(
            status="returned",
            receivedAt="2025-11-27T01:30:00.5Z",
            resolvedAt="2025-11-28T03:15:00Z",
            returnedAt="2025-11-28T15:00:00+07:00",
        ),
    )

    projection = (await status_of(client)).json()
    dossier = await read(client, CODE)

    for member in ("receivedAt", "dueAt", "resolvedAt", "returnedAt", "overdue"):
        assert projection[member] == dossier[member], member
    assert projection["resolvedAt"] == "2025-11-28T10:15:00+07:00"
    assert (projection["statusCode"], projection["statusLabel"]) == (10, "Đã trả kết quả")


async def test_a_procedure_sent_without_a_name_shows_a_null_name(
    client: httpx.AsyncClient,
) -> None:
    await stored(client, snapshot(procedure={"code": "1.000894"}))

    assert (await status_of(client)).json()["procedure"] == {"code": "1.000894", "name": None}


async def test_the_applicants_full_name_and_id_number_never_appear(
    client: httpx.AsyncClient,
) -> None:
    dossier = snapshot()
    dossier["applicant"]["name"] = "Nguyễn Văn An"
    await stored(client, dossier)

    response = await status_of(client)

    assert response.json()["applicantName"] == "Nguyễn V** A*"
    assert "Văn" not in response.text
    assert dossier["applicant"]["idNumber"] not in response.text


async def test_the_current_etag_is_answered_304_with_its_cache_headers(
    client: httpx.AsyncClient,
) -> None:
    await stored(client, snapshot(dueAt=FUTURE))
    first = await status_of(client)

    again = await status_of(client, **{"If-None-Match": first.headers["ETag"]})

    assert first.headers["ETag"] == 'W/"1"'
    assert first.headers["Cache-Control"] == REVALIDATE
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["ETag"] == 'W/"1"'
    assert again.headers["Cache-Control"] == REVALIDATE


async def test_a_status_change_makes_the_old_etag_read_the_new_status(
    client: httpx.AsyncClient,
) -> None:
    await stored(client, snapshot(dueAt=FUTURE))
    changed = await client.post(f"/dossiers/{CODE}/status", json=status_change("resolved"))
    assert changed.status_code == 200, changed.text

    response = await status_of(client, **{"If-None-Match": 'W/"1"'})

    assert response.status_code == 200
    assert response.headers["ETag"] == 'W/"2"'
    assert (response.json()["status"], response.json()["statusCode"]) == ("resolved", 9)


async def test_a_dossier_that_turned_overdue_is_not_answered_304_for_its_earlier_tag(
    client: httpx.AsyncClient,
) -> None:
    # Still processing, due on 28 November 2025: late now, with no new version since. A portal
    # holding the tag of the time it was not yet late must see `overdue` turn true.
    await stored(client, snapshot())

    response = await status_of(client, **{"If-None-Match": 'W/"1"'})
    current = await status_of(client, **{"If-None-Match": response.headers["ETag"]})

    assert response.status_code == 200
    assert response.headers["ETag"] == 'W/"1-overdue"'
    assert response.json()["overdue"] is True
    assert current.status_code == 304


async def test_a_status_of_an_unknown_dossier_is_404(client: httpx.AsyncClient) -> None:
    assert_problem(await status_of(client, code_of(404)), 404, "dossier_not_found")


async def test_a_client_with_neither_status_read_nor_dossiers_read_is_refused_naming_both(
    client: httpx.AsyncClient,
) -> None:
    await stored(client, snapshot())
    writer = await create_client(client, "province", ["*.*.*.H56"], scopes=["dossiers:write"])

    response = await status_of(client, **await bearer(client, writer))

    problem = assert_problem(response, 403, "insufficient_scope")
    assert "one of the scopes: status:read dossiers:read" in problem["detail"]


def test_openapi_documents_either_scope_and_the_projections_example() -> None:
    from app.main import create_app
    from app.settings import Settings

    document = create_app(Settings(_env_file=None)).openapi()  # type: ignore[call-arg]
    operation = document["paths"]["/api/v1/dossiers/{code}/status"]["get"]

    assert operation["security"] == [
        {"clientCredentials": ["status:read"]},
        {"clientCredentials": ["dossiers:read"]},
    ]
    schema = document["components"]["schemas"]["StatusProjection"]
    assert schema["examples"][0]["applicantName"] == "Lê T** H****"
