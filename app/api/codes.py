"""Dossier code issuing: `POST /dossier-codes`."""

from typing import Annotated

from fastapi import APIRouter, Header

from app.api.dependencies import SessionDep
from app.api.problems import documented
from app.api.routing import UnitOfWorkRoute
from app.api.security import Writer
from app.domain.clock import to_vietnam, utcnow
from app.schemas.catalog import DossierCodeRequest, IssuedDossierCode
from app.services import codes

router = APIRouter(
    tags=["Dossiers"], route_class=UnitOfWorkRoute, responses=documented(401, 403, 429)
)


@router.post(
    "/dossier-codes",
    summary="Issue the next dossier code",
    status_code=201,
    response_model=IssuedDossierCode,
    responses=documented(409, 413, 422),
)
async def issue_code(
    request: DossierCodeRequest,
    who: Writer,
    session: SessionDep,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)] = None,
) -> IssuedDossierCode:
    """The next code of today (Vietnam time) for the receiving agency:
    `<agency>-<YYMMDD>-<NNNN>`. Concurrent callers never get the same number. Send an
    `Idempotency-Key` to retry without using up a number."""
    return await codes.issue(session, request.agency, to_vietnam(utcnow()).date(), who)
