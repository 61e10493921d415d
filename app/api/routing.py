"""The unit of work of a request, wrapped around every route of the hub.

One transaction per request: it opens before the route's dependencies run and commits before
the answer leaves, so a client never sees a success that was not stored. A POST with an
`Idempotency-Key` is looked up and remembered inside that same transaction. A transaction that
lost a race (deadlock, serialization failure, a concurrent create) runs again from the start.
"""

import re
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from app.db import Session, is_busy, is_retryable
from app.errors import DatabaseBusy, FieldError, InvalidInput
from app.services import clients, idempotency

MAX_ATTEMPTS = 5
_KEY = re.compile(r"[\x21-\x7e]{1,200}")
IDEMPOTENCY_HEADER = "idempotency-key"
_REPLAYED_HEADERS = ("content-type", "etag", "location", "sync-outcome")

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


async def session_of(request: Request) -> Session:
    """The dependency that hands a route its request's session.

    Dependencies are `async def` even when they do not await: FastAPI runs a plain `def`
    dependency in a worker thread, and that hop cost a fifth of the CPU of a status read."""
    session: Session = request.state.session
    return session


class UnitOfWorkRoute(APIRoute):
    """The route class of every resource of the hub."""

    remembers = True  # whether answers are stored for Idempotency-Key replays
    writes: bool | None = None  # None: every method but GET and HEAD writes

    def get_route_handler(self) -> Handler:
        route_handler = super().get_route_handler()
        writes = self.writes
        if writes is None:
            writes = not (self.methods or set()) <= {"GET", "HEAD"}
        remembers = self.remembers

        async def handler(request: Request) -> Response:
            hub = request.app.state.hub
            key = request.headers.get(IDEMPOTENCY_HEADER) if request.method == "POST" else None
            if key is not None and not _KEY.fullmatch(key):
                raise InvalidInput(
                    "The Idempotency-Key must be 1 to 200 visible ASCII characters.",
                    errors=[FieldError("Idempotency-Key", "1 to 200 visible ASCII characters")],
                )
            fingerprint = client = ""
            if key is not None and remembers:
                # Keys are scoped per client. Without a valid token there is nothing to replay:
                # the route's own authentication answers 401.
                client = hub.tokens.client_of(request.headers.get("authorization"))
            if client:
                fingerprint = idempotency.request_hash(
                    request.method, request.url.path, await request.body()
                )
            ttl = timedelta(hours=hub.settings.idempotency_ttl_hours)
            for attempt in range(1, MAX_ATTEMPTS + 1):
                request.state.after_commit = []
                try:
                    async with hub.db.transaction(write=writes) as session:
                        request.state.session = session
                        response = None
                        if client and not await clients.is_revoked(session, client):
                            stored = await idempotency.find(
                                session, client, key or "", fingerprint, ttl
                            )
                            response = _replay(stored) if stored is not None else None
                        if response is None:
                            response = await route_handler(request)
                            if client and response.status_code < 400:
                                await idempotency.remember(
                                    session,
                                    client,
                                    key or "",
                                    fingerprint,
                                    _stored(response),
                                    ttl,
                                )
                except Exception as exc:
                    if attempt < MAX_ATTEMPTS and is_retryable(exc):
                        continue
                    if is_busy(exc):
                        raise DatabaseBusy() from exc
                    raise
                for callback in request.state.after_commit:
                    callback()
                return response
            raise AssertionError("unreachable")

        return handler


class SecretRoute(UnitOfWorkRoute):
    """For answers that hold a secret or a token: never stored for a replay."""

    remembers = False


class TokenRoute(SecretRoute):
    """A POST that only reads."""

    writes = False


def after_commit(request: Request, callback: Callable[[], None]) -> None:
    """Run `callback` once the request's transaction has committed (not if it rolls back)."""
    request.state.after_commit.append(callback)


def _stored(response: Response) -> idempotency.StoredResponse:
    headers = {k: v for k, v in response.headers.items() if k in _REPLAYED_HEADERS}
    return idempotency.StoredResponse(response.status_code, headers, bytes(response.body))


def _replay(stored: idempotency.StoredResponse) -> Response:
    return Response(
        stored.body,
        status_code=stored.status_code,
        headers={**stored.headers, "Idempotent-Replayed": "true"},
    )
