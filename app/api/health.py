"""Liveness and readiness for orchestrators."""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from app.schemas.envelopes import Health
from app.services.health import database_answers

router = APIRouter(tags=["Operations"])


@router.get("/healthz", summary="The process is alive", response_model=Health)
async def healthz() -> Health:
    return Health(status="ok")


@router.get(
    "/readyz",
    summary="The hub can serve: its database answers",
    response_model=Health,
    responses={503: {"model": Health, "description": "The database does not answer"}},
)
async def readyz(request: Request) -> Health | JSONResponse:
    if await database_answers(request.app.state.hub.db):
        return Health(status="ok", database="ok")
    return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
