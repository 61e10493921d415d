"""Who may do what (STANDARD.md section 5 "Auth and operations", QUALITY.md S3): every route of
/api/v1 called by every kind of client, on a dossier of the client's own agency and on a
foreign one. The table below is the rule; each route is one test that plays its whole row.

Own dossier: received by 000.00.00.H56 (the province's), handled by 000.00.04.G14 (the
ministry's). Foreign dossier: received and handled by 000.00.00.H38. Catalogs, the calendar and
clients are bound to no agency: there "own" and "foreign" are two resources (of H56 and of H38)
that must answer alike.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson
import pytest

from tests.api.checks import PROBLEM, assert_problem, stored
from tests.auth import bearer, create_client
from tests.factories import code_of, extension, procedure, snapshot, status_change, step

OWN, FOREIGN, MINISTRY = "000.00.00.H56", "000.00.00.H38", "000.00.04.G14"
KINDS = ("province", "ministry", "portal", "admin", "none")

# Each cell reads "own foreign"; one word means both answer alike. The words:
#   200 201 204    success (a sync item counts as the PUT it stands for: 200 updated, 201 created)
#   401            401 unauthenticated: no token
#   scope          403 insufficient_scope: the kind does not hold the route's scope
#   agency         403 agency_not_allowed: writing for an agency the client does not act for
#   404            404 dossier_not_found: a stored dossier the client may not see (a sync item
#                  is rejected with the same problem), never 403, so codes cannot be probed
#   listed absent  GET /dossiers answers 200 with, or without, the dossier
#   counted zero   GET /reports/indicators answers 200 counting the agency's dossiers, or none
# The portal holds only status:read and feed:read; the admin may do everything. A ministry
# issues no codes for a province's receiving agency: codes belong to the agency that receives.
# fmt: off
TABLE: dict[str, tuple[str, str, str, str, str]] = {
    # route                           province         ministry         portal   admin     none
    # A snapshot for a foreign agency is 403 whether or not its dossier exists: the answer
    # must not tell which codes of other agencies are taken.
    "PUT /dossiers/{code}":           ("200 agency",   "200 agency",    "scope", "200",    "401"),
    "PUT /dossiers/{code} (new)":     ("201 agency",   "201 agency",    "scope", "201",    "401"),
    "GET /dossiers/{code}":           ("200 404",      "200 404",       "scope", "200",    "401"),
    "GET /dossiers":                  ("listed absent", "listed absent", "scope", "listed", "401"),
    "POST /sync/dossiers":            ("200 agency",   "200 agency",    "scope", "200",    "401"),
    "POST /sync/dossiers (new)":      ("201 agency",   "201 agency",    "scope", "201",    "401"),
    "POST /dossiers/{code}/status":   ("200 404",      "200 404",       "scope", "200",    "401"),
    "POST /dossiers/{code}/steps":    ("201 404",      "201 404",       "scope", "201",    "401"),
    "POST /dossiers/{code}/extensions": ("201 404",    "201 404",       "scope", "201",    "401"),
    "GET /dossiers/{code}/history":   ("200 404",      "200 404",       "scope", "200",    "401"),
    # The status projection opens to status:read (any dossier) or dossiers:read (those seen).
    "GET /dossiers/{code}/status":    ("200 404",      "200 404",       "200",   "200",    "401"),
    "POST /dossier-codes":            ("201 agency",   "agency",        "scope", "201",    "401"),
    "GET /agencies/{code}":           ("200",          "200",           "200",   "200",    "401"),
    "PUT /agencies/{code}":           ("scope",        "scope",         "scope", "200",    "401"),
    "GET /agencies":                  ("200",          "200",           "200",   "200",    "401"),
    "GET /procedures/{code}":         ("200",          "200",           "200",   "200",    "401"),
    "PUT /procedures/{code}":         ("scope",        "scope",         "scope", "200",    "401"),
    "GET /procedures":                ("200",          "200",           "200",   "200",    "401"),
    "GET /administrative-units/provinces": ("200",     "200",           "200",   "200",    "401"),
    "GET /administrative-units/communes":  ("200",     "200",           "200",   "200",    "401"),
    "GET /calendar/{year}":           ("200",          "200",           "200",   "200",    "401"),
    "GET /calendar/due-date":         ("200",          "200",           "200",   "200",    "401"),
    "PUT /calendar/days/{date}":      ("scope",        "scope",         "scope", "204",    "401"),
    "DELETE /calendar/days/{date}":   ("scope",        "scope",         "scope", "204",    "401"),
    "POST /clients":                  ("scope",        "scope",         "scope", "201",    "401"),
    "GET /clients":                   ("scope",        "scope",         "scope", "200",    "401"),
    "DELETE /clients/{id}":           ("scope",        "scope",         "scope", "200",    "401"),
    "GET /adapters":                  ("200",          "200",           "200",   "200",    "401"),
    "POST /adapters/{system}/preview": ("200",         "200",           "200",   "200",    "401"),
    "POST /adapters/{system}/dossiers": ("200",        "200",           "scope", "200",    "401"),
    "GET /adapters/{system}/dossiers/{code}": ("200 404", "200 404",    "scope", "200",    "401"),
    "POST /adapters/dvcqg/progress":  ("200",          "200",           "scope", "200",    "401"),
    "GET /dossiers/export":           ("listed absent", "listed absent", "scope", "listed", "401"),
    # The own dossier is handled by the ministry: only its handling agency's client sends it.
    "POST /dossiers/{code}/transfers": ("agency 404",  "201 404",       "scope", "201",    "401"),
    # A transfer is the client's own when its agency receives it; the sender may read it but
    # not answer it (see test_transfers.py); a stranger's transfer is 404.
    "GET /transfers":                 ("listed absent", "listed absent", "scope", "listed", "401"),
    "GET /transfers/{transferId}":    ("200 404",      "200 404",       "scope", "200",    "401"),
    "POST /transfers/{transferId}/accept": ("200 404", "200 404",       "scope", "200",    "401"),
    "POST /transfers/{transferId}/reject": ("200 404", "200 404",       "scope", "200",    "401"),
    "POST /transfers/{transferId}/complete": ("200 404", "200 404",     "scope", "200",    "401"),
    # The feed: a province follows what it received, a ministry what it handled.
    "GET /changes":                   ("listed absent", "listed absent", "listed", "listed", "401"),
    # Subscriptions belong to the operators. Retrying a delivery that is not dead is refused.
    "POST /subscriptions":            ("scope",        "scope",         "scope", "201",    "401"),
    "GET /subscriptions":             ("scope",        "scope",         "scope", "200",    "401"),
    "GET /subscriptions/{subscriptionId}": ("scope",   "scope",         "scope", "200",    "401"),
    "POST /subscriptions/{subscriptionId}/pause": ("scope", "scope",    "scope", "200",    "401"),
    "POST /subscriptions/{subscriptionId}/resume": ("scope", "scope",   "scope", "200",    "401"),
    "GET /subscriptions/{subscriptionId}/deliveries": ("scope", "scope", "scope", "200",   "401"),
    "POST /deliveries/{deliveryId}/retry": ("scope",   "scope",         "scope", "notdead", "401"),
    # Reports open like the status projection; a report over an agency counts only the
    # dossiers the client sees, so a foreign agency's is all zeros, never a 403 or 404.
    "GET /reports/indicators":  ("counted zero", "counted zero", "counted", "counted", "401"),
}
# fmt: on

WORDS = {
    (401, "unauthenticated"): "401",
    (403, "insufficient_scope"): "scope",
    (403, "agency_not_allowed"): "agency",
    (404, "dossier_not_found"): "404",
    (404, "transfer_not_found"): "404",
    (409, "delivery_not_dead"): "notdead",
}
ITEM_WORDS = {"agency_not_allowed": "agency", "dossier_not_found": "404"}  # rejected sync items
DAYS = {True: "2026-08-22", False: "2026-08-29"}  # the days a calendar correction is put on


@dataclass
class Call:
    method: str
    url: str
    json: Any = None
    params: dict[str, Any] = field(default_factory=dict)
    shows: str | None = None  # GET /dossiers: the code whose presence is the answer


@dataclass
class World:
    """What a row plays against: each kind works on its own pair of dossiers (numbered by
    its place in KINDS), so that one kind's writes never change what the next one meets."""

    headers: dict[str, dict[str, str]]  # by kind; the admin's is the `client` fixture's own
    victims: dict[bool, str]  # own / foreign: clients that DELETE /clients/{id} may revoke
    transfers: dict[tuple[str, int, bool], int]  # by (route, kind, own): a transfer to answer
    subscription: int = 0  # a subscription of the admin's, with one pending delivery
    delivery: int = 0


def agency(own: bool) -> str:
    return OWN if own else FOREIGN


def dossier(n: int, own: bool, **changes: Any) -> dict[str, Any]:
    """A snapshot of dossier n: the own one is received by H56 and handled by the ministry."""
    members = {
        "code": code_of(n, agency=agency(own)),
        "receivingAgency": agency(own),
        "handlingAgency": MINISTRY if own else FOREIGN,
    }
    return snapshot(**(members | changes))


def stored_code(k: int, own: bool) -> str:
    return code_of(10 + k, agency=agency(own))


def newer(k: int, own: bool) -> dict[str, Any]:
    """A later snapshot of kind k's stored dossier."""
    return dossier(10 + k, own, summary="Đăng ký khai sinh (bổ sung)", source_version=4)


CALLS: dict[str, Callable[[int, bool, World], Call]] = {
    "PUT /dossiers/{code}": lambda k, own, w: Call(
        "PUT", f"/dossiers/{stored_code(k, own)}", newer(k, own)
    ),
    "PUT /dossiers/{code} (new)": lambda k, own, w: Call(
        "PUT", f"/dossiers/{code_of(20 + k, agency=agency(own))}", dossier(20 + k, own)
    ),
    "GET /dossiers/{code}": lambda k, own, w: Call("GET", f"/dossiers/{stored_code(k, own)}"),
    "GET /dossiers": lambda k, own, w: Call(
        "GET", "/dossiers", params={"limit": 100}, shows=stored_code(k, own)
    ),
    "POST /sync/dossiers": lambda k, own, w: Call(
        "POST", "/sync/dossiers", {"items": [newer(k, own)]}
    ),
    "POST /sync/dossiers (new)": lambda k, own, w: Call(
        "POST", "/sync/dossiers", {"items": [dossier(30 + k, own)]}
    ),
    "POST /dossiers/{code}/status": lambda k, own, w: Call(
        "POST", f"/dossiers/{stored_code(k, own)}/status", status_change("resolved")
    ),
    "POST /dossiers/{code}/steps": lambda k, own, w: Call(
        "POST", f"/dossiers/{stored_code(k, own)}/steps", step()
    ),
    "POST /dossiers/{code}/extensions": lambda k, own, w: Call(
        "POST", f"/dossiers/{stored_code(k, own)}/extensions", extension()
    ),
    "GET /dossiers/{code}/history": lambda k, own, w: Call(
        "GET", f"/dossiers/{stored_code(k, own)}/history"
    ),
    "GET /dossiers/{code}/status": lambda k, own, w: Call(
        "GET", f"/dossiers/{stored_code(k, own)}/status"
    ),
    "POST /dossier-codes": lambda k, own, w: Call(
        "POST", "/dossier-codes", {"agency": agency(own)}
    ),
    "GET /agencies/{code}": lambda k, own, w: Call("GET", f"/agencies/{agency(own)}"),
    "PUT /agencies/{code}": lambda k, own, w: Call(
        "PUT",
        f"/agencies/{agency(own)}",
        {"name": "Ủy ban nhân dân tỉnh", "level": "province", "provinceCode": agency(own)[-2:]},
    ),
    "GET /agencies": lambda k, own, w: Call("GET", "/agencies"),
    "GET /adapters": lambda k, own, w: Call("GET", "/adapters"),
    "POST /adapters/dvcqg/progress": lambda k, own, w: Call("POST", "/adapters/dvcqg/progress", []),
    "POST /adapters/{system}/preview": lambda k, own, w: Call(
        "POST", "/adapters/dvcqg/preview", {"isUpdating": "False", "data": []}
    ),
    "POST /adapters/{system}/dossiers": lambda k, own, w: Call(
        "POST", "/adapters/dvcqg/dossiers", {"isUpdating": "False", "data": []}
    ),
    "GET /adapters/{system}/dossiers/{code}": lambda k, own, w: Call(
        "GET", f"/adapters/dvcqg/dossiers/{stored_code(k, own)}"
    ),
    "GET /reports/indicators": lambda k, own, w: Call(
        "GET",
        "/reports/indicators",
        params={"from": "2025-11-01", "to": "2025-11-30", "agency": agency(own)},
    ),
    "GET /procedures/{code}": lambda k, own, w: Call(
        "GET", f"/procedures/{'1.001193' if own else '1.000894'}"
    ),
    "PUT /procedures/{code}": lambda k, own, w: Call(
        "PUT", f"/procedures/{'1.001193' if own else '1.000894'}", procedure()
    ),
    "GET /procedures": lambda k, own, w: Call("GET", "/procedures"),
    "GET /administrative-units/provinces": lambda k, own, w: Call(
        "GET", "/administrative-units/provinces"
    ),
    "GET /administrative-units/communes": lambda k, own, w: Call(
        "GET", "/administrative-units/communes", params={"provinceCode": agency(own)[-2:]}
    ),
    "GET /calendar/{year}": lambda k, own, w: Call("GET", "/calendar/2026"),
    "GET /calendar/due-date": lambda k, own, w: Call(
        "GET",
        "/calendar/due-date",
        params={"from": "2026-02-12T09:00:00+07:00", "value": 3, "unit": "working_days"},
    ),
    "PUT /calendar/days/{date}": lambda k, own, w: Call(
        "PUT", f"/calendar/days/{DAYS[own]}", {"working": True, "name": "Làm bù"}
    ),
    "DELETE /calendar/days/{date}": lambda k, own, w: Call("DELETE", f"/calendar/days/{DAYS[own]}"),
    "POST /clients": lambda k, own, w: Call(
        "POST",
        "/clients",
        {"name": f"Một cửa {k}", "kind": "province", "agencies": [f"*.*.*.{agency(own)[-3:]}"]},
    ),
    "GET /clients": lambda k, own, w: Call("GET", "/clients"),
    "DELETE /clients/{id}": lambda k, own, w: Call("DELETE", f"/clients/{w.victims[own]}"),
    "GET /dossiers/export": lambda k, own, w: Call(
        "GET", "/dossiers/export", shows=stored_code(k, own)
    ),
    "POST /dossiers/{code}/transfers": lambda k, own, w: Call(
        "POST",
        f"/dossiers/{stored_code(k, own)}/transfers",
        {"toAgency": "000.00.12.H38", "purpose": "Xin ý kiến"},
    ),
    "GET /transfers": lambda k, own, w: Call(
        "GET", "/transfers", params={"limit": 500}, shows=transfer_code("GET", k, own)
    ),
    "GET /transfers/{transferId}": lambda k, own, w: Call(
        "GET", f"/transfers/{w.transfers['GET', k, own]}"
    ),
    "POST /transfers/{transferId}/accept": lambda k, own, w: Call(
        "POST", f"/transfers/{w.transfers['accept', k, own]}/accept"
    ),
    "POST /transfers/{transferId}/reject": lambda k, own, w: Call(
        "POST", f"/transfers/{w.transfers['reject', k, own]}/reject", {"reason": "Sai thẩm quyền"}
    ),
    "POST /transfers/{transferId}/complete": lambda k, own, w: Call(
        "POST",
        f"/transfers/{w.transfers['complete', k, own]}/complete",
        {"note": "Đã thẩm định"},
    ),
    "POST /subscriptions": lambda k, own, w: Call(
        "POST", "/subscriptions", {"callbackUrl": "http://127.0.0.1:9/hub", "secret": "s" * 16}
    ),
    "GET /subscriptions": lambda k, own, w: Call("GET", "/subscriptions"),
    "GET /subscriptions/{subscriptionId}": lambda k, own, w: Call(
        "GET", f"/subscriptions/{w.subscription}"
    ),
    "POST /subscriptions/{subscriptionId}/pause": lambda k, own, w: Call(
        "POST", f"/subscriptions/{w.subscription}/pause"
    ),
    "POST /subscriptions/{subscriptionId}/resume": lambda k, own, w: Call(
        "POST", f"/subscriptions/{w.subscription}/resume"
    ),
    "GET /subscriptions/{subscriptionId}/deliveries": lambda k, own, w: Call(
        "GET", f"/subscriptions/{w.subscription}/deliveries"
    ),
    "POST /deliveries/{deliveryId}/retry": lambda k, own, w: Call(
        "POST", f"/deliveries/{w.delivery}/retry"
    ),
    "GET /changes": lambda k, own, w: Call(
        "GET", "/changes", params={"limit": 1000}, shows=stored_code(k, own)
    ),
}

TRANSFER_ROUTES = ("GET", "accept", "reject", "complete")


def transfer_code(route: str, k: int, own: bool) -> str:
    """The dossier of kind k's transfer for a route: numbered apart from every other."""
    return code_of(40 + 10 * TRANSFER_ROUTES.index(route) + k, agency=agency(own))


def transfer_ends(kind: str, own: bool) -> tuple[str, str]:
    """(from, to) of a transfer that is the kind's own (its agency receives it) or foreign."""
    if not own:
        return FOREIGN, "000.00.12.H38"
    return (OWN, MINISTRY) if kind == "ministry" else (MINISTRY, OWN)


def word(call: Call, response: httpx.Response) -> str:
    """The table's word for an answer."""
    status = response.status_code
    if status >= 400:
        if response.headers.get("content-type") != PROBLEM:
            return f"{status} without problem+json"
        problem = response.json()
        return WORDS.get((status, problem["code"]), f"{status} {problem['code']}")
    if call.shows is not None and status == 200:
        if call.url == "/dossiers/export":
            items = [orjson.loads(line) for line in response.text.splitlines()]
        else:
            items = response.json()["items"]
        codes = {item.get("code") or item.get("dossierCode") for item in items}
        return "listed" if call.shows in codes else "absent"
    if call.url == "/reports/indicators" and status == 200:
        return "counted" if response.json()["indicators"]["online"]["denominator"] else "zero"
    if call.url == "/sync/dossiers" and status == 200:
        [item] = response.json()["results"]
        if item["outcome"] == "rejected":
            return ITEM_WORDS.get(item["problem"], f"rejected {item['problem']}")
        return {"created": "201", "updated": "200"}.get(item["outcome"], item["outcome"])
    return str(status)


@pytest.fixture
async def world(client: httpx.AsyncClient) -> World:
    headers: dict[str, dict[str, str]] = {"admin": {}}
    for kind, agencies in (("province", ["*.*.*.H56"]), ("ministry", [MINISTRY]), ("portal", [])):
        headers[kind] = await bearer(client, await create_client(client, kind, agencies))
    batch = [dossier(10 + k, own) for k in range(len(KINDS)) for own in (True, False)]
    synced = await client.post("/sync/dossiers", json={"items": batch})
    assert [r["outcome"] for r in synced.json()["results"]] == ["created"] * len(batch)
    for day in DAYS.values():
        answer = await client.put(f"/calendar/days/{day}", json={"working": True, "name": "Làm bù"})
        assert answer.status_code == 204, answer.text
    victims = {
        own: (await create_client(client, "province", [f"*.*.*.{agency(own)[-3:]}"])).client_id
        for own in (True, False)
    }
    world = World(headers, victims, await _transfers(client))
    subscribed = await client.post(
        "/subscriptions", json={"callbackUrl": "http://127.0.0.1:9/hub", "secret": "s" * 16}
    )
    world.subscription = subscribed.json()["id"]
    await client.post(f"/dossiers/{stored_code(0, True)}/steps", json=step())
    deliveries = await client.get(f"/subscriptions/{world.subscription}/deliveries")
    world.delivery = deliveries.json()["items"][0]["id"]
    return world


async def _transfers(client: httpx.AsyncClient) -> dict[tuple[str, int, bool], int]:
    """For each route, kind and side, a dossier sent by the admin (and for `complete`
    accepted): the client's own when its agency receives it."""
    made: dict[tuple[str, int, bool], int] = {}
    batch = []
    for route in TRANSFER_ROUTES:
        for k, kind in enumerate(KINDS):
            for own in (True, False):
                sender, _ = transfer_ends(kind, own)
                code = transfer_code(route, k, own)
                batch.append(dossier(int(code[-4:]), own, handlingAgency=sender))
    synced = await client.post("/sync/dossiers", json={"items": batch})
    assert {r["outcome"] for r in synced.json()["results"]} == {"created"}, synced.text
    for route in TRANSFER_ROUTES:
        for k, kind in enumerate(KINDS):
            for own in (True, False):
                _, receiver = transfer_ends(kind, own)
                sent = await client.post(
                    f"/dossiers/{transfer_code(route, k, own)}/transfers",
                    json={"toAgency": receiver, "purpose": "Xin ý kiến"},
                )
                assert sent.status_code == 201, sent.text
                made[route, k, own] = sent.json()["id"]
                if route == "complete":
                    accepted = await client.post(f"/transfers/{made[route, k, own]}/accept")
                    assert accepted.status_code == 200, accepted.text
    return made


@pytest.mark.parametrize("route", list(TABLE))
async def test_access_table_holds(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, world: World, route: str
) -> None:
    mismatches = []
    for k, kind in enumerate(KINDS):
        caller = anonymous if kind == "none" else client
        words = TABLE[route][k].split()
        expected = dict(zip((True, False), words * (3 - len(words)), strict=True))
        for own in (True, False):
            call = CALLS[route](k, own, world)
            response = await caller.request(
                call.method,
                call.url,
                json=call.json,
                params=call.params,
                headers=world.headers.get(kind, {}),
            )
            got = word(call, response)
            if got != expected[own]:
                target = "own" if own else "foreign"
                mismatches.append(
                    f"{kind} on {target}: expected {expected[own]}, got {got}: {response.text}"
                )
    assert mismatches == []


def test_the_table_covers_every_route_of_the_api() -> None:
    from app.main import create_app
    from app.settings import Settings

    paths = create_app(Settings(_env_file=None)).openapi()["paths"]  # type: ignore[call-arg]
    served = {
        f"{method.upper()} {path.removeprefix('/api/v1')}"
        for path, operations in paths.items()
        if path.startswith("/api/v1/") and path != "/api/v1/auth/token"
        for method in operations
    }
    tabled = {key.removesuffix(" (new)").replace("{date}", "{day}") for key in TABLE}
    assert served == {key.replace("{id}", "{client_id}") for key in tabled}


async def test_a_foreign_dossier_answers_exactly_like_a_missing_one(
    client: httpx.AsyncClient, world: World
) -> None:
    province = world.headers["province"]
    foreign, missing = stored_code(0, False), code_of(99, agency=FOREIGN)

    seen = await client.get(f"/dossiers/{foreign}", headers=province)
    unknown = await client.get(f"/dossiers/{missing}", headers=province)

    hidden = assert_problem(seen, 404, "dossier_not_found")
    absent = assert_problem(unknown, 404, "dossier_not_found")
    assert hidden["detail"].replace(foreign, missing) == absent["detail"]
    assert seen.headers.keys() - {"x-request-id"} == unknown.headers.keys() - {"x-request-id"}


async def test_a_province_cannot_hand_its_dossier_to_another_province(
    client: httpx.AsyncClient, world: World
) -> None:
    code = stored_code(0, True)
    moved = newer(0, True) | {"receivingAgency": FOREIGN}

    response = await client.put(f"/dossiers/{code}", json=moved, headers=world.headers["province"])

    # The dossier code begins with its receiving agency, so the schema itself refuses the move.
    assert_problem(response, 422, "validation_failed", "receivingAgency")
    assert (await client.get(f"/dossiers/{code}")).json()["receivingAgency"] == OWN


async def test_a_ministry_sees_the_dossiers_its_agency_handles_whoever_received_them(
    client: httpx.AsyncClient, world: World
) -> None:
    handled = await stored(client, dossier(40, False, handlingAgency=MINISTRY))

    response = await client.get(f"/dossiers/{handled['code']}", headers=world.headers["ministry"])

    assert response.status_code == 200, response.text
    assert response.json()["receivingAgency"] == FOREIGN
