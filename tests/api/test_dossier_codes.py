"""`POST /dossier-codes`: the next `<agency>-<YYMMDD>-<NNNN>` of today in Vietnam time for a
catalogued receiving agency; numbers of a day are consecutive and never issued twice, also under
concurrent callers (STANDARD.md section 3)."""

import asyncio
from datetime import date

import httpx
import pytest

from app.domain.clock import to_vietnam, utcnow
from app.domain.identifiers import dossier_code
from tests.api.checks import assert_problem, stored
from tests.factories import snapshot

H56 = "000.00.00.H56"
H38 = "000.00.00.H38"


def today() -> date:
    return to_vietnam(utcnow()).date()


async def issue(client: httpx.AsyncClient, agency: str = H56, **headers: str) -> httpx.Response:
    return await client.post("/dossier-codes", json={"agency": agency}, headers=headers)


async def issued(client: httpx.AsyncClient, agency: str = H56) -> str:
    response = await issue(client, agency)
    assert response.status_code == 201, response.text
    code: str = response.json()["code"]
    return code


async def test_first_code_of_the_day_is_numbered_0001(client: httpx.AsyncClient) -> None:
    day = today()

    response = await issue(client)

    assert response.status_code == 201, response.text
    body = response.json()
    assert body == {
        "code": f"{H56}-{day:%y%m%d}-0001",
        "agency": H56,
        "day": day.isoformat(),
        "sequence": 1,
    }
    assert dossier_code(body["code"]) == body["code"]


async def test_codes_of_one_agency_are_consecutive(client: httpx.AsyncClient) -> None:
    prefix = f"{H56}-{today():%y%m%d}"

    codes = [await issued(client) for _ in range(3)]

    assert codes == [f"{prefix}-0001", f"{prefix}-0002", f"{prefix}-0003"]


async def test_each_agency_has_its_own_sequence(client: httpx.AsyncClient) -> None:
    day = f"{today():%y%m%d}"

    first_h56 = await issued(client, H56)
    second_h56 = await issued(client, H56)
    first_h38 = await issued(client, H38)
    third_h56 = await issued(client, H56)

    assert (first_h56, second_h56, third_h56) == (
        f"{H56}-{day}-0001",
        f"{H56}-{day}-0002",
        f"{H56}-{day}-0003",
    )
    assert first_h38 == f"{H38}-{day}-0001"


async def test_an_agency_added_to_the_catalog_can_be_issued_codes(
    client: httpx.AsyncClient,
) -> None:
    agency = "000.00.40.H38"
    before = await issue(client, agency)
    created = await client.put(
        f"/agencies/{agency}",
        json={"name": "Ủy ban nhân dân xã Hoằng Hóa", "level": "commune", "provinceCode": "38"},
    )

    after = await issue(client, agency)

    assert_problem(before, 422, "validation_failed", "agency")
    assert created.status_code == 201, created.text
    assert after.status_code == 201, after.text
    assert after.json()["code"] == f"{agency}-{today():%y%m%d}-0001"


async def test_a_failed_request_uses_no_number(client: httpx.AsyncClient) -> None:
    await issue(client, "000.00.99.H56")
    await issue(client, "not-an-agency")

    assert (await issued(client)).endswith("-0001")


async def test_unknown_agency_is_422_naming_agency(client: httpx.AsyncClient) -> None:
    response = await issue(client, "000.00.99.H56")

    problem = assert_problem(response, 422, "validation_failed", "agency")
    assert "000.00.99.H56" in problem["detail"]


@pytest.mark.parametrize(
    "agency", ["000.00.00.h56", "H56", "000.00.00.H56-251127-0001", "", "000.00.00.H5"]
)
async def test_malformed_agency_is_422_naming_agency(
    client: httpx.AsyncClient, agency: str
) -> None:
    response = await issue(client, agency)

    assert_problem(response, 422, "validation_failed", "agency")


@pytest.mark.parametrize(
    ("body", "field"), [({}, "agency"), ({"agency": H56, "day": "2026-01-01"}, "day")]
)
async def test_request_with_missing_or_unknown_members_is_422(
    client: httpx.AsyncClient, body: dict[str, str], field: str
) -> None:
    response = await client.post("/dossier-codes", json=body)

    assert_problem(response, 422, "validation_failed", field)


async def test_idempotent_retry_returns_the_same_code_without_using_a_number(
    client: httpx.AsyncClient,
) -> None:
    first = await issue(client, **{"Idempotency-Key": "ma-ho-so-1"})
    retry = await issue(client, **{"Idempotency-Key": "ma-ho-so-1"})
    other = await issue(client, **{"Idempotency-Key": "ma-ho-so-2"})

    assert (first.status_code, retry.status_code, other.status_code) == (201, 201, 201)
    assert retry.json() == first.json()
    assert retry.headers.get("Idempotent-Replayed") == "true"
    assert first.json()["sequence"] == 1
    assert other.json()["sequence"] == 2


async def test_reusing_an_idempotency_key_for_another_agency_is_422(
    client: httpx.AsyncClient,
) -> None:
    await issue(client, H56, **{"Idempotency-Key": "ma-ho-so-1"})

    response = await issue(client, H38, **{"Idempotency-Key": "ma-ho-so-1"})

    assert_problem(response, 422, "idempotency_key_reused")
    assert (await issued(client, H38)).endswith("-0001")


async def test_an_issued_code_is_a_valid_dossier_code(client: httpx.AsyncClient) -> None:
    code = await issued(client)

    dossier = await stored(client, snapshot(code=code, receivingAgency=H56, handlingAgency=H56))

    assert dossier["code"] == code


async def test_concurrent_requests_get_distinct_consecutive_numbers(
    client: httpx.AsyncClient,
) -> None:
    answers = await asyncio.gather(*(issue(client) for _ in range(50)))

    assert [a.status_code for a in answers] == [201] * 50, [a.text for a in answers]
    sequences = sorted(a.json()["sequence"] for a in answers)
    assert sequences == list(range(1, 51))
    assert len({a.json()["code"] for a in answers}) == 50
    assert (await issued(client)).endswith("-0051")


async def test_concurrent_requests_for_two_agencies_keep_separate_sequences(
    client: httpx.AsyncClient,
) -> None:
    answers = await asyncio.gather(*(issue(client, (H56, H38)[n % 2]) for n in range(20)))

    assert [a.status_code for a in answers] == [201] * 20, [a.text for a in answers]
    for agency in (H56, H38):
        mine = sorted(a.json()["sequence"] for a in answers if a.json()["agency"] == agency)
        assert mine == list(range(1, 11)), agency
