"""`GET /dossiers/export`: whole dossiers as an NDJSON stream, for bulk copies and migrations."""

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from app.api.dossiers import Filters
from app.api.problems import documented
from app.api.routing import UnitOfWorkRoute
from app.api.security import Reader
from app.services import queries

router = APIRouter(
    tags=["Dossiers"], route_class=UnitOfWorkRoute, responses=documented(401, 403, 429)
)

NDJSON = "application/x-ndjson"


@router.get(
    "/dossiers/export",
    summary="Export dossiers as NDJSON",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "One whole dossier (the common schema) a line, in id order.",
            "content": {NDJSON: {"schema": {"type": "string"}}},
        },
        **documented(422),
    },
)
async def export_dossiers(request: Request, who: Reader, filters: Filters) -> StreamingResponse:
    """Every dossier the client may read that the filters select (the filters of `GET
    /dossiers`), one a line, streamed as it is read: the export holds only a page in memory
    however large it is. `lienthong import` reads this format back."""
    return StreamingResponse(
        queries.export(request.app.state.hub.db, filters, who), media_type=NDJSON
    )
