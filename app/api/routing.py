"""The unit of work of a request, wrapped around every route of the hub.

One transaction per request: it opens before the route's dependencies run and commits before
the answer leaves, so a client never sees a success that was not stored. A POST with an
`Idempotency-Key` is looked up and remembered inside that same transaction. A transaction that
lost a race (deadlock, serialization failure, a concurrent create) runs again from the start.
"""

from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from app.db import Session, is_retryable
from app.services import idempotency

MAX_ATTEMPTS = 5
IDEMPOTENCY_HEADER = "idempotency-key"
_REPLAYED_HEADERS = ("content-type", "etag", "location", "sync-outcome")

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


def session_of(request: Request) -> Session:
    """The dependency that hands a route its request's session."""
    session: Session = request.state.session
    return session


class UnitOfWorkRoute(APIRoute):
    def get_route_handler(self) -> Handler:
        route_handler = super().get_route_handler()
        writes = not (self.methods or set()) <= {"GET", "HEAD"}

        async def handler(request: Request) -> Response:
            hub = request.app.state.hub
            key = request.headers.get(IDEMPOTENCY_HEADER) if request.method == "POST" else None
            fingerprint = client = ""
            if key is not None:
                # Keys are scoped per client. Without a valid token there is nothing to replay:
                # the route's own authentication answers 401.
                client = hub.tokens.client_of(request.headers.get("authorization"))
                key = key if client else None
            if key is not None:
                fingerprint = idempotency.request_hash(
                    request.method, request.url.path, await request.body()
                )
            ttl = timedelta(hours=hub.settings.idempotency_ttl_hours)
            for attempt in range(1, MAX_ATTEMPTS + 1):
                try:
                    async with hub.db.transaction(write=writes) as session:
                        request.state.session = session
                        if key is not None:
                            stored = await idempotency.find(session, client, key, fingerprint, ttl)
                            if stored is not None:
                                return _replay(stored)
                        response = await route_handler(request)
                        if key is not None and response.status_code < 400:
                            await idempotency.remember(
                                session, client, key, fingerprint, _stored(response), ttl
                            )
                        return response
                except Exception as exc:
                    if attempt < MAX_ATTEMPTS and is_retryable(exc):
                        continue
                    raise
            raise AssertionError("unreachable")

        return handler


def _stored(response: Response) -> idempotency.StoredResponse:
    headers = {k: v for k, v in response.headers.items() if k in _REPLAYED_HEADERS}
    return idempotency.StoredResponse(response.status_code, headers, bytes(response.body))


def _replay(stored: idempotency.StoredResponse) -> Response:
    return Response(
        stored.body,
        status_code=stored.status_code,
        headers={**stored.headers, "Idempotent-Replayed": "true"},
    )
