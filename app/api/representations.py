"""Fast JSON answers: stored dossiers are already JSON-ready, so they are written with orjson
rather than validated again through a response model."""

from typing import Any

import orjson
from fastapi import Response

from app.api.conditional import etag


class JSONBody(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def dossier_answer(
    dossier: dict[str, Any], *, status_code: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return JSONBody(
        dossier,
        status_code=status_code,
        headers={"ETag": etag(dossier["version"]), **(headers or {})},
    )


def not_modified(version: int) -> Response:
    return Response(status_code=304, headers={"ETag": etag(version)})


# The portal asks again whenever it shows a status: a cache may keep the answer for its own
# client only (`private`: it holds a masked name) and must revalidate it every time, which an
# unchanged dossier answers with a bodiless 304.
STATUS_CACHE_CONTROL = "private, max-age=0, must-revalidate"


def status_answer(projection: dict[str, Any], tag: str) -> Response:
    return JSONBody(projection, headers={"ETag": tag, "Cache-Control": STATUS_CACHE_CONTROL})


def status_not_modified(tag: str) -> Response:
    return Response(status_code=304, headers={"ETag": tag, "Cache-Control": STATUS_CACHE_CONTROL})
