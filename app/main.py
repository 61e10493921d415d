"""`create_app(settings)`: wiring only (routers, error handlers, middleware, lifespan)."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from fastapi import APIRouter, FastAPI

from app.api import calendar, catalogs, codes, dossiers, health, openapi, problems, sync
from app.api.context import RequestContextMiddleware
from app.api.limits import BodyLimitMiddleware
from app.db import Database
from app.domain.calendar import OfficeHours
from app.services import catalogs as catalog_service
from app.settings import Settings

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
    {"name": "Catalogs", "description": "Agencies, procedures, administrative units."},
    {"name": "Calendar", "description": "Working days, office hours, due dates."},
    {"name": "Operations", "description": "Health and readiness."},
]


@dataclass
class Hub:
    """What the routes of one process share: its settings and its database."""

    settings: Settings
    db: Database
    office_hours: OfficeHours


def create_app(settings: Settings) -> FastAPI:
    logging.basicConfig(level=settings.log_level)
    office_hours = OfficeHours.parse(settings.office_hours)  # a bad value stops the start

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = Database.connect(settings)
        app.state.hub = Hub(settings, db, office_hours)
        async with db.transaction(write=True) as session:
            await catalog_service.seed(session)
        try:
            yield
        finally:
            await db.dispose()

    app = FastAPI(
        title=settings.docs_title,
        version="1.0.0",
        description=DESCRIPTION,
        openapi_tags=TAGS,
        lifespan=lifespan,
        swagger_ui_parameters={"persistAuthorization": True, "displayRequestDuration": True},
    )
    api = APIRouter(prefix=API_PREFIX)
    api.include_router(dossiers.router)
    api.include_router(sync.router)
    api.include_router(codes.router)
    api.include_router(catalogs.router)
    api.include_router(catalogs.units)
    api.include_router(calendar.router)
    app.include_router(api)
    app.include_router(health.router)
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
