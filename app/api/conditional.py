"""ETags and preconditions (STANDARD.md section 2): `ETag: W/"<version>"`, `If-Match` on
writes (412 when stale), `If-None-Match` on reads (304 when current)."""

import re
from typing import Annotated

from fastapi import Header

_TAG = re.compile(r'\s*(?:W/)?"([^"]*)"\s*')


def etag(version: int) -> str:
    return f'W/"{version}"'


def status_etag(version: int, overdue: bool) -> str:
    """The status projection's tag. `overdue` turns true as time passes, with no new version, so
    the tag says it too: a client holding `W/"7"` must not be told 304 once the dossier is late."""
    return f'W/"{version}-overdue"' if overdue else etag(version)


def _tags(header: str) -> list[str]:
    return [m.group(1) for part in header.split(",") if (m := _TAG.fullmatch(part))]


async def if_match_version(
    if_match: Annotated[
        str | None,
        Header(
            description='Only write if the dossier is at this version: `W/"3"`. A stale '
            "value is answered 412 (`*` matches any version).",
            examples=['W/"1"'],
        ),
    ] = None,
) -> int | None:
    """The version a write is conditional on; None when unconditional. A value that names no
    version we could hold (`W/"x"`) can never match: -1 makes it fail as stale."""
    if if_match is None or if_match.strip() == "*":
        return None
    for tag in _tags(if_match):
        if tag.isascii() and tag.isdigit() and len(tag) <= 18:
            return int(tag)
    return -1


async def if_none_match(
    if_none_match: Annotated[
        str | None,
        Header(description="Answer 304 Not Modified when the dossier is still at this ETag."),
    ] = None,
) -> str | None:
    return if_none_match


def is_current(if_none_match: str | None, version: int) -> bool:
    if if_none_match is None:
        return False
    return if_none_match.strip() == "*" or str(version) in _tags(if_none_match)


def has_tag(if_none_match: str | None, tag: str) -> bool:
    """Whether `If-None-Match` names this tag (weak comparison: `W/` is ignored) or is `*`."""
    if if_none_match is None:
        return False
    return if_none_match.strip() == "*" or tag.removeprefix("W/").strip('"') in _tags(if_none_match)
