"""`create_app(settings)`: wiring only (routers, error handlers, middleware, lifespan)."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute

from app.adapters import registry
from app.adapters.base import Adapter
from app.api import (
    adapters,
    auth,
    calendar,
    catalogs,
    changes,
    codes,
    docs,
    dossiers,
    export,
    health,
    metrics,
    openapi,
    problems,
    reports,
    subscriptions,
    sync,
    transfers,
)
from app.api.context import RequestContextMiddleware
from app.api.limits import BodyLimitMiddleware
from app.db import Database
from app.domain.calendar import OfficeHours
from app.domain.throttle import TokenBuckets
from app.logs import configure_logging
from app.services import catalogs as catalog_service
from app.services import clients as client_service
from app.services.tokens import TokenService
from app.settings import Settings
from app.worker import DeliveryWorker

API_PREFIX = "/api/v1"

DESCRIPTION = """
The common ground between Vietnam's one-stop systems: one typed dossier (hồ sơ) schema over
REST, and adapters for each system's own format.

* **Provinces** push dossier snapshots (`PUT /dossiers/{code}`, `POST /sync/dossiers`), steps and
  status changes.
* **Ministries** pull the cases transferred to them and report results.
* **The national portal** reads status and receives pushes in its own format.

Conventions: camelCase JSON, RFC 3339 timestamps with an offset (rendered in +07:00), errors as
`application/problem+json`, `ETag`/`If-Match` on dossiers, `Idempotency-Key` on every POST,
opaque cursors on lists.
"""

TAGS = [
    {"name": "Dossiers", "description": "Hồ sơ: snapshots, reads, status, steps, extensions."},
    {"name": "Sync", "description": "Many snapshots in one request."},
    {"name": "Transfers", "description": "Liên thông: dossiers sent between agencies and levels."},
    {"name": "Change feed", "description": "Every change, in one gap-free order."},
    {"name": "Delivery", "description": "Subscriptions: changes pushed, signed, retried."},
    {"name": "Catalogs", "description": "Agencies, procedures, administrative units."},
    {"name": "Calendar", "description": "Working days, office hours, due dates."},
    {"name": "Adapters", "description": "Each system's own format, translated both ways."},
    {"name": "Reports", "description": "Service indicators (Decision 766/QĐ-TTg)."},
    {"name": "Auth", "description": "Client credentials, tokens, keys, clients."},
    {"name": "Operations", "description": "Health, readiness and metrics."},
]


@dataclass
class Hub:
    """What the routes of one process share."""

    settings: Settings
    db: Database
    office_hours: OfficeHours
    tokens: TokenService
    rate_limits: TokenBuckets
    adapters: dict[str, Adapter]
    # Client id -> when this process last saw it not revoked (api/security.py).
    live_clients: dict[str, float] = field(default_factory=dict)


def _operation_id(route: APIRoute) -> str:
    """`getDossier` rather than FastAPI's `get_dossier_api_v1_dossiers__code__get`: the names
    client generators and Swagger UI links show."""
    first, *rest = route.name.split("_")
    return first + "".join(part.title() for part in rest)


def create_app(settings: Settings) -> FastAPI:
    configure_logging(settings.log_level)
    office_hours = OfficeHours.parse(settings.office_hours)  # a bad value stops the start
    systems = registry.build(settings.adapter_mappings_dir)  # so does a bad mapping file

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = Database.connect(settings, context={"adapters": systems})
        app.state.hub = Hub(
            settings,
            db,
            office_hours,
            TokenService.from_settings(settings),
            TokenBuckets(settings.rate_limit_per_minute),
            systems,
        )
        async with db.transaction(write=True) as session:
            await catalog_service.seed(session)
            if settings.admin_client_id and settings.admin_client_secret:
                await client_service.bootstrap_admin(
                    session,
                    settings.admin_client_id,
                    settings.admin_client_secret,
                    settings.secret_hash_cost,
                )
        stop = asyncio.Event()
        worker = None
        if settings.runs_worker_in_process:
            worker = asyncio.create_task(DeliveryWorker(db, settings, systems).run(stop))
        try:
            yield
        finally:
            stop.set()
            if worker is not None:
                await worker
            await db.dispose()

    app = FastAPI(
        title=settings.docs_title,
        version="1.0.0",
        description=DESCRIPTION,
        openapi_tags=TAGS,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        generate_unique_id_function=_operation_id,
    )
    api = APIRouter(prefix=API_PREFIX)
    api.include_router(export.router)  # before /dossiers/{code}, which would take "export"
    api.include_router(dossiers.router)
    api.include_router(transfers.router)
    api.include_router(changes.router)
    api.include_router(subscriptions.router)
    api.include_router(sync.router)
    api.include_router(codes.router)
    api.include_router(catalogs.router)
    api.include_router(calendar.router)
    api.include_router(adapters.router)
    api.include_router(reports.router)
    api.include_router(auth.router)
    api.include_router(auth.tokens)
    app.include_router(api)
    app.include_router(auth.keys)
    app.include_router(health.router)
    app.include_router(metrics.router)
    docs.install(app)
    problems.install(app)
    openapi.install(app)
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        max_import_bytes=settings.max_import_bytes,
    )
    app.add_middleware(RequestContextMiddleware)
    return app


def app_from_environment() -> FastAPI:
    """For `uvicorn --factory app.main:app_from_environment` (several workers, production)."""
    return create_app(Settings())
