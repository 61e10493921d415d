"""The change feed as the API shows it."""

from typing import Annotated

from pydantic import Field

from app.domain.status import Status
from app.schemas.base import ResponseModel, Timestamp

CHANGE_TYPES = (
    "dossier.created",
    "dossier.updated",
    "dossier.status_changed",
    "dossier.step_added",
    "dossier.extended",
    "transfer.sent",
    "transfer.accepted",
    "transfer.rejected",
    "transfer.completed",
)


class Change(ResponseModel):
    """One change of one dossier: a new version of it."""

    id: Annotated[
        str,
        Field(
            description="The change's id, for deduplication: its position in the feed.",
            examples=["18342"],
        ),
    ]
    type: Annotated[str, Field(examples=["dossier.status_changed"])]
    dossier_code: Annotated[str, Field(examples=["000.00.00.H56-251127-0012"])]
    at: Annotated[Timestamp, Field(description="When it happened, as its reporter said.")]
    recorded_at: Annotated[Timestamp, Field(description="When the hub stored it.")]
    version: Annotated[int, Field(description="The dossier version the change made.")]
    status: Status


class ChangePage(ResponseModel):
    items: list[Change]
    next_cursor: Annotated[
        str,
        Field(
            description="Where to continue: always given, so that a follower comes back "
            "with it for what arrives later."
        ),
    ]
