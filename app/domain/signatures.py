"""Delivery signatures (STANDARD.md section 5, Delivery): `Hub-Signature: sha256=<hex>`, the
HMAC-SHA256 of `<timestamp>.<body>` under the subscription's secret, with `Hub-Timestamp` in
Unix seconds. The hub signs; a subscriber verifies."""

import hashlib
import hmac
from enum import StrEnum

SCHEME = "sha256="
# How far `Hub-Timestamp` may be from the receiver's clock, either way: a captured delivery
# cannot be replayed later than this.
DEFAULT_TOLERANCE = 300.0
MAX_DIGITS = 12  # Unix seconds until the year 33658; a longer header is no timestamp


class Verdict(StrEnum):
    VALID = "valid"
    MALFORMED = "malformed"  # the timestamp is no integer, or the signature no `sha256=<hex>`
    BAD_SIGNATURE = "bad_signature"
    STALE = "stale"  # signed correctly, but too far from now


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The `Hub-Signature` header value for `body` sent at `timestamp` (Unix seconds)."""
    return _signature(secret, str(timestamp), body)


def _signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return SCHEME + mac.hexdigest()


def verify(
    secret: str,
    timestamp: str,
    body: bytes,
    signature: str,
    *,
    now: float,
    tolerance: float = DEFAULT_TOLERANCE,
) -> Verdict:
    """Judge a received delivery from its `Hub-Timestamp` and `Hub-Signature` headers, as
    given, and the raw body. Only `Verdict.VALID` accepts it."""
    readable = timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= MAX_DIGITS
    if not readable or not signature.startswith(SCHEME):
        return Verdict.MALFORMED
    expected = _signature(secret, timestamp, body)  # over the header's text, as sent
    # Constant time, so the answer's timing says nothing of how much of a forgery was right.
    if not hmac.compare_digest(expected.encode(), signature.encode(errors="replace")):
        return Verdict.BAD_SIGNATURE
    if abs(now - int(timestamp)) > tolerance:
        return Verdict.STALE
    return Verdict.VALID
