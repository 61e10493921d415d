"""API envelopes: pages, batch results, history entries, health."""

from typing import Annotated, Any

from pydantic import Field

from app.domain.snapshots import Outcome
from app.domain.status import Status
from app.schemas.base import ResponseModel, Timestamp
from app.schemas.dossier import DossierListItem
from app.schemas.problem import ProblemField


class DossierPage(ResponseModel):
    items: list[DossierListItem]
    next_cursor: Annotated[
        str | None, Field(description="Cursor of the next page; null at the end.")
    ]


class SyncResult(ResponseModel):
    code: Annotated[str | None, Field(description="The item's dossier code, when it had one.")]
    outcome: Outcome
    version: int | None = None
    problem: Annotated[
        str | None, Field(description="Machine word of a rejection, e.g. `invalid_transition`.")
    ] = None
    errors: list[ProblemField] | None = None


class SyncResponse(ResponseModel):
    results: Annotated[list[SyncResult], Field(description="One per item, in input order.")]


class HistoryEntry(ResponseModel):
    """One version of a dossier's life: a snapshot, a status change, a step, an extension."""

    version: int
    type: Annotated[
        str,
        Field(
            description="Change type, e.g. `dossier.status_changed`.",
            examples=["dossier.status_changed"],
        ),
    ]
    at: Annotated[Timestamp, Field(description="When it happened, as its reporter said.")]
    recorded_at: Annotated[Timestamp, Field(description="When the hub stored it.")]
    status: Status
    from_status: Status | None = None
    data: dict[str, Any]


class HistoryPage(ResponseModel):
    items: list[HistoryEntry]
    next_cursor: str | None


class Health(ResponseModel):
    status: Annotated[str, Field(examples=["ok"])]
    database: str | None = None
