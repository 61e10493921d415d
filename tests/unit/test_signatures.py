"""Delivery signatures of STANDARD.md section 5: HMAC-SHA256 of `<timestamp>.<body>`."""

import hashlib
import hmac

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.signatures import DEFAULT_TOLERANCE, Verdict, sign, verify

SECRET = "whsec-portal"
AT = 1_764_208_800  # 2025-11-27 09:00 +07:00
BODY = '{"isUpdating": "False", "data": [{"ChuHoSo": "Lê Thị Hương"}]}'.encode()


def test_the_signature_is_hmac_sha256_of_timestamp_dot_body_in_lowercase_hex() -> None:
    expected = hmac.new(b"whsec-portal", b"1764208800." + BODY, hashlib.sha256).hexdigest()
    assert sign(SECRET, AT, BODY) == f"sha256={expected}"


def test_a_vector_computed_by_openssl_matches() -> None:
    assert sign("s", 0, b"") == (
        "sha256=2572e102ebbc88d57bc0ef48471ee28bb7fc8c6e9c0558b3c8e5d276f84ac9c3"
    )


def test_a_signed_delivery_verifies() -> None:
    assert verify(SECRET, str(AT), BODY, sign(SECRET, AT, BODY), now=AT) is Verdict.VALID


@pytest.mark.parametrize(
    ("secret", "timestamp", "body"),
    [
        ("another secret", AT, BODY),
        (SECRET, AT + 1, BODY),
        (SECRET, AT, BODY.replace(b"False", b"True ")),
        (SECRET, AT, BODY + b" "),
    ],
    ids=["secret", "timestamp", "body", "one more byte"],
)
def test_changing_the_secret_the_timestamp_or_a_byte_of_the_body_breaks_it(
    secret: str, timestamp: int, body: bytes
) -> None:
    signature = sign(SECRET, AT, BODY)
    verdict = verify(secret, str(timestamp), body, signature, now=AT)
    assert verdict is Verdict.BAD_SIGNATURE


@pytest.mark.parametrize(
    ("timestamp", "signature"),
    [
        ("", None),
        ("17642088OO", None),
        ("-1764208800", None),
        ("1764208800.5", None),
        ("١٧٦٤٢٠٨٨٠٠", None),  # Arabic-Indic digits are digits to str.isdigit, not to us
        ("9" * 5000, None),  # longer than int() reads
        (str(AT), ""),
        (str(AT), "sha1=" + "0" * 40),
    ],
)
def test_unreadable_headers_are_malformed(timestamp: str, signature: str | None) -> None:
    given_signature = sign(SECRET, AT, BODY) if signature is None else signature
    assert verify(SECRET, timestamp, BODY, given_signature, now=AT) is Verdict.MALFORMED


def test_a_signature_in_another_case_or_without_its_scheme_is_refused() -> None:
    signature = sign(SECRET, AT, BODY)
    assert verify(SECRET, str(AT), BODY, signature.upper(), now=AT) is Verdict.MALFORMED
    hex_only = signature.removeprefix("sha256=")
    assert verify(SECRET, str(AT), BODY, hex_only, now=AT) is Verdict.MALFORMED
    assert verify(SECRET, str(AT), BODY, "sha256=" + hex_only.upper(), now=AT) is (
        Verdict.BAD_SIGNATURE
    )


def test_a_non_ascii_signature_is_refused_not_an_error() -> None:
    assert verify(SECRET, str(AT), BODY, "sha256=đ", now=AT) is Verdict.BAD_SIGNATURE


@pytest.mark.parametrize("offset", [-DEFAULT_TOLERANCE, 0, DEFAULT_TOLERANCE])
def test_a_timestamp_within_the_tolerance_either_way_is_fresh(offset: float) -> None:
    assert verify(SECRET, str(AT), BODY, sign(SECRET, AT, BODY), now=AT + offset) is Verdict.VALID


@pytest.mark.parametrize("offset", [-DEFAULT_TOLERANCE - 1, DEFAULT_TOLERANCE + 1, 86_400])
def test_a_correctly_signed_but_old_or_future_timestamp_is_stale(offset: float) -> None:
    verdict = verify(SECRET, str(AT), BODY, sign(SECRET, AT, BODY), now=AT + offset)
    assert verdict is Verdict.STALE


def test_the_tolerance_is_the_receivers_choice() -> None:
    signature = sign(SECRET, AT, BODY)
    assert verify(SECRET, str(AT), BODY, signature, now=AT + 20, tolerance=10) is Verdict.STALE
    assert verify(SECRET, str(AT), BODY, signature, now=AT + 20, tolerance=30) is Verdict.VALID


def test_a_forgery_is_judged_on_its_signature_before_its_age() -> None:
    assert verify(SECRET, "1", BODY, "sha256=" + "0" * 64, now=AT) is Verdict.BAD_SIGNATURE


def test_the_signed_timestamp_is_the_header_text_so_a_padded_one_does_not_verify() -> None:
    assert verify(SECRET, f"0{AT}", BODY, sign(SECRET, AT, BODY), now=AT) is (Verdict.BAD_SIGNATURE)


@given(secret=st.text(min_size=1), timestamp=st.integers(0, 10**11), body=st.binary())
def test_whatever_is_signed_verifies_under_its_own_secret(
    secret: str, timestamp: int, body: bytes
) -> None:
    signature = sign(secret, timestamp, body)
    assert verify(secret, str(timestamp), body, signature, now=timestamp) is Verdict.VALID
    assert verify(secret + "x", str(timestamp), body, signature, now=timestamp) is (
        Verdict.BAD_SIGNATURE
    )
