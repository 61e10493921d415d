"""Per-request context: the request id that ties an answer to its log lines, and the last
resort for failures nothing else handled (a 500 problem that names the request id)."""

import logging
import re
import uuid
from contextvars import ContextVar

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.problems import MEDIA_TYPE, problem_body

log = logging.getLogger("app.errors")

request_id: ContextVar[str] = ContextVar("request_id", default="-")

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def _has_nul(scope: Scope) -> bool:
    return "\x00" in scope.get("path", "") or b"%00" in scope.get("query_string", b"")


async def _refuse_nul(scope: Scope, send: Send) -> None:
    """NUL characters reach no route: no identifier holds one, and PostgreSQL refuses them."""
    body = problem_body(
        400,
        "malformed_request",
        "The request cannot be parsed",
        "The path or query holds a NUL character.",
        scope.get("path", "").replace("\x00", "%00"),
    )
    await send(
        {
            "type": "http.response.start",
            "status": 400,
            "headers": [
                (b"content-type", MEDIA_TYPE.encode()),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class RequestContextMiddleware:
    """Takes a sane incoming `X-Request-Id` or makes one and returns it on every answer,
    including the 500 problem it sends when a failure escapes everything else."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if _has_nul(scope):
            await _refuse_nul(scope, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        rid = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        id_header = (b"x-request-id", rid.encode())
        token = request_id.set(rid)
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [*message.get("headers", []), id_header]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            log.exception(
                "unexpected error in %s %s (request %s)",
                scope.get("method"),
                scope.get("path"),
                rid,
            )
            if started:
                raise
            body = problem_body(
                500,
                "internal_error",
                "Internal error",
                f"The hub failed to answer; quote request id {rid} when reporting it.",
                scope.get("path", ""),
            )
            await send(
                {
                    "type": "http.response.start",
                    "status": 500,
                    "headers": [
                        (b"content-type", MEDIA_TYPE.encode()),
                        (b"content-length", str(len(body)).encode()),
                        id_header,
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})
        finally:
            request_id.reset(token)
