"""The OpenAPI document as integrators read it: problem answers are `application/problem+json`
only, FastAPI's default validation schema never appears (ours is the problem), and what the
middleware answers before any route runs is documented on every operation."""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from app.api.problems import MEDIA_TYPE, documented

_FASTAPI_DEFAULTS = ("HTTPValidationError", "ValidationError")
_FASTAPI_VALIDATION = "#/components/schemas/HTTPValidationError"


def _problem(status: int) -> dict[str, Any]:
    described = documented(status)[status]
    return {"description": described["description"], "content": described["content"]}


def _problem_only(operation: dict[str, Any]) -> None:
    responses = operation.setdefault("responses", {})
    for status, response in responses.items():
        content = response.get("content", {})
        if MEDIA_TYPE in content:
            content.pop("application/json", None)
        elif _FASTAPI_VALIDATION in str(content):
            # FastAPI adds its own 422 to a route with parameters that did not declare one;
            # the answer is our problem (api/problems.py), whatever the route declared.
            responses[status] = _problem(422)
    # A NUL in the path or query is refused by middleware (api/context.py) before any route.
    responses.setdefault("400", _problem(400))


def install(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
                tags=app.openapi_tags,
                separate_input_output_schemas=False,
            )
            for path in document.get("paths", {}).values():
                for operation in path.values():
                    _problem_only(operation)
            schemas = document.get("components", {}).get("schemas", {})
            for name in _FASTAPI_DEFAULTS:
                schemas.pop(name, None)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
