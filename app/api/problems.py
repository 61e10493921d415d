"""RFC 9457 problem+json: the one place where domain errors become HTTP answers."""

from collections.abc import Mapping, Sequence
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException
from starlette.routing import Match

from app.errors import (
    Conflict,
    DatabaseBusy,
    DomainError,
    FieldError,
    Forbidden,
    IdempotencyKeyReused,
    InvalidInput,
    MalformedRequest,
    NotFound,
    PreconditionFailed,
    RateLimited,
    Unauthenticated,
)
from app.schemas.problem import Problem

MEDIA_TYPE = "application/problem+json"

_STATUS: list[tuple[type[DomainError], int]] = [
    (NotFound, 404),
    (Conflict, 409),
    (PreconditionFailed, 412),
    (MalformedRequest, 400),
    (InvalidInput, 422),
    (IdempotencyKeyReused, 422),
    (Unauthenticated, 401),
    (Forbidden, 403),
    (RateLimited, 429),
    (DatabaseBusy, 503),
]

_HTTP_CODES = {
    404: ("not_found", "No such resource"),
    405: ("method_not_allowed", "Method not allowed"),
    406: ("not_acceptable", "Not acceptable"),
    413: ("body_too_large", "The request body is too large"),
    415: ("unsupported_media_type", "Unsupported media type"),
}


def status_of(error: DomainError) -> int:
    return next((status for kind, status in _STATUS if isinstance(error, kind)), 422)


def problem_body(
    status: int,
    code: str,
    title: str,
    detail: str,
    instance: str,
    errors: Sequence[FieldError] = (),
    members: Mapping[str, str] | None = None,
) -> bytes:
    body: dict[str, Any] = {
        "type": f"urn:lienthong:problem:{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
        "code": code,
    }
    if errors:
        body["errors"] = [{"field": e.field, "message": e.message} for e in errors]
    if members:
        body.update(members)
    return orjson.dumps(body)


def problem(
    request: Request,
    status: int,
    code: str,
    title: str,
    detail: str,
    errors: Sequence[FieldError] = (),
    headers: Mapping[str, str] | None = None,
    members: Mapping[str, str] | None = None,
) -> Response:
    body = problem_body(status, code, title, detail, request.url.path, errors, members)
    return Response(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def field_path(loc: Sequence[int | str]) -> str:
    """`('body', 'applicant', 'idNumber')` -> `applicant.idNumber`; list positions as `[i]`."""
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        parts = parts[1:]
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        elif not str(part).startswith("function-"):
            path += f".{part}" if path else str(part)
    return path


def validation_errors(raw: Sequence[Any]) -> list[FieldError]:
    return [FieldError(field_path(e["loc"]), e["msg"].removeprefix("Value error, ")) for e in raw]


async def _domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    return problem(
        request,
        status_of(exc),
        exc.code,
        exc.title,
        exc.detail,
        exc.errors,
        exc.headers(),
        exc.members(),
    )


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    raw = exc.errors()
    if any(e.get("type") == "json_invalid" for e in raw):
        return problem(
            request,
            400,
            MalformedRequest.code,
            MalformedRequest.title,
            "The request body is not valid JSON.",
            [FieldError("body", "invalid JSON")],
        )
    errors = validation_errors(raw)
    return problem(
        request,
        422,
        InvalidInput.code,
        InvalidInput.title,
        f"{len(errors)} member(s) of the request break the contract.",
        errors,
    )


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def _allowed_methods(request: Request) -> str:
    """RFC 9110 section 15.5.6: a 405 lists every method of the resource. Starlette names the
    methods of the first route whose path matched, and `GET` and `PUT /dossiers/{code}` are
    two routes: ask the router about each method instead."""
    base = {"type": "http", "path": request.scope["path"], "root_path": request.scope["root_path"]}
    return ", ".join(
        method
        for method in _METHODS
        if any(
            route.matches({**base, "method": method})[0] is Match.FULL
            for route in request.app.router.routes
        )
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code, title = _HTTP_CODES.get(exc.status_code, ("http_error", "HTTP error"))
    detail = exc.detail if isinstance(exc.detail, str) else title
    headers = exc.headers
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"Nothing is served at {request.url.path}."
    if exc.status_code == 405:
        headers = {**(headers or {}), "Allow": _allowed_methods(request)}
    return problem(request, exc.status_code, code, title, detail, headers=headers)


def install(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)


def documented(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route: each problem it can answer, with its schema."""
    described = {
        400: "Malformed request: a body that cannot be parsed, or a NUL in the path or query",
        401: "No valid access token",
        403: "A scope is missing, or the client does not act for that agency",
        404: "No such resource, or not one the client may see",
        409: "Conflict with its state",
        412: "If-Match is stale",
        413: "Body too large",
        422: "Invalid request",
        429: "Rate limit reached; see Retry-After",
    }
    return {
        status: {
            "model": Problem,
            "description": described[status],
            "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }
