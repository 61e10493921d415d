"""Authentication and authorisation of every route: the OAuth2 client-credentials scheme that
Swagger UI's "Authorize" uses, the scopes an operation needs, revocation and the rate limit.

Routes ask for `Security(principal, scopes=[...])`, or for an `AnyScope` when any one of
several scopes opens them; this is the one place that decides."""

import time
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request, Security
from fastapi.openapi.models import OAuthFlowClientCredentials, OAuthFlows
from fastapi.security import OAuth2, SecurityScopes

from app.api.routing import session_of
from app.db import Session
from app.domain.access import SCOPE_DESCRIPTIONS, Principal, Scope
from app.errors import InsufficientScope, RateLimited, Unauthenticated
from app.services import clients
from app.services.tokens import InvalidToken

TOKEN_URL = "/api/v1/auth/token"
REVOCATION_TTL = 5.0  # seconds a "not revoked" answer is trusted by this process

oauth2 = OAuth2(
    flows=OAuthFlows(
        clientCredentials=OAuthFlowClientCredentials(
            tokenUrl=TOKEN_URL, scopes={s.value: d for s, d in SCOPE_DESCRIPTIONS.items()}
        )
    ),
    scheme_name="clientCredentials",
    description="OAuth2 client credentials: the client id and secret an administrator issued.",
    auto_error=False,
)


def _bearer(authorization: str | None) -> str:
    if not authorization:
        raise Unauthenticated("Send an access token: Authorization: Bearer <token>.")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthenticated("Send an access token: Authorization: Bearer <token>.")
    return token.strip()


async def _authenticated(
    request: Request, authorization: str | None, session: Session
) -> Principal:
    """The client of a valid token that was not revoked."""
    hub = request.app.state.hub
    try:
        who: Principal = hub.tokens.verify(_bearer(authorization))
    except InvalidToken as invalid:
        raise Unauthenticated(invalid.detail) from None
    now = time.monotonic()
    checked = hub.live_clients.get(who.client_id)
    if checked is None or now - checked > REVOCATION_TTL:
        if await clients.is_revoked(session, who.client_id):
            raise Unauthenticated("The client of this token was revoked.")
        hub.live_clients[who.client_id] = now
    return who


def _throttle(request: Request, who: Principal) -> None:
    wait = request.app.state.hub.rate_limits.take(who.client_id, time.monotonic())
    if wait:
        raise RateLimited(wait)


async def principal(
    security_scopes: SecurityScopes,
    request: Request,
    authorization: Annotated[str | None, Depends(oauth2)],
    session: Annotated[Session, Depends(session_of)],
) -> Principal:
    who = await _authenticated(request, authorization, session)
    missing = [s for s in security_scopes.scopes if s not in who.scopes]
    if missing:
        raise InsufficientScope(missing)
    _throttle(request, who)
    return who


@dataclass(frozen=True)
class AnyScope:
    """A dependency for operations that one of several scopes opens, where `Security` would
    ask for all of them. The route documents the alternatives with `openapi_extra=.openapi`
    (OpenAPI reads a list of security requirements as "any one of")."""

    scopes: tuple[Scope, ...]

    async def __call__(
        self, request: Request, session: Annotated[Session, Depends(session_of)]
    ) -> Principal:
        who = await _authenticated(request, request.headers.get("authorization"), session)
        if not any(scope.value in who.scopes for scope in self.scopes):
            raise InsufficientScope([scope.value for scope in self.scopes], any_of=True)
        _throttle(request, who)
        return who

    @property
    def openapi(self) -> dict[str, Any]:
        return {"security": [{oauth2.scheme_name: [scope.value]} for scope in self.scopes]}


# `status:read` (the portal) reads every dossier's status; `dossiers:read` (provinces and
# ministries) reads the status of the dossiers the client sees.
status_readers = AnyScope((Scope.STATUS_READ, Scope.DOSSIERS_READ))
StatusReader = Annotated[Principal, Depends(status_readers)]

Caller = Annotated[Principal, Security(principal)]
Reader = Annotated[Principal, Security(principal, scopes=[Scope.DOSSIERS_READ.value])]
Writer = Annotated[Principal, Security(principal, scopes=[Scope.DOSSIERS_WRITE.value])]
Transferor = Annotated[Principal, Security(principal, scopes=[Scope.TRANSFERS.value])]
Follower = Annotated[Principal, Security(principal, scopes=[Scope.FEED_READ.value])]
Admin = Annotated[Principal, Security(principal, scopes=[Scope.ADMIN.value])]
