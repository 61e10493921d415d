"""Adapters (STANDARD.md section 7): a system's own format in and out, and a preview for the
integrator onboarding a new system."""

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response

from app.adapters.base import Adapter
from app.adapters.dvcqg.translation import progress as dvcqg_progress_records
from app.adapters.xml_documents import UnreadableDocument
from app.api.dependencies import HoursDep, SessionDep
from app.api.dossiers import CodePath
from app.api.problems import documented
from app.api.routing import UnitOfWorkRoute
from app.api.security import Caller, Reader, Writer
from app.api.sync import result_views
from app.domain.clock import utcnow
from app.domain.snapshots import Outcome
from app.errors import FieldError, InvalidInput, NotFound
from app.schemas.adapters import AdapterInfo, AdapterSyncResponse, Preview, PreviewItem
from app.schemas.problem import ProblemField
from app.services import queries, translation
from app.services.progress import record_progress
from app.services.records import render
from app.services.sync import ItemResult, sync_snapshots

router = APIRouter(
    prefix="/adapters",
    tags=["Adapters"],
    route_class=UnitOfWorkRoute,
    responses=documented(401, 403, 429),
)

SystemPath = Annotated[str, Path(description="The system's name.", examples=["dvcqg"])]

# A system's own format is JSON or XML: the portal's is JSON, a mapping file says which
# (adapters/mapping.py). Its media type is listed by `GET /adapters`.
NATIVE_MEDIA_TYPES = ("application/json", "application/xml")
_NATIVE_SCHEMAS: dict[str, dict[str, Any]] = {
    "application/json": {"description": "A document in the system's JSON format."},
    "application/xml": {"type": "string", "description": "A document in the system's XML."},
}
_NATIVE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "The system's own document, in its media type (see `GET /adapters`).",
        "content": {media: {"schema": _NATIVE_SCHEMAS[media]} for media in NATIVE_MEDIA_TYPES},
    }
}


class UnknownSystem(NotFound):
    code = "adapter_not_found"
    title = "No such system"


def _adapter(request: Request, system: str) -> Adapter:
    adapter: Adapter | None = request.app.state.hub.adapters.get(system)
    if adapter is None:
        raise UnknownSystem(f"No adapter is registered for {system!r}; see GET /adapters.")
    return adapter


@router.get("", summary="The registered systems", response_model=list[AdapterInfo])
async def list_adapters(request: Request, _: Caller) -> list[AdapterInfo]:
    return [
        AdapterInfo(
            system=a.system,
            title=a.title,
            media_type=a.media_type,
            version=a.version,
            directions=["inbound", "outbound"],
            lossy=list(a.lossy),
            precision=a.precision,
        )
        for a in request.app.state.hub.adapters.values()
    ]


@router.post(
    "/{system}/preview",
    summary="Translate without storing",
    response_model=Preview,
    responses=documented(404, 413),
    openapi_extra=_NATIVE_BODY,
)
async def preview(system: SystemPath, request: Request, _: Caller) -> Preview:
    """The common dossier each native item becomes, the native fields nothing mapped (kept
    under `ext.<system>`), and every error with its native field path."""
    checked = translation.check(_adapter(request, system), await request.body())
    return Preview(
        items=[
            PreviewItem(
                native_path=c.translation.native_path,
                dossier=c.snapshot.model_dump(mode="json", by_alias=True, exclude_none=True)
                if c.snapshot
                else None,
                unmapped=c.translation.unmapped,
                errors=[
                    ProblemField(field=e.field, message=e.message) for e in c.translation.errors
                ],
            )
            for c in checked
        ]
    )


@router.post(
    "/{system}/dossiers",
    summary="Sync dossiers in the system's own format",
    response_model=AdapterSyncResponse,
    responses=documented(404, 413),
    openapi_extra=_NATIVE_BODY,
)
async def sync_native(
    system: SystemPath, request: Request, who: Writer, session: SessionDep, hours: HoursDep
) -> AdapterSyncResponse:
    """Translate, then behave like `POST /sync/dossiers`: a result per item in input order,
    errors naming the native field, one bad item never rejecting the others."""
    checked = translation.check(_adapter(request, system), await request.body())
    results = await sync_snapshots(session, translation.as_sync_items(checked), hours, who)
    return _answer(system, results)


def _answer(system: str, results: list[ItemResult]) -> AdapterSyncResponse:
    """Per-item results; for the portal's format also its own `error_code` summary."""
    answer = AdapterSyncResponse(results=result_views(results))
    if system == "dvcqg":
        rejected = sum(r.outcome is Outcome.REJECTED for r in results)
        answer.error_code = "-1" if rejected else "0"
        answer.message = (
            f"{rejected} of {len(results)} item(s) rejected"
            if rejected
            else f"{len(results)} item(s) accepted"
        )
    return answer


@router.post(
    "/dvcqg/progress",
    summary="Progress in the portal's format",
    response_model=AdapterSyncResponse,
    responses=documented(413, 422),
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": 'CapNhatTienDoHoSoMC records: a list, or `{"data": [...]}`.',
            "content": {"application/json": {"schema": {"type": ["array", "object"]}}},
        }
    },
)
async def dvcqg_progress(
    request: Request, who: Writer, session: SessionDep, hours: HoursDep
) -> AdapterSyncResponse:
    """CapNhatTienDoHoSoMC records: each becomes a processing step and, when `TrangThai` says
    so, a status change (a direct move). Each record stands or falls alone."""
    try:
        records = dvcqg_progress_records(await request.body())
    except UnreadableDocument as unreadable:
        raise InvalidInput(
            f"The body cannot be read: {unreadable}", errors=[FieldError("body", str(unreadable))]
        ) from None
    return _answer("dvcqg", await record_progress(session, records, hours, who))


@router.get(
    "/{system}/dossiers/{code}",
    summary="A dossier in the system's own format",
    response_class=Response,
    responses={
        200: {
            "description": "The dossier in the system's media type (see `GET /adapters`)",
            "content": {media: {"schema": _NATIVE_SCHEMAS[media]} for media in NATIVE_MEDIA_TYPES},
        },
        **documented(404, 422),
    },
)
async def render_native(
    system: SystemPath, code: CodePath, who: Reader, session: SessionDep, request: Request
) -> Response:
    adapter = _adapter(request, system)
    row = await queries.get_dossier(session, code, who)
    native = adapter.render([adapter.outbound(render(row, utcnow()))])
    return Response(native, media_type=adapter.media_type)
