"""Envelopes of the adapter endpoints."""

from typing import Annotated, Any

from pydantic import Field

from app.schemas.base import ResponseModel
from app.schemas.envelopes import SyncResult
from app.schemas.problem import ProblemField


class AdapterInfo(ResponseModel):
    system: Annotated[str, Field(examples=["dvcqg"])]
    title: str
    media_type: Annotated[str, Field(examples=["application/json"])]
    version: str
    directions: list[str]
    lossy: Annotated[
        list[str],
        Field(
            description="What the format cannot carry: member paths, `list[].member`, "
            "`list[member=value]` (entries dropped), `list[order=member]`"
        ),
    ]
    precision: Annotated[
        str,
        Field(
            description="The finest part of a timestamp that survives: day, minute or second",
            examples=["second"],
        ),
    ]


class PreviewItem(ResponseModel):
    native_path: Annotated[str, Field(examples=["data[0]"])]
    dossier: Annotated[
        dict[str, Any] | None,
        Field(description="The common dossier, when the item translates and validates"),
    ]
    unmapped: Annotated[list[str], Field(description="Native fields kept under ext.<system>")]
    errors: Annotated[list[ProblemField], Field(description="Each with its native field path")]


class Preview(ResponseModel):
    items: list[PreviewItem]


class AdapterSyncResponse(ResponseModel):
    results: list[SyncResult]
    error_code: Annotated[
        str | None,
        Field(
            serialization_alias="error_code",
            description="dvcqg only: the portal's own "
            'summary, "0" when every item was stored, "-1" otherwise',
        ),
    ] = None
    message: Annotated[str | None, Field(description="dvcqg only: the summary in words")] = None
