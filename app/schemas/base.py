"""The wire conventions of STANDARD.md section 2 as reusable Pydantic pieces."""

import unicodedata
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from app.domain.clock import to_vietnam


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


Text = Annotated[str, AfterValidator(_nfc)]
"""Free text kept as given, NFC-normalised (Vietnamese has two common encodings of a letter)."""

Timestamp = Annotated[AwareDatetime, AfterValidator(to_vietnam)]
"""RFC 3339 with an offset (input without one is rejected), held and rendered in +07:00 (the
database stores UTC). Converting on input lets Pydantic's own serialiser render it."""


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
