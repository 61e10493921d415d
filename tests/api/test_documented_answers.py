"""Answers the fuzzer (tests/fuzz) found the OpenAPI document did not describe: each is now
documented on the operation that gives it, with its status and media type."""

from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from app.adapters import registry
from app.api.adapters import NATIVE_MEDIA_TYPES
from tests.factories import CODE, snapshot

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "adapters"


def assert_documented(app: FastAPI, method: str, template: str, answer: httpx.Response) -> None:
    operation = app.openapi()["paths"][template][method.lower()]
    documented = operation["responses"].get(str(answer.status_code))
    assert documented, f"{answer.status_code} is not documented on {method} {template}"
    media_type = answer.headers["content-type"].split(";")[0]
    assert media_type in documented.get("content", {}), (
        f"{media_type} is not documented for {answer.status_code} on {method} {template}"
    )


def operations(app: FastAPI) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), template, operation)
        for template, path in app.openapi()["paths"].items()
        for method, operation in path.items()
    ]


@pytest.mark.parametrize(
    ("method", "url", "template"),
    [
        ("GET", "http://hub/healthz?probe=%00", "/healthz"),
        ("GET", "/dossiers?status=%00", "/api/v1/dossiers"),
        ("GET", "/dossiers/a%00b", "/api/v1/dossiers/{code}"),
        ("DELETE", "/clients/a%00b", "/api/v1/clients/{client_id}"),
    ],
)
async def test_a_nul_in_the_path_or_query_is_a_documented_400(
    app: FastAPI, client: httpx.AsyncClient, method: str, url: str, template: str
) -> None:
    answer = await client.request(method, url)

    assert answer.status_code == 400
    assert_documented(app, method, template, answer)


def test_every_operation_documents_the_400_the_middleware_answers(app: FastAPI) -> None:
    """A NUL is refused before any route runs (api/context.py), whatever the operation."""
    undocumented = [f"{m} {t}" for m, t, op in operations(app) if "400" not in op["responses"]]
    assert undocumented == []


async def test_a_body_that_is_not_json_is_a_documented_400(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    answer = await client.put(
        "/agencies/000.00.00.H56", content=b"\x00", headers={"content-type": "application/json"}
    )

    assert answer.status_code == 400
    assert_documented(app, "PUT", "/api/v1/agencies/{code}", answer)


def test_every_client_error_is_documented_as_a_problem(app: FastAPI) -> None:
    """FastAPI documents its own 422 body on a route that declared none; ours is the problem.
    (`/readyz` answers 503 with its health document, for orchestrators.)"""
    for method, template, operation in operations(app):
        for status, response in operation["responses"].items():
            if status.startswith("4"):
                assert list(response.get("content", {})) == ["application/problem+json"], (
                    f"{status} of {method} {template}"
                )


async def test_an_overlong_client_id_is_a_documented_422(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    answer = await client.delete(f"/clients/{'x' * 101}")

    assert answer.status_code == 422
    assert_documented(app, "DELETE", "/api/v1/clients/{client_id}", answer)


def test_every_adapters_media_type_is_documented() -> None:
    """Including a mapping-file adapter's: a mapping is JSON or XML."""
    systems = registry.build(FIXTURES / "fourth").values()
    assert {adapter.media_type for adapter in systems} <= set(NATIVE_MEDIA_TYPES)


@pytest.mark.parametrize(
    ("method", "template"),
    [
        ("POST", "/api/v1/adapters/{system}/preview"),
        ("POST", "/api/v1/adapters/{system}/dossiers"),
    ],
)
def test_a_native_body_is_documented_in_every_native_media_type(
    app: FastAPI, method: str, template: str
) -> None:
    body = app.openapi()["paths"][template][method.lower()]["requestBody"]
    assert body["required"] is True
    assert list(body["content"]) == list(NATIVE_MEDIA_TYPES)


async def test_a_dossier_rendered_as_xml_is_documented(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    await client.put(f"/dossiers/{CODE}", json=snapshot())

    answer = await client.get(f"/adapters/legacy-xml/dossiers/{CODE}")

    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/xml")
    assert_documented(app, "GET", "/api/v1/adapters/{system}/dossiers/{code}", answer)
