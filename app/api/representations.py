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
