"""The wire conventions of STANDARD.md section 2 as reusable Pydantic pieces."""

import re
import unicodedata
from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BaseModel, BeforeValidator, ConfigDict
from pydantic.alias_generators import to_camel

from app.domain.clock import to_vietnam


def _nfc(value: str) -> str:
    if "\x00" in value:
        raise ValueError("text must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text must be valid Unicode (no lone surrogates)") from None
    return unicodedata.normalize("NFC", value)


EARLIEST_YEAR, LATEST_YEAR = 1900, 2100


def _plausible(value: datetime) -> datetime:
    # Bounded so that every moment converts to Vietnam time and the calendar of its year
    # exists: years near 1 or 9999 overflow, and a dossier from either is a typing mistake.
    if not EARLIEST_YEAR < value.year < LATEST_YEAR:
        raise ValueError(f"timestamp must lie between {EARLIEST_YEAR} and {LATEST_YEAR}")
    return to_vietnam(value)


_NUMBER = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)")


def _text_not_number(value: object) -> object:
    # Pydantic takes a number, or a string of one, for seconds since 1970: `0` would be a
    # moment in 1970 and "1700000000" one in 2023. The contract's moments and days are
    # RFC 3339 text, whose offset a number does not carry.
    if isinstance(value, int | float) or (isinstance(value, str) and _NUMBER.fullmatch(value)):
        raise ValueError("must be RFC 3339 text, not a number")
    return value


Text = Annotated[str, AfterValidator(_nfc)]
"""Free text kept as given, NFC-normalised (Vietnamese has two common encodings of a letter)."""

Timestamp = Annotated[AwareDatetime, BeforeValidator(_text_not_number), AfterValidator(_plausible)]
"""RFC 3339 with an offset (input without one is rejected), held and rendered in +07:00 (the
database stores UTC). Converting on input lets Pydantic's own serialiser render it."""

Day = Annotated[date, BeforeValidator(_text_not_number)]
"""A calendar day as RFC 3339 `full-date` text, YYYY-MM-DD."""


class WireModel(BaseModel):
    """camelCase on the wire (and only camelCase), unknown members rejected."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_alias=True,
        validate_by_name=False,
        serialize_by_alias=True,
        extra="forbid",
    )


class ResponseModel(BaseModel):
    """Outbound envelopes: camelCase, serialised by alias."""

    model_config = ConfigDict(
        alias_generator=to_camel, validate_by_name=True, serialize_by_alias=True
    )
