"""`POST /sync/dossiers`: many snapshots in one request, per-item results in input order."""

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Header, Request
from pydantic import ValidationError

from app.api.dependencies import HoursDep, SessionDep
from app.api.problems import documented, validation_errors
from app.api.routing import UnitOfWorkRoute
from app.api.security import Writer
from app.domain.snapshots import Outcome
from app.errors import FieldError, InvalidInput, MalformedRequest
from app.schemas.dossier import SNAPSHOT_EXAMPLE, DossierSnapshot
from app.schemas.envelopes import SyncResponse, SyncResult
from app.schemas.problem import ProblemField
from app.services.sync import ItemResult, sync_snapshots

router = APIRouter(tags=["Sync"], route_class=UnitOfWorkRoute, responses=documented(401, 403, 429))

MAX_ITEMS = 1000
_ITEMS_SCHEMA = {
    "type": "array",
    "maxItems": MAX_ITEMS,
    "items": {"$ref": "#/components/schemas/DossierSnapshot"},
}
_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["items"],
                "additionalProperties": False,
                "properties": {"items": _ITEMS_SCHEMA},
            },
            "example": {"items": [SNAPSHOT_EXAMPLE]},
        },
        "application/x-ndjson": {
            "schema": {"type": "string", "description": "One snapshot (JSON) a line."},
        },
    },
}


def _parse_item(position: int, item: Any) -> DossierSnapshot | ItemResult:
    code = item.get("code") if isinstance(item, dict) else None
    try:
        return DossierSnapshot.model_validate(item)
    except ValidationError as invalid:
        return ItemResult(
            code if isinstance(code, str) else None,
            Outcome.REJECTED,
            problem=InvalidInput.code,
            errors=validation_errors(invalid.errors()),
        )


def _items_of_json(body: bytes) -> list[Any]:
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise MalformedRequest(
            "The request body is not valid JSON.", errors=[FieldError("body", "invalid JSON")]
        ) from None
    items = document.get("items") if isinstance(document, dict) else None
    if not isinstance(items, list) or set(document) != {"items"}:
        raise InvalidInput(
            'The body must be {"items": [snapshot, ...]}.',
            errors=[FieldError("items", "a list of dossier snapshots")],
        )
    if len(items) > MAX_ITEMS:
        raise InvalidInput(
            f"A batch holds at most {MAX_ITEMS} snapshots; send NDJSON for larger imports.",
            errors=[FieldError("items", f"at most {MAX_ITEMS} items")],
        )
    return items


def _items_of_ndjson(body: bytes) -> list[Any]:
    items: list[Any] = []
    for number, line in enumerate(body.splitlines(), 1):
        if line.strip():
            try:
                items.append(orjson.loads(line))
            except orjson.JSONDecodeError:
                items.append(
                    ItemResult(
                        None,
                        Outcome.REJECTED,
                        problem=MalformedRequest.code,
                        errors=[FieldError(f"line {number}", "invalid JSON")],
                    )
                )
    return items


@router.post(
    "/sync/dossiers",
    summary="Sync many dossier snapshots",
    response_model=SyncResponse,
    openapi_extra={"requestBody": _BODY},
    responses=documented(400, 413, 422),
)
async def sync_dossiers(
    request: Request,
    who: Writer,
    session: SessionDep,
    hours: HoursDep,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)] = None,
) -> SyncResponse:
    """Up to 1000 snapshots as `{"items": [...]}`, or any number as `application/x-ndjson`
    (one snapshot a line). Each item is judged like `PUT /dossiers/{code}`; the answer lists an
    outcome per item in input order, and one bad item never rejects the others."""
    body = await request.body()
    ndjson = request.headers.get("content-type", "").startswith("application/x-ndjson")
    raw = _items_of_ndjson(body) if ndjson else _items_of_json(body)
    parsed = [
        item if isinstance(item, ItemResult) else _parse_item(i, item) for i, item in enumerate(raw)
    ]
    results: list[ItemResult] = []
    for start in range(0, len(parsed), MAX_ITEMS):
        results += await sync_snapshots(session, parsed[start : start + MAX_ITEMS], hours, who)
    return SyncResponse(results=result_views(results))


def result_views(results: list[ItemResult]) -> list[SyncResult]:
    """The per-item results of a sync, as the API shows them."""
    return [
        SyncResult(
            code=r.code,
            outcome=r.outcome,
            version=r.version,
            problem=r.problem,
            errors=[ProblemField(field=e.field, message=e.message) for e in r.errors] or None,
        )
        for r in results
    ]
