"""Opaque list cursors: URL-safe base64 of the keyset position. Clients never parse them."""

import base64
import binascii
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Annotated, Any, TypeVar

import orjson
from fastapi import Query

from app.errors import FieldError, InvalidInput

Row = TypeVar("Row")

Limit = Annotated[int, Query(ge=1, le=500, description="Page size (default 50, at most 500).")]
Cursor = Annotated[
    str | None,
    Query(max_length=200, description="`nextCursor` of the previous page; omit for the first."),
]


def encode(position: list[Any]) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(position)).decode().rstrip("=")


def decode(cursor: str | None, *shape: type) -> list[Any] | None:
    """The position a cursor holds, checked against the expected member types."""
    if cursor is None:
        return None
    try:
        position = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(position, list) or len(position) != len(shape):
            raise ValueError
        values = [
            datetime.fromisoformat(v) if kind is datetime else kind(v)
            for v, kind in zip(position, shape, strict=True)
        ]
        if any(isinstance(v, int) and not -(2**63) <= v < 2**63 for v in values):
            raise ValueError
        if any(isinstance(v, str) and "\x00" in v for v in values):
            raise ValueError
        if any(isinstance(v, datetime) and v.tzinfo is None for v in values):
            raise ValueError
        return values
    except (ValueError, TypeError, OverflowError, binascii.Error, orjson.JSONDecodeError):
        raise InvalidInput(
            "The cursor is not one this hub issued.",
            errors=[FieldError("cursor", "not a cursor from this list")],
        ) from None


def page_of(
    rows: Sequence[Row], limit: int, position: Callable[[Row], list[Any]]
) -> tuple[Sequence[Row], str | None]:
    """The rows of a page (services fetch one more than `limit` to tell whether more follow)
    and the cursor of the next page, made from the last row's keyset position."""
    page = rows[:limit]
    return page, encode(position(page[-1])) if len(rows) > limit else None
