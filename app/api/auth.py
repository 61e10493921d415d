"""OAuth2 client credentials (`POST /auth/token`), the public keys (`/.well-known/jwks.json`),
and the clients an administrator manages (`/clients`)."""

import base64
import binascii
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request, Response

from app.api.cursors import Cursor, Limit, decode, page_of
from app.api.dependencies import SessionDep
from app.api.problems import MEDIA_TYPE, documented
from app.api.routing import SecretRoute, TokenRoute, after_commit
from app.api.security import Admin
from app.errors import InvalidClient, OAuthRequestError
from app.schemas.clients import Client, ClientIn, ClientPage, NewClient, TokenAnswer
from app.services import clients

router = APIRouter(tags=["Auth"], route_class=SecretRoute)
# Issuing a token writes nothing: a read transaction, so that checking a secret never holds
# the embedded database's write lock.
tokens = APIRouter(tags=["Auth"], route_class=TokenRoute)
keys = APIRouter(tags=["Auth"])


def _oauth_problems() -> dict[int | str, dict[str, Any]]:
    schema = {"$ref": "#/components/schemas/Problem"}
    return {
        400: {
            "description": "invalid_request, unsupported_grant_type or invalid_scope "
            "(with `error` as RFC 6749 names it)",
            "content": {MEDIA_TYPE: {"schema": schema}},
        },
        401: {"description": "invalid_client", "content": {MEDIA_TYPE: {"schema": schema}}},
    }


def _basic(request: Request) -> tuple[str, str] | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        client_id, _, secret = base64.b64decode(value, validate=True).decode().partition(":")
    except (binascii.Error, ValueError):  # ValueError covers non-ASCII and bad UTF-8
        raise InvalidClient("The Basic credentials cannot be read.") from None
    return client_id, secret


@tokens.post(
    "/auth/token",
    summary="Get an access token (client credentials)",
    response_model=TokenAnswer,
    responses=_oauth_problems(),
)
async def issue_token(
    request: Request,
    session: SessionDep,
    response: Response,
    grant_type: Annotated[str | None, Form(examples=["client_credentials"])] = None,
    client_id: Annotated[str | None, Form()] = None,
    client_secret: Annotated[str | None, Form()] = None,
    scope: Annotated[str | None, Form(description="Space-separated; defaults to all granted")] = (
        None
    ),
) -> TokenAnswer:
    """OAuth2 client credentials (RFC 6749 section 4.4): the client id and secret as form
    fields or as HTTP Basic. The answer is a short-lived RS256 JWT. Errors carry RFC 6749's
    `error` member, so every field is checked here rather than by the schema."""
    if not grant_type:
        raise OAuthRequestError("invalid_request", "grant_type is required.")
    if any(
        len(value or "") > 500 or "\x00" in (value or "")
        for value in (client_id, client_secret, scope)
    ):
        raise OAuthRequestError("invalid_request", "A form field is longer than 500 characters.")
    if grant_type != "client_credentials":
        raise OAuthRequestError("unsupported_grant_type", "Only client_credentials is granted.")
    credentials = _basic(request) or (client_id, client_secret)
    if not credentials[0] or not credentials[1]:
        raise InvalidClient("Send client_id and client_secret, in the form or as Basic.")
    cost = request.app.state.hub.settings.secret_hash_cost
    row = await clients.authenticate(session, credentials[0], credentials[1], cost)
    granted = list(row.scopes)
    if scope:
        # RFC 6749 section 3.3: a request may be partly honoured, and the answer says what
        # was. Swagger UI's "select all" asks for every scope the API knows.
        asked = set(scope.split())
        granted = [s for s in granted if s in asked]
        if not granted:
            raise OAuthRequestError(
                "invalid_scope", "None of the requested scopes is granted to this client."
            )
    tokens = request.app.state.hub.tokens
    response.headers["Cache-Control"] = "no-store"
    return TokenAnswer(
        access_token=tokens.issue(row.id, row.kind, list(row.agencies), granted),
        token_type="Bearer",
        expires_in=tokens.ttl,
        scope=" ".join(granted),
    )


@keys.get("/.well-known/jwks.json", summary="The public keys that sign access tokens")
async def jwks(request: Request) -> dict[str, Any]:
    result: dict[str, Any] = request.app.state.hub.tokens.jwks
    return result


@router.post(
    "/clients",
    summary="Create a client",
    status_code=201,
    response_model=NewClient,
    responses=documented(401, 403, 413, 422, 429),
)
async def create_client(
    new: ClientIn, _: Admin, request: Request, session: SessionDep
) -> NewClient:
    """The answer shows `clientSecret` this once; only a slow hash of it is kept."""
    cost = request.app.state.hub.settings.secret_hash_cost
    return await clients.create(session, new, cost)


@router.get(
    "/clients",
    summary="List clients",
    response_model=ClientPage,
    responses=documented(401, 403, 422, 429),
)
async def list_clients(
    _: Admin, session: SessionDep, limit: Limit = 50, cursor: Cursor = None
) -> ClientPage:
    position = decode(cursor, str)
    rows = await clients.list_clients(session, after=position[0] if position else None, limit=limit)
    page, next_cursor = page_of(rows, limit, lambda row: [row.id])
    return ClientPage(items=[clients.view(r) for r in page], next_cursor=next_cursor)


@router.delete(
    "/clients/{client_id}",
    summary="Revoke a client",
    response_model=Client,
    responses=documented(401, 403, 404, 429),
)
async def revoke_client(
    client_id: Annotated[str, Path(max_length=100)],
    _: Admin,
    request: Request,
    session: SessionDep,
) -> Client:
    """Its tokens stop working at once in this process, and within seconds in the others."""
    row = await clients.revoke(session, client_id)
    live = request.app.state.hub.live_clients
    after_commit(request, lambda: live.pop(client_id, None))
    return clients.view(row)
