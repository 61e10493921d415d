"""Signed access tokens: RS256 JWTs (python-jose) with a key id, their public keys as a JWKS,
and their verification (only RS256, with audience, issuer, expiry and not-before checked).

The signing key comes from settings (PEM) or is generated once into the data directory."""

import base64
import hashlib
import logging
import os
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jose import jwk, jwt
from jose.exceptions import JOSEError

from app.domain.access import ClientKind, Principal
from app.errors import DomainError
from app.settings import Settings

ALGORITHM = "RS256"
KEY_FILE = "jwt-signing-key.pem"
log = logging.getLogger("app.tokens")


class InvalidToken(DomainError):
    code = "invalid_token"
    title = "The access token is not valid"


def _generated_key(folder: Path) -> str:
    """The key in the data directory, made by the first process that needs it: written
    privately to a temporary file, then linked into place, so that processes starting together
    all end up with the one key that won."""
    path = folder / KEY_FILE
    if path.exists():
        return path.read_text()
    folder.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    temporary = folder / f".{KEY_FILE}.{os.getpid()}.{uuid.uuid4().hex}"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(pem)
    try:
        os.link(temporary, path)  # refused when another process linked its key first
    except FileExistsError:
        return path.read_text()
    finally:
        temporary.unlink()
    log.warning(
        "generated a token signing key in %s; set HUB_JWT_PRIVATE_KEY so that every "
        "replica signs with the same key",
        path,
    )
    return pem.decode()


def _thumbprint(public: dict[str, Any]) -> str:
    """RFC 7638 JWK thumbprint: the key id."""
    canonical = orjson.dumps({k: public[k] for k in ("e", "kty", "n")}, option=orjson.OPT_SORT_KEYS)
    return base64.urlsafe_b64encode(hashlib.sha256(canonical).digest()).decode().rstrip("=")


@dataclass
class TokenService:
    private_pem: str
    issuer: str
    audience: str
    ttl: int
    _verified: OrderedDict[str, tuple[float, dict[str, Any]]] = field(default_factory=OrderedDict)

    def __post_init__(self) -> None:
        private = serialization.load_pem_private_key(self.private_pem.encode(), password=None)
        public_pem = private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        self.public_pem = public_pem.decode()
        public = jwk.construct(self.public_pem, ALGORITHM).to_dict()
        self.kid = _thumbprint(public)
        self.jwks = {"keys": [{**public, "kid": self.kid, "use": "sig", "alg": ALGORITHM}]}

    @classmethod
    def from_settings(cls, settings: Settings) -> "TokenService":
        pem = settings.jwt_private_key or _generated_key(settings.data_dir)
        return cls(pem, settings.jwt_issuer, settings.jwt_audience, settings.token_ttl_seconds)

    def issue(self, client_id: str, kind: str, agencies: list[str], scopes: list[str]) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": client_id,
            "iat": now,
            "nbf": now,
            "exp": now + self.ttl,
            "jti": uuid.uuid4().hex,
            "scope": " ".join(scopes),
            "kind": kind,
            "agencies": agencies,
        }
        return str(
            jwt.encode(claims, self.private_pem, algorithm=ALGORITHM, headers={"kid": self.kid})
        )

    def client_of(self, authorization: str | None) -> str:
        """The client id of a valid bearer token, or "" (never raises)."""
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            return ""
        try:
            return self.verify(token.strip()).client_id
        except InvalidToken:
            return ""

    def verify(self, token: str) -> Principal:
        """The principal a token names, or `InvalidToken`. Verified tokens are remembered
        until they expire, so a busy client costs one signature check per token."""
        now = time.time()
        cached = self._verified.get(token)
        if cached is not None and cached[0] > now:
            return _principal(cached[1])
        try:
            header = jwt.get_unverified_header(token)
            if header.get("alg") != ALGORITHM or header.get("kid") != self.kid:
                raise InvalidToken("The token is not signed by this hub's key.")
            claims = jwt.decode(
                token,
                self.public_pem,
                algorithms=[ALGORITHM],
                audience=self.audience,
                issuer=self.issuer,
                options={
                    "require_exp": True,
                    "require_nbf": True,
                    "require_sub": True,
                    "leeway": 5,
                },
            )
        except JOSEError:
            raise InvalidToken(
                "The token is malformed, expired, not yet valid, or not meant for this hub."
            ) from None
        self._verified[token] = (float(claims["exp"]), claims)
        if len(self._verified) > 10_000:
            self._verified.popitem(last=False)
        return _principal(claims)


def _principal(claims: dict[str, Any]) -> Principal:
    try:
        return Principal(
            client_id=str(claims["sub"]),
            kind=ClientKind(claims["kind"]),
            agencies=tuple(claims.get("agencies", ())),
            scopes=frozenset(str(claims.get("scope", "")).split()),
        )
    except (KeyError, ValueError):
        raise InvalidToken("The token lacks the hub's claims.") from None
