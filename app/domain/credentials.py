"""Client secrets: made at random, shown once, kept only as a slow salted hash (scrypt)."""

import base64
import hashlib
import hmac
import secrets

DEFAULT_COST = 14  # log2 of scrypt's N: about 16 MiB and tens of milliseconds per check


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def new_client_id() -> str:
    return f"cli_{secrets.token_hex(10)}"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def hash_secret(secret: str, cost: int = DEFAULT_COST) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, n=2**cost, r=8, p=1, maxmem=2**26)
    return f"scrypt${cost}${_b64(salt)}${_b64(digest)}"


def secret_matches(secret: str, stored: str) -> bool:
    try:
        scheme, cost, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        computed = hashlib.scrypt(
            secret.encode(), salt=_unb64(salt), n=2 ** int(cost), r=8, p=1, maxmem=2**26
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(computed, _unb64(digest))
