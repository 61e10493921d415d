"""Catalogs: agencies and procedures (seeded on start, edited with PUT) and the administrative
units of the 34 provinces since 1 July 2025 (STANDARD.md sections 3 and 5)."""

from typing import Any

import httpx
import pytest

from tests.api.checks import assert_problem
from tests.factories import agency, procedure

SEEDED_AGENCIES = {
    "000.00.00.G14",
    "000.00.04.G14",
    "000.00.00.G12",
    "000.00.00.H38",
    "000.00.00.H56",
    "000.00.00.H01",
    "000.00.00.H79",
    "000.00.12.H38",
    "000.00.31.H38",
}
CIVIL_STATUS = {"1.001193", "1.000894", "1.000656", "1.003005"}  # field G09-HT
NEW_AGENCY = "000.00.40.H38"
NEW_PROCEDURE = "1.010708.000.00.00.H56"


async def listed(client: httpx.AsyncClient, path: str, **params: Any) -> set[str]:
    """The codes of a one-page list."""
    response = await client.get(path, params={"limit": 500, **params})
    assert response.status_code == 200, response.text
    page = response.json()
    assert page["nextCursor"] is None
    return {item["code"] for item in page["items"]}


# Agencies


async def test_seeded_agencies_are_listed(client: httpx.AsyncClient) -> None:
    assert await listed(client, "/agencies") >= SEEDED_AGENCIES


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"level": "commune"}, {"000.00.31.H38"}),
        ({"level": "central"}, {"000.00.00.G14", "000.00.04.G14", "000.00.00.G12"}),
        ({"provinceCode": "38"}, {"000.00.00.H38", "000.00.12.H38", "000.00.31.H38"}),
        ({"provinceCode": "38", "level": "province"}, {"000.00.00.H38", "000.00.12.H38"}),
        ({"provinceCode": "56"}, {"000.00.00.H56"}),
    ],
)
async def test_agency_list_filters_by_level_and_province(
    client: httpx.AsyncClient, params: dict[str, str], expected: set[str]
) -> None:
    assert await listed(client, "/agencies", **params) == expected


@pytest.mark.parametrize(
    ("params", "field"),
    [({"level": "district"}, "level"), ({"provinceCode": "99"}, "provinceCode")],
)
async def test_agency_list_rejects_an_unknown_filter_value(
    client: httpx.AsyncClient, params: dict[str, str], field: str
) -> None:
    response = await client.get("/agencies", params=params)

    assert_problem(response, 422, "validation_failed", field)


async def test_agency_cursor_paging_visits_each_agency_once(client: httpx.AsyncClient) -> None:
    everything = await listed(client, "/agencies")
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        response = await client.get("/agencies", params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        assert len(page["items"]) <= 2
        seen += [item["code"] for item in page["items"]]
        pages += 1
        cursor = page["nextCursor"]
        if cursor is None:
            break

    assert len(seen) == len(set(seen)) == len(everything)
    assert set(seen) == everything
    assert seen == sorted(seen)
    assert pages == (len(everything) + 1) // 2


async def test_seeded_agency_reads_with_its_parent_and_province(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/agencies/000.00.12.H38")

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["code"] == "000.00.12.H38"
    assert body["name"] == "Sở Tư pháp tỉnh Thanh Hóa"
    assert (body["level"], body["parent"], body["provinceCode"]) == (
        "province",
        "000.00.00.H38",
        "38",
    )
    assert body["updatedAt"].endswith("+07:00")


async def test_unknown_agency_is_404_problem(client: httpx.AsyncClient) -> None:
    response = await client.get(f"/agencies/{NEW_AGENCY}")

    problem = assert_problem(response, 404, "agency_not_found")
    assert NEW_AGENCY in problem["detail"]


async def test_put_agency_creates_it_then_replaces_it(client: httpx.AsyncClient) -> None:
    created = await client.put(f"/agencies/{NEW_AGENCY}", json=agency())
    replaced = await client.put(
        f"/agencies/{NEW_AGENCY}",
        json=agency(name="Ủy ban nhân dân xã Hoằng Tiến", parent=None),
    )

    assert created.status_code == 201, created.text
    assert created.json()["name"] == "Ủy ban nhân dân xã Hoằng Hóa"
    assert replaced.status_code == 200, replaced.text
    read = (await client.get(f"/agencies/{NEW_AGENCY}")).json()
    assert read["name"] == "Ủy ban nhân dân xã Hoằng Tiến"
    assert read["parent"] is None
    assert (read["code"], read["level"], read["provinceCode"]) == (NEW_AGENCY, "commune", "38")
    assert NEW_AGENCY in await listed(client, "/agencies", level="commune", provinceCode="38")


async def test_put_agency_replaces_a_seeded_agency(client: httpx.AsyncClient) -> None:
    renamed = agency(
        name="Ủy ban nhân dân tỉnh Khánh Hòa (mới)",
        level="province",
        parent=None,
        provinceCode="56",
    )

    response = await client.put("/agencies/000.00.00.H56", json=renamed)

    assert response.status_code == 200, response.text
    assert (await client.get("/agencies/000.00.00.H56")).json()["name"] == (
        "Ủy ban nhân dân tỉnh Khánh Hòa (mới)"
    )


@pytest.mark.parametrize("code", ["000.00.40.h38", "00.00.40.H38", "000-00-40-H38", "H38"])
async def test_put_agency_with_a_malformed_code_names_the_code(
    client: httpx.AsyncClient, code: str
) -> None:
    response = await client.put(f"/agencies/{code}", json=agency())

    assert_problem(response, 422, "validation_failed", "code")
    assert (await client.get("/agencies/000.00.00.H38")).status_code == 200


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"provinceCode": "99"}, "provinceCode"),
        ({"provinceCode": "4"}, "provinceCode"),
        ({"level": "district"}, "level"),
        ({"parent": "H38"}, "parent"),
        ({"name": ""}, "name"),
    ],
)
async def test_put_agency_with_a_bad_member_names_it(
    client: httpx.AsyncClient, changes: dict[str, Any], field: str
) -> None:
    response = await client.put(f"/agencies/{NEW_AGENCY}", json=agency(**changes))

    assert_problem(response, 422, "validation_failed", field)
    assert (await client.get(f"/agencies/{NEW_AGENCY}")).status_code == 404


async def test_put_agency_with_an_unknown_member_is_rejected(client: httpx.AsyncClient) -> None:
    response = await client.put(f"/agencies/{NEW_AGENCY}", json=agency(taxCode="0100109106"))

    assert_problem(response, 422, "validation_failed", "taxCode")
    assert (await client.get(f"/agencies/{NEW_AGENCY}")).status_code == 404


# Procedures


async def test_procedure_list_filters_by_field(client: httpx.AsyncClient) -> None:
    assert await listed(client, "/procedures", fieldCode="G09-HT") == CIVIL_STATUS
    assert await listed(client, "/procedures", fieldCode="G12-DD") == {"1.004227"}
    assert await listed(client, "/procedures") >= CIVIL_STATUS | {"2.000908", "1.004227"}


async def test_procedure_cursor_paging_visits_each_procedure_once(
    client: httpx.AsyncClient,
) -> None:
    first = (await client.get("/procedures", params={"limit": 4})).json()
    rest = (
        await client.get("/procedures", params={"limit": 4, "cursor": first["nextCursor"]})
    ).json()

    codes = [p["code"] for p in first["items"] + rest["items"]]
    assert len(first["items"]) == 4 and first["nextCursor"] is not None
    assert rest["nextCursor"] is None
    assert sorted(codes) == codes and set(codes) == await listed(client, "/procedures")


async def test_seeded_procedure_reads_with_its_processing_limit(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/procedures/1.000894")

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["code"], body["name"]) == ("1.000894", "Thủ tục đăng ký kết hôn")
    assert body["fieldCode"] == "G09-HT"
    assert body["processingLimit"] == {"value": 5, "unit": "working_days"}
    assert [(f["name"], f["amount"]) for f in body["fees"]] == [("Lệ phí đăng ký kết hôn", 0)]
    assert body["issuesResult"] is True


async def test_unknown_procedure_is_404_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/procedures/9.999999")

    problem = assert_problem(response, 404, "procedure_not_found")
    assert "9.999999" in problem["detail"]


async def test_put_procedure_creates_it_then_replaces_it(client: httpx.AsyncClient) -> None:
    created = await client.put(f"/procedures/{NEW_PROCEDURE}", json=procedure())
    replaced = await client.put(
        f"/procedures/{NEW_PROCEDURE}",
        json=procedure(
            processingLimit={"value": 16, "unit": "working_hours"},
            fees=[{"code": "LP01", "name": "Lệ phí", "amount": 5000}],
            issuesResult=False,
        ),
    )

    assert created.status_code == 201, created.text
    assert created.json()["processingLimit"] == {"value": 3, "unit": "working_days"}
    assert replaced.status_code == 200, replaced.text
    read = (await client.get(f"/procedures/{NEW_PROCEDURE}")).json()
    assert read["processingLimit"] == {"value": 16, "unit": "working_hours"}
    assert read["fees"] == [{"code": "LP01", "name": "Lệ phí", "amount": 5000}]
    assert read["issuesResult"] is False
    assert NEW_PROCEDURE in await listed(client, "/procedures", fieldCode="G09-HT")


@pytest.mark.parametrize("code", ["1.23", "A.000894", "1000894", "1.000894.", "1.000894.H-56"])
async def test_put_procedure_with_a_malformed_tthc_code_names_the_code(
    client: httpx.AsyncClient, code: str
) -> None:
    response = await client.put(f"/procedures/{code}", json=procedure())

    assert_problem(response, 422, "validation_failed", "code")


@pytest.mark.parametrize(
    ("limit", "field"),
    [
        ({"value": 3, "unit": "weeks"}, "processingLimit.unit"),
        ({"value": 3}, "processingLimit.unit"),
        ({"value": -1, "unit": "days"}, "processingLimit.value"),
        ({"value": 3, "unit": "days", "note": "x"}, "processingLimit.note"),
    ],
)
async def test_put_procedure_with_a_bad_processing_limit_names_it(
    client: httpx.AsyncClient, limit: dict[str, Any], field: str
) -> None:
    response = await client.put(
        f"/procedures/{NEW_PROCEDURE}", json=procedure(processingLimit=limit)
    )

    assert_problem(response, 422, "validation_failed", field)
    assert (await client.get(f"/procedures/{NEW_PROCEDURE}")).status_code == 404


async def test_put_procedure_with_a_negative_fee_names_it(client: httpx.AsyncClient) -> None:
    response = await client.put(
        f"/procedures/{NEW_PROCEDURE}", json=procedure(fees=[{"name": "Lệ phí", "amount": -5}])
    )

    assert_problem(response, 422, "validation_failed", "fees[0].amount")


# Administrative units


async def test_there_are_exactly_34_provinces(client: httpx.AsyncClient) -> None:
    response = await client.get("/administrative-units/provinces")

    assert response.status_code == 200, response.text
    provinces = response.json()
    assert len(provinces) == 34
    assert len({p["code"] for p in provinces}) == 34
    thanh_hoa = next(p for p in provinces if p["code"] == "38")
    assert thanh_hoa["name"] == "Thanh Hóa"
    assert thanh_hoa["divisionType"] == "tỉnh"
    assert {"01", "79", "56"} <= {p["code"] for p in provinces}


async def test_communes_of_a_province_belong_to_it(client: httpx.AsyncClient) -> None:
    response = await client.get("/administrative-units/communes", params={"provinceCode": "38"})

    assert response.status_code == 200, response.text
    communes = response.json()
    assert communes, "Thanh Hóa has communes"
    assert {c["provinceCode"] for c in communes} == {"38"}
    hac_thanh = next(c for c in communes if c["code"] == "14797")
    assert hac_thanh["name"] == "Phường Hạc Thành"
    assert hac_thanh["divisionType"] == "phường"
    assert all(len(c["code"]) == 5 and c["code"].isdigit() for c in communes)
    other = (
        await client.get("/administrative-units/communes", params={"provinceCode": "01"})
    ).json()
    assert not {c["code"] for c in other} & {c["code"] for c in communes}


@pytest.mark.parametrize("params", [{"provinceCode": "99"}, {"provinceCode": "038"}])
async def test_communes_of_an_unknown_province_are_422(
    client: httpx.AsyncClient, params: dict[str, str]
) -> None:
    response = await client.get("/administrative-units/communes", params=params)

    assert_problem(response, 422, "validation_failed", "provinceCode")


async def test_communes_without_a_province_are_422(client: httpx.AsyncClient) -> None:
    response = await client.get("/administrative-units/communes")

    assert_problem(response, 422, "validation_failed", "provinceCode")
