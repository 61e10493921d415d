"""The OpenAPI document as integrators read it: problem answers are `application/problem+json`
only, and FastAPI's default validation schema never appears (ours is the problem)."""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from app.api.problems import MEDIA_TYPE

_FASTAPI_DEFAULTS = ("HTTPValidationError", "ValidationError")


def _problem_only(operation: dict[str, Any]) -> None:
    for response in operation.get("responses", {}).values():
        content = response.get("content", {})
        if MEDIA_TYPE in content:
            content.pop("application/json", None)


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
