"""Access tokens (STANDARD.md section 5, QUALITY.md S4): the client-credentials endpoint, the
public keys, and every forged, stale or misdirected token answered 401, without echoing it."""

import base64
import hashlib
import hmac
import time
from collections.abc import Callable
from typing import Any

import httpx
import orjson
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI
from jose import jwt

from app.domain.access import Scope
from app.services.tokens import TokenService
from app.settings import Settings
from tests.api.checks import assert_problem, stored
from tests.auth import ADMIN_ID, ADMIN_SECRET, Credentials, create_client, token_for
from tests.factories import snapshot

TOKEN_FORM = {"grant_type": "client_credentials"}
Forger = Callable[[TokenService, Settings], str]


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def now() -> int:
    return int(time.time())


def claims(settings: Settings, **changes: Any) -> dict[str, Any]:
    """The claims the hub would put in an admin token, changed as given (None removes one)."""
    base = {
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "sub": ADMIN_ID,
        "iat": now(),
        "nbf": now(),
        "exp": now() + 600,
        "jti": "forged",
        "scope": " ".join(Scope),
        "kind": "admin",
        "agencies": [],
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def signed(settings: Settings, kid: str, key: str | None = None, **changes: Any) -> str:
    """Claims signed RS256 with the hub's private key (or `key`) under key id `kid`."""
    private = key or settings.jwt_private_key
    token: str = jwt.encode(
        claims(settings, **changes), private, algorithm="RS256", headers={"kid": kid}
    )
    return token


def unsigned(header: dict[str, Any], payload: dict[str, Any], secret: bytes | None) -> str:
    """A JWT assembled by hand: HMAC-SHA256 under `secret`, or no signature at all."""
    head = f"{b64(orjson.dumps(header))}.{b64(orjson.dumps(payload))}"
    signature = b"" if secret is None else hmac.new(secret, head.encode(), hashlib.sha256).digest()
    return f"{head}.{b64(signature)}"


def other_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return pem.decode()


def tampered(tokens: TokenService, settings: Settings) -> str:
    """A genuine province token whose payload now claims to be an admin's."""
    genuine = tokens.issue("cli_province", "province", ["*.*.*.H56"], ["dossiers:read"])
    head, payload, signature = genuine.split(".")
    body = orjson.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    body.update(kind="admin", scope=" ".join(Scope), agencies=[])
    return f"{head}.{b64(orjson.dumps(body))}.{signature}"


FORGERIES: dict[str, Forger] = {
    "alg none": lambda t, s: unsigned(
        {"alg": "none", "typ": "JWT", "kid": t.kid}, claims(s), secret=None
    ),
    "HS256 signed with the public key": lambda t, s: unsigned(
        {"alg": "HS256", "typ": "JWT", "kid": t.kid}, claims(s), secret=t.public_pem.encode()
    ),
    "expired": lambda t, s: signed(s, t.kid, iat=now() - 7200, nbf=now() - 7200, exp=now() - 60),
    "not yet valid": lambda t, s: signed(s, t.kid, nbf=now() + 3600, exp=now() + 7200),
    "wrong audience": lambda t, s: signed(s, t.kid, aud="urn:another:api"),
    "wrong issuer": lambda t, s: signed(s, t.kid, iss="https://issuer.example"),
    "unknown key id": lambda t, s: signed(s, "not-the-hub-key"),
    "another key under the hub's key id": lambda t, s: signed(s, t.kid, key=other_key()),
    "without an expiry": lambda t, s: signed(s, t.kid, exp=None),
    "without the hub's claims": lambda t, s: signed(s, t.kid, kind=None),
    "tampered payload": tampered,
    "garbage": lambda t, s: "garbage",
    "three garbage parts": lambda t, s: "a.b.c",
}


async def token_answer(anonymous: httpx.AsyncClient, **form: str) -> httpx.Response:
    return await anonymous.post("/auth/token", data={**TOKEN_FORM, **form})


@pytest.fixture
async def province(client: httpx.AsyncClient) -> Credentials:
    return await create_client(client, "province", ["*.*.*.H56"])


async def test_a_token_signed_like_the_hub_signs_is_accepted(
    app: FastAPI, settings: Settings, anonymous: httpx.AsyncClient
) -> None:
    """The forgeries below differ from this token in one thing each."""
    token = signed(settings, app.state.hub.tokens.kid)

    response = await anonymous.get("/clients", headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 200, response.text


@pytest.mark.parametrize("forgery", list(FORGERIES))
async def test_forged_or_stale_token_is_401_without_echoing_it(
    app: FastAPI, settings: Settings, anonymous: httpx.AsyncClient, forgery: str
) -> None:
    token = FORGERIES[forgery](app.state.hub.tokens, settings)

    response = await anonymous.get("/clients", headers={"Authorization": f"Bearer {token}"})

    assert_problem(response, 401, "unauthenticated")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert token not in response.text
    assert token not in str(response.headers)


async def test_token_of_a_revoked_client_is_401(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, province: Credentials
) -> None:
    token = await token_for(anonymous, province.client_id, province.secret)
    headers = {"Authorization": f"Bearer {token}"}
    assert (await anonymous.get("/agencies", headers=headers)).status_code == 200

    assert (await client.delete(f"/clients/{province.client_id}")).status_code == 200
    response = await anonymous.get("/agencies", headers=headers)

    assert_problem(response, 401, "unauthenticated")
    assert token not in response.text


async def test_revoked_client_gets_no_new_token(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, province: Credentials
) -> None:
    await client.delete(f"/clients/{province.client_id}")

    response = await token_answer(
        anonymous, client_id=province.client_id, client_secret=province.secret
    )

    assert_problem(response, 401, "invalid_client")


async def test_basic_credentials_on_an_api_route_are_401(
    anonymous: httpx.AsyncClient, province: Credentials
) -> None:
    response = await anonymous.get("/agencies", auth=(province.client_id, province.secret))

    assert_problem(response, 401, "unauthenticated")
    assert province.secret not in response.text


async def test_missing_token_is_401_with_a_bearer_challenge(anonymous: httpx.AsyncClient) -> None:
    response = await anonymous.get("/dossiers")

    assert_problem(response, 401, "unauthenticated")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


async def test_token_from_form_credentials(
    anonymous: httpx.AsyncClient, settings: Settings, province: Credentials
) -> None:
    response = await token_answer(
        anonymous, client_id=province.client_id, client_secret=province.secret
    )

    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["token_type"] == "Bearer"
    assert answer["expires_in"] == settings.token_ttl_seconds
    assert set(answer["scope"].split()) == {
        "dossiers:read",
        "dossiers:write",
        "feed:read",
        "transfers",
    }
    assert response.headers["Cache-Control"] == "no-store"
    assert province.secret not in response.text
    assert jwt.get_unverified_claims(answer["access_token"])["sub"] == province.client_id


async def test_token_from_http_basic_credentials(
    anonymous: httpx.AsyncClient, province: Credentials
) -> None:
    response = await anonymous.post(
        "/auth/token", data=TOKEN_FORM, auth=(province.client_id, province.secret)
    )

    assert response.status_code == 200, response.text
    assert province.secret not in response.text
    token = response.json()["access_token"]
    assert jwt.get_unverified_claims(token)["sub"] == province.client_id


async def test_wrong_secret_is_invalid_client_like_an_unknown_client(
    anonymous: httpx.AsyncClient, province: Credentials
) -> None:
    wrong = await token_answer(
        anonymous, client_id=province.client_id, client_secret="not-the-secret-at-all"
    )
    unknown = await token_answer(anonymous, client_id="cli_nobody", client_secret="whatever-1")

    problem = assert_problem(wrong, 401, "invalid_client")
    assert problem["error"] == "invalid_client"
    assert wrong.headers["WWW-Authenticate"].startswith("Basic")
    assert "not-the-secret-at-all" not in wrong.text
    assert assert_problem(unknown, 401, "invalid_client")["detail"] == problem["detail"]


async def test_unreadable_basic_credentials_are_invalid_client(
    anonymous: httpx.AsyncClient,
) -> None:
    response = await anonymous.post(
        "/auth/token", data=TOKEN_FORM, headers={"Authorization": "Basic %%%not-base64"}
    )

    assert assert_problem(response, 401, "invalid_client")["error"] == "invalid_client"


async def test_grant_other_than_client_credentials_is_unsupported_grant_type(
    anonymous: httpx.AsyncClient, province: Credentials
) -> None:
    response = await anonymous.post(
        "/auth/token",
        data={"grant_type": "password", "username": province.client_id, "password": "x"},
    )

    assert assert_problem(response, 400, "unsupported_grant_type")["error"] == (
        "unsupported_grant_type"
    )


async def test_asking_only_scopes_not_granted_is_invalid_scope(
    anonymous: httpx.AsyncClient, province: Credentials
) -> None:
    response = await token_answer(
        anonymous, client_id=province.client_id, client_secret=province.secret, scope="admin"
    )

    assert assert_problem(response, 400, "invalid_scope")["error"] == "invalid_scope"
    assert province.secret not in response.text


async def test_a_scope_not_granted_is_left_out_of_the_token(
    anonymous: httpx.AsyncClient, province: Credentials
) -> None:
    """RFC 6749 section 3.3: a request may be partly honoured; the answer says what was."""
    response = await token_answer(
        anonymous,
        client_id=province.client_id,
        client_secret=province.secret,
        scope="dossiers:read admin",
    )

    assert response.status_code == 200, response.text
    assert response.json()["scope"] == "dossiers:read"
    assert jwt.get_unverified_claims(response.json()["access_token"])["scope"] == "dossiers:read"
    admin_only = {"Authorization": f"Bearer {response.json()['access_token']}"}
    assert_problem(await anonymous.get("/clients", headers=admin_only), 403, "insufficient_scope")


async def test_asking_fewer_scopes_narrows_the_token(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, province: Credentials
) -> None:
    dossier = await stored(client, snapshot())
    response = await token_answer(
        anonymous,
        client_id=province.client_id,
        client_secret=province.secret,
        scope="dossiers:read",
    )
    assert response.json()["scope"] == "dossiers:read"
    headers = {"Authorization": f"Bearer {response.json()['access_token']}"}

    read = await anonymous.get(f"/dossiers/{dossier['code']}", headers=headers)
    write = await anonymous.put(f"/dossiers/{dossier['code']}", json=snapshot(), headers=headers)

    assert read.status_code == 200, read.text
    assert_problem(write, 403, "insufficient_scope")
    assert "dossiers:write" in write.headers["WWW-Authenticate"]


async def test_jwks_publishes_the_one_key_that_signs_tokens(
    anonymous: httpx.AsyncClient, settings: Settings
) -> None:
    token = await token_for(anonymous, ADMIN_ID, ADMIN_SECRET)

    response = await anonymous.get("http://hub/.well-known/jwks.json")

    assert response.status_code == 200, response.text
    [key] = response.json()["keys"]
    assert (key["kty"], key["alg"], key["use"]) == ("RSA", "RS256", "sig")
    assert key["kid"] == jwt.get_unverified_header(token)["kid"]
    assert not {"d", "p", "q", "dp", "dq", "qi"} & key.keys()
    verified = jwt.decode(
        token,
        key,
        algorithms=["RS256"],
        audience=settings.jwt_audience,
        issuer=settings.jwt_issuer,
    )
    assert verified["sub"] == ADMIN_ID


async def test_token_request_without_grant_type_is_invalid_request(
    anonymous: httpx.AsyncClient, province: Credentials
) -> None:
    """RFC 6749 section 5.2: a missing parameter is 400 `invalid_request`, which the route
    documents, so that OAuth2 libraries find the `error` member they read."""
    response = await anonymous.post(
        "/auth/token", data={"client_id": province.client_id, "client_secret": province.secret}
    )

    assert assert_problem(response, 400, "invalid_request")["error"] == "invalid_request"
    assert province.secret not in response.text
