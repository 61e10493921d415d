"""The RFC 9457 problem document every error answer carries."""

from typing import Annotated

from pydantic import Field

from app.schemas.base import ResponseModel


class ProblemField(ResponseModel):
    field: Annotated[
        str,
        Field(
            description="camelCase path of the member, e.g. "
            "`applicant.idNumber` or `documents[0].url`."
        ),
    ]
    message: str


class Problem(ResponseModel):
    """An error answer (application/problem+json)."""

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "type": "urn:lienthong:problem:invalid_transition",
                    "title": "That status change is not allowed",
                    "status": 409,
                    "detail": "A dossier in status 'returned' cannot move to 'processing'.",
                    "instance": "/api/v1/dossiers/000.00.00.H56-251127-0012",
                    "code": "invalid_transition",
                    "errors": [{"field": "status", "message": "not allowed from 'returned'"}],
                }
            ]
        }
    }

    type: str
    title: str
    status: int
    detail: str
    instance: str
    code: Annotated[str, Field(description="Stable machine word, e.g. `invalid_transition`.")]
    errors: list[ProblemField] | None = None
