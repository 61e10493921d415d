"""`GET /reports/indicators`: the Decision 766/QĐ-TTg indicators over a period (STANDARD.md
section 5 "Reports", docs/decisions.md), checked against counts worked out by hand."""

from datetime import timedelta
from typing import Any

import httpx
import pytest

from app.domain.clock import to_vietnam, utcnow
from tests.api.checks import assert_problem, stored
from tests.auth import bearer, create_client
from tests.factories import code_of, procedure, snapshot

H56, H38, G14 = "000.00.00.H56", "000.00.00.H38", "000.00.04.G14"
MARCH = {"from": "2026-03-01", "to": "2026-03-31"}  # ends 2026-04-01T00:00+07:00

SUBMITTED = {
    "id": "f-1",
    "kind": "submitted",
    "name": "Tờ khai",
    "url": "https://files.example.vn/f-1",
}
REUSED = {**SUBMITTED, "reused": True}
RESULT = {
    "id": "r-1",
    "kind": "result",
    "name": "Giấy khai sinh (bản điện tử)",
    "url": "https://files.example.vn/r-1",
}
NO_RESULT_PROCEDURE = "2.000488"  # put in the catalog as issuing no result document
UNKNOWN_PROCEDURE = "1.010708.000.00.00.H56"  # not in the catalog


def rating(value: str) -> dict[str, str]:
    return {"value": value, "at": "2026-03-31T10:00:00+07:00"}


def supplement(requested: str, received: str | None = None) -> dict[str, str]:
    entry = {"requestedAt": requested, "reason": "Bổ sung bản sao giấy chứng sinh"}
    return entry | ({"receivedAt": received} if received else {})


def dossier(n: int, received: str | None, status: str, **changes: Any) -> dict[str, Any]:
    """Dossier n of H56 with an applicant of province 38, received online on `received`, due
    as given, with one submitted document unless `documents` says otherwise."""
    agency = changes.pop("agency", H56)
    members: dict[str, Any] = {
        "code": code_of(n, agency=agency, day="260301"),
        "receivingAgency": agency,
        "handlingAgency": changes.pop("handlingAgency", agency),
        "status": status,
        "receivedAt": received,
        "submittedAt": received,
        "documents": [SUBMITTED],
        **changes,
    }
    data = snapshot(**members)
    return {k: v for k, v in data.items() if v is not None}  # None: leave the member out


# Each dossier says which indicators it counts towards over March 2026, unfiltered:
# received (online, issuing, electronicResult, digitisation, reuse) and judged for onTime
# (late, dissatisfied).
FIXTURE: list[dict[str, Any]] = [
    # 1: online, resolved before due with an electronic result: online, issuing, electronic,
    # digitised; judged, on time.
    dossier(
        1, "2026-03-02T09:00:00+07:00", "resolved",
        dueAt="2026-03-03T17:00:00+07:00", resolvedAt="2026-03-03T10:00:00+07:00",
        documents=[SUBMITTED, RESULT], rating=rating("satisfied"),
    ),
    # 2: at the counter, resolved a day late with no electronic result, rated dissatisfied:
    # issuing; judged, late, dissatisfied.
    dossier(
        2, "2026-03-05T09:00:00+07:00", "resolved", channel="counter",
        dueAt="2026-03-09T17:00:00+07:00", resolvedAt="2026-03-10T10:00:00+07:00",
        rating=rating("dissatisfied"),
    ),
    # 3: by post, open at the end of March and due in April (not yet due), a reused document:
    # issuing, reuse; judged, on time. Not digitised: its procedure issues a result it lacks.
    dossier(
        3, "2026-03-10T09:00:00+07:00", "processing", channel="postal",
        dueAt="2026-04-15T17:00:00+07:00", documents=[REUSED],
    ),
    # 4: online, open at the end of March and due on 20 March, no documents at all: online,
    # issuing; judged, late.
    dossier(
        4, "2026-03-12T09:00:00+07:00", "processing",
        dueAt="2026-03-20T17:00:00+07:00", documents=[],
    ),
    # 5: online, resolved on time but after two supplement requests, electronic result:
    # online, issuing, electronic, digitised; judged, late (more than one supplement).
    dossier(
        5, "2026-03-15T09:00:00+07:00", "returned",
        dueAt="2026-03-20T17:00:00+07:00", resolvedAt="2026-03-16T10:00:00+07:00",
        returnedAt="2026-03-16T15:00:00+07:00", documents=[SUBMITTED, RESULT],
        supplements=[
            supplement("2026-03-15T10:00:00+07:00", "2026-03-15T14:00:00+07:00"),
            supplement("2026-03-16T08:00:00+07:00", "2026-03-16T09:00:00+07:00"),
        ],
        rating=rating("very_satisfied"),
    ),
    # 6: online, waiting for a supplement since 19 March, due 25 March: judged when the wait
    # began, so on time. Online, issuing; judged, on time.
    dossier(
        6, "2026-03-18T09:00:00+07:00", "supplement_requested",
        dueAt="2026-03-25T17:00:00+07:00",
        supplements=[supplement("2026-03-19T09:00:00+07:00")],
    ),
    # 7: a procedure that issues no result, at the counter, resolved on time: digitised
    # (submitted documents are all it needs); judged, on time. Not issuing.
    dossier(
        7, "2026-03-20T09:00:00+07:00", "resolved", channel="counter",
        procedure={"code": NO_RESULT_PROCEDURE, "name": "Thủ tục thông báo tổ chức lễ hội"},
        dueAt="2026-03-25T17:00:00+07:00", resolvedAt="2026-03-21T10:00:00+07:00",
    ),
    # 8: a procedure the catalog does not know, online, withdrawn: online, digitised (nothing
    # says it issues a result); not judged (closed without a result). Not issuing.
    dossier(
        8, "2026-03-22T09:00:00+07:00", "withdrawn",
        procedure={"code": UNKNOWN_PROCEDURE, "name": "Thủ tục đặc thù của tỉnh"},
        dueAt="2026-03-27T17:00:00+07:00",
    ),
    # 9: received in February, still open, due 5 March: carried over; judged, late.
    dossier(
        9, "2026-02-20T09:00:00+07:00", "processing", dueAt="2026-03-05T17:00:00+07:00",
    ),
    # 10: received in February, resolved on time in March, rated dissatisfied: carried over;
    # judged, on time, dissatisfied.
    dossier(
        10, "2026-02-25T09:00:00+07:00", "resolved",
        dueAt="2026-03-04T17:00:00+07:00", resolvedAt="2026-03-02T10:00:00+07:00",
        rating=rating("dissatisfied"),
    ),
    # 11: received and resolved in February: nothing in March.
    dossier(
        11, "2026-02-10T09:00:00+07:00", "resolved",
        dueAt="2026-02-20T17:00:00+07:00", resolvedAt="2026-02-19T10:00:00+07:00",
    ),
    # 12: received at 23:30 on 31 March, Vietnam time (16:30 UTC): in March. At the counter,
    # open, not yet due: issuing; judged, on time.
    dossier(
        12, "2026-03-31T23:30:00+07:00", "received", channel="counter",
        dueAt="2026-04-03T17:00:00+07:00",
    ),
    # 13: received at 00:30 on 1 April, Vietnam time, though still 31 March in UTC: not in
    # March at all.
    dossier(13, "2026-04-01T00:30:00+07:00", "received", dueAt="2026-04-03T17:00:00+07:00"),
    # 14: another province's dossier (H38, applicant in Hà Nội), online, resolved on time with
    # a reused electronic result: online, issuing, electronic, digitised, reuse; judged, on
    # time. Only the unfiltered report, `province=01` and `agency=*.*.*.H38` count it.
    dossier(
        14, "2026-03-03T09:00:00+07:00", "resolved", agency=H38,
        dueAt="2026-03-06T17:00:00+07:00", resolvedAt="2026-03-04T10:00:00+07:00",
        documents=[SUBMITTED, {**RESULT, "reused": True}],
        applicant={
            "kind": "citizen", "name": "Trần Minh Khoa",
            "address": {"text": "Phường Ba Đình", "provinceCode": "01", "communeCode": "00004"},
        },
    ),
    # 15: filed online but not yet received: nothing.
    dossier(15, None, "submitted", dueAt=None),
    # 16: received by H56, now handled by the ministry's G14, online, open, not yet due:
    # online, issuing; judged, on time. `agency=000.00.04.G14` counts it alone.
    dossier(
        16, "2026-03-25T09:00:00+07:00", "processing", handlingAgency=G14,
        dueAt="2026-04-10T17:00:00+07:00",
    ),
]  # fmt: skip


def expected(
    received: int,
    online: int,
    issuing: int,
    electronic: int,
    digitised: int,
    reused: int,
    judged: int,
    late: int,
    dissatisfied: int,
    rates: tuple[float | None, ...],
) -> dict[str, dict[str, Any]]:
    counts = [
        (judged - late, judged),
        (online, received),
        (electronic, issuing),
        (digitised, received),
        (reused, received),
        (judged - late - dissatisfied, judged),
    ]
    names = ["onTime", "online", "electronicResult", "digitisation", "reuse", "satisfaction"]
    return {
        name: {"numerator": n, "denominator": d, "rate": rate}
        for name, (n, d), rate in zip(names, counts, rates, strict=True)
    }


@pytest.fixture
async def march(client: httpx.AsyncClient) -> None:
    answer = await client.put(
        f"/procedures/{NO_RESULT_PROCEDURE}",
        json=procedure(name="Thủ tục thông báo tổ chức lễ hội", issuesResult=False),
    )
    assert answer.status_code in (200, 201), answer.text
    synced = await client.post("/sync/dossiers", json={"items": FIXTURE})
    assert [r["outcome"] for r in synced.json()["results"]] == ["created"] * len(FIXTURE), (
        synced.text
    )


async def indicators(client: httpx.AsyncClient, **params: str) -> dict[str, Any]:
    response = await client.get("/reports/indicators", params=params)
    assert response.status_code == 200, response.text
    report: dict[str, Any] = response.json()
    return report


@pytest.mark.usefixtures("march")
async def test_every_indicator_over_a_month_matches_the_hand_count(
    client: httpx.AsyncClient,
) -> None:
    report = await indicators(client, **MARCH)

    # Received in March: 1-8, 12, 14, 16 (11); judged: 1-7, 9, 10, 12, 14, 16 (12).
    # online 1 4 5 6 8 14 16; issuing 1-6 12 14 16; electronic 1 5 14; digitised 1 5 7 8 14;
    # reused 3 14; late 2 4 5 9; dissatisfied 2 10.
    assert report == {
        "from": "2026-03-01",
        "to": "2026-03-31",
        "agency": None,
        "province": None,
        "indicators": expected(
            received=11, online=7, issuing=9, electronic=3, digitised=5, reused=2,
            judged=12, late=4, dissatisfied=2,
            rates=(66.67, 63.64, 33.33, 45.45, 18.18, 50.0),
        ),
    }  # fmt: skip


@pytest.mark.usefixtures("march")
async def test_agency_counts_what_it_received_or_handles(client: httpx.AsyncClient) -> None:
    h56 = await indicators(client, **MARCH, agency=H56)
    g14 = await indicators(client, **MARCH, agency=G14)

    # H56: all of March but 14 (H38's). G14: 16 alone, which H56 received and G14 handles.
    assert h56["indicators"] == expected(
        received=10, online=6, issuing=8, electronic=2, digitised=4, reused=1,
        judged=11, late=4, dissatisfied=2,
        rates=(63.64, 60.0, 25.0, 40.0, 10.0, 45.45),
    )  # fmt: skip
    assert g14["indicators"] == expected(
        received=1, online=1, issuing=1, electronic=0, digitised=0, reused=0,
        judged=1, late=0, dissatisfied=0,
        rates=(100.0, 100.0, 0.0, 0.0, 0.0, 100.0),
    )  # fmt: skip
    assert h56["agency"] == H56


@pytest.mark.usefixtures("march")
async def test_an_agency_pattern_and_the_applicants_province_narrow_alike(
    client: httpx.AsyncClient,
) -> None:
    only_14 = expected(
        received=1, online=1, issuing=1, electronic=1, digitised=1, reused=1,
        judged=1, late=0, dissatisfied=0,
        rates=(100.0, 100.0, 100.0, 100.0, 100.0, 100.0),
    )  # fmt: skip

    by_pattern = await indicators(client, **MARCH, agency="*.*.*.H38")
    by_province = await indicators(client, **MARCH, province="01")

    assert by_pattern["indicators"] == by_province["indicators"] == only_14
    assert by_province["province"] == "01"


@pytest.mark.usefixtures("march")
async def test_a_province_and_a_ministry_count_only_the_dossiers_they_see(
    client: httpx.AsyncClient,
) -> None:
    province = await bearer(client, await create_client(client, "province", ["*.*.*.H56"]))
    ministry = await bearer(client, await create_client(client, "ministry", [G14]))
    portal = await bearer(client, await create_client(client, "portal", []))

    def read_as(headers: dict[str, str]) -> Any:
        return client.get("/reports/indicators", params=MARCH, headers=headers)

    seen = {kind: (await read_as(h)).json()["indicators"] for kind, h in
            (("province", province), ("ministry", ministry), ("portal", portal))}  # fmt: skip

    # The province sees what H56 received (all of March but 14), the ministry what G14
    # handles (16), the portal everything.
    for kind, narrowed in (("province", {"agency": "*.*.*.H56"}), ("ministry", {"agency": G14}),
                           ("portal", {})):  # fmt: skip
        assert seen[kind] == (await indicators(client, **MARCH, **narrowed))["indicators"], kind
    assert seen["ministry"]["onTime"] == {"numerator": 1, "denominator": 1, "rate": 100.0}


async def test_a_period_without_dossiers_rates_nothing(client: httpx.AsyncClient) -> None:
    report = await indicators(client, **{"from": "2030-01-01", "to": "2030-01-31"})

    assert all(
        value == {"numerator": 0, "denominator": 0, "rate": None}
        for value in report["indicators"].values()
    )


async def test_a_period_not_yet_over_judges_open_dossiers_now(
    client: httpx.AsyncClient,
) -> None:
    now = to_vietnam(utcnow())
    # Received two days ago and due in ten: on time today, although late by the period's end.
    await stored(
        client,
        dossier(
            1,
            (now - timedelta(days=2)).isoformat(),
            "processing",
            dueAt=(now + timedelta(days=10)).isoformat(),
        ),
    )
    period = {
        "from": (now - timedelta(days=5)).date().isoformat(),
        "to": (now + timedelta(days=30)).date().isoformat(),
    }

    report = await indicators(client, **period)

    assert report["indicators"]["onTime"] == {"numerator": 1, "denominator": 1, "rate": 100.0}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-02-30", "to": "2026-03-31"}, "from"),
        ({"from": "2026-03-01", "to": "31/03/2026"}, "to"),
        ({"from": "20260301", "to": "2026-03-31"}, "from"),
        ({"from": "0001-01-01", "to": "2026-03-31"}, "from"),
        ({"from": "2026-03-01", "to": "9999-12-31"}, "to"),
        ({"from": "2026-03-31", "to": "2026-03-01"}, "to"),
        ({"to": "2026-03-31"}, "from"),
        ({**MARCH, "agency": "H56"}, "agency"),
        ({**MARCH, "agency": "000.00.00.h56"}, "agency"),
        ({**MARCH, "province": "99"}, "province"),
    ],
    ids=[
        "no-such-day",
        "not-iso",
        "no-dashes",
        "year-1",
        "year-9999",
        "from-after-to",
        "from-missing",
        "agency-shape",
        "agency-lowercase",
        "unknown-province",
    ],
)
async def test_bad_parameters_are_a_422_naming_the_field(
    client: httpx.AsyncClient, params: dict[str, str], field: str
) -> None:
    response = await client.get("/reports/indicators", params=params)

    assert_problem(response, 422, "validation_failed", field)
