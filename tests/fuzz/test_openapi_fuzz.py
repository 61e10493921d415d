"""QUALITY.md S1: schemathesis fuzzes every operation of the committed OpenAPI document against
a real hub process, with an admin token: on the embedded SQLite database, and on PostgreSQL
when the suite has one (it refuses what SQLite stores, such as NUL characters).

Every answer must be no 5xx, a documented status code with a documented content type, a body
matching its documented schema, and for every error an RFC 9457 problem. Generation is
derandomized with a fixed seed, so CI sees the same cases on every run; a failure prints the
`curl` that reproduces it. `HUB_TEST_FUZZ_EXAMPLES` raises the number of generated cases per
operation for a longer run by hand.
"""

import asyncio
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests
import schemathesis
from hypothesis import strategies as st
from schemathesis import Case, CheckContext, Response
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    missing_required_header,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from tests.auth import ADMIN_ID, ADMIN_SECRET
from tests.conftest import ENGINES
from tests.databases import PostgresTestDatabase
from tests.e2e.hub_process import running_hub
from tests.factories import code_of, snapshot

ROOT = Path(__file__).resolve().parents[2]
PROBLEM = "application/problem+json"
PROBLEM_MEMBERS = ("type", "title", "status", "detail", "instance", "code")

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 20251127,
        "generation": {
            "max-examples": int(os.environ.get("HUB_TEST_FUZZ_EXAMPLES", "50")),
            "deterministic": True,
            "database": "none",
        },
    }
)
# `POST /sync/dossiers` takes NDJSON, a string in the document: send it as the text it is.
schemathesis.serializer.alias("application/x-ndjson", "text/plain")
schema = schemathesis.openapi.from_path(ROOT / "openapi" / "openapi.json", config=CONFIG)

# Identifiers that exist in the hub under test, by path parameter name, filled in once it runs.
# Never the admin's client id: revoking it would leave every later case a 401.
KNOWN: dict[str, list[str]] = {}


@schema.hook
def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any] | None) -> Any:
    """Random identifiers are almost always 404; drawing real ones too reaches stored state."""
    if not path_parameters:
        return st.just(path_parameters)
    return st.fixed_dictionaries(
        {
            name: st.sampled_from([value, *KNOWN.get(name, [])])
            for name, value in path_parameters.items()
        }
    )


def errors_are_problems(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """Every 4xx and 5xx is an RFC 9457 problem naming its own status, documented or not."""
    if response.status_code < 400:
        return None
    content_type = response.headers.get("content-type", [""])[0]
    assert content_type == PROBLEM, f"an error answered as {content_type!r}, not {PROBLEM}"
    body = response.json()
    missing = [member for member in PROBLEM_MEMBERS if member not in body]
    assert not missing, f"the problem lacks {missing}"
    assert body["status"] == response.status_code, "the problem's status is not the answer's"
    assert body["type"] == f"urn:lienthong:problem:{body['code']}"
    return True


# Schemathesis's checks of single answers but those that cannot apply (docs/decisions.md,
# "Fuzzing"): `positive_data_acceptance`, since the document cannot state every rule (a code
# names its agency, a cursor is opaque); `negative_data_rejection`, since Pydantic reads `0`
# as `false` and NDJSON goes as text whatever was generated; `ignored_auth`, which skips
# OAuth2 schemes (tests/api/test_access_table.py tries every operation without a token).
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    missing_required_header,
    unsupported_method,
    allow_header_conformance,
    errors_are_problems,
]


def _values(base: str, headers: dict[str, str], path: str, member: str) -> list[str]:
    answer = httpx.get(f"{base}/api/v1{path}", headers=headers)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    items = body["items"] if isinstance(body, dict) else body
    return [item[member] for item in items]


@dataclass
class Hub:
    base: str
    session: requests.Session
    headers: dict[str, str]
    log: Path


@pytest.fixture(scope="module", params=ENGINES)
def hub(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    postgres: PostgresTestDatabase | None,
) -> Iterator[Hub]:
    """A hub process with two dossiers (one open, one returned) and a spare client, and the
    admin's token."""
    data_dir = tmp_path_factory.mktemp(f"fuzz-{request.param}")
    database: dict[str, str] = {}
    if request.param == "postgresql":
        assert postgres is not None
        asyncio.run(postgres.empty())
        database["database_url"] = postgres.url
    with running_hub(
        data_dir,
        **database,
        admin_client_id=ADMIN_ID,
        admin_client_secret=ADMIN_SECRET,
        rate_limit_per_minute="0",
        secret_hash_cost="10",
        token_ttl_seconds="3600",
    ) as base:
        answer = httpx.post(
            f"{base}/api/v1/auth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": ADMIN_ID,
                "client_secret": ADMIN_SECRET,
            },
        )
        assert answer.status_code == 200, answer.text
        headers = {"Authorization": f"Bearer {answer.json()['access_token']}"}
        for data in (snapshot(), snapshot(code=code_of(13), status="returned")):
            stored = httpx.put(f"{base}/api/v1/dossiers/{data['code']}", json=data, headers=headers)
            assert stored.status_code == 201, stored.text
        spare = httpx.post(
            f"{base}/api/v1/clients",
            json={"name": "Fuzz spare", "kind": "province", "agencies": ["*.*.*.H56"]},
            headers=headers,
        )
        assert spare.status_code == 201, spare.text
        KNOWN.update(
            code=[
                *_values(base, headers, "/dossiers", "code"),
                *_values(base, headers, "/agencies?limit=3", "code"),
                *_values(base, headers, "/procedures?limit=3", "code"),
            ],
            system=_values(base, headers, "/adapters", "system"),
            client_id=[spare.json()["clientId"]],
        )
        with requests.Session() as session:
            yield Hub(base, session, headers, data_dir / "hub.log")
        KNOWN.clear()


@schema.parametrize()
def test_every_operation_keeps_its_contract(case: Case, hub: Hub) -> None:
    logged = hub.log.stat().st_size
    try:
        case.call_and_validate(
            base_url=hub.base, session=hub.session, headers=hub.headers, checks=CHECKS
        )
    except Exception:
        # What the hub logged meanwhile (a 500's traceback), without the access log.
        with hub.log.open(errors="replace") as log:
            log.seek(logged)
            print("".join(line for line in log if not line.startswith("INFO:")))
        raise
