"""`GET /changes`: the change feed, one total order of every change, gap-free (docs/feed.md)."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from app.api.cursors import decode, encode
from app.api.dependencies import SessionDep
from app.api.problems import documented
from app.api.representations import JSONBody
from app.api.routing import UnitOfWorkRoute
from app.api.security import Follower
from app.errors import FieldError, InvalidInput
from app.schemas.changes import CHANGE_TYPES, ChangePage
from app.services import feed

router = APIRouter(
    tags=["Change feed"], route_class=UnitOfWorkRoute, responses=documented(401, 403, 429)
)


def _types(values: list[str] | None) -> tuple[str, ...]:
    types = tuple(t.strip() for value in values or () for t in value.split(",") if t.strip())
    unknown = sorted(set(types) - set(CHANGE_TYPES))
    if unknown:
        raise InvalidInput(
            f"Unknown change types: {', '.join(unknown)}.",
            errors=[FieldError("types", f"one of {', '.join(CHANGE_TYPES)}")],
        )
    return types


@router.get(
    "/changes", summary="Follow the change feed", response_model=ChangePage,
    responses=documented(422),
)  # fmt: skip
async def list_changes(
    who: Follower,
    session: SessionDep,
    after: Annotated[
        str | None,
        Query(max_length=200, description="`nextCursor` of the previous page; omit to start."),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="Page size (at most 1000).")] = 100,
    agency: Annotated[
        str | None,
        Query(
            max_length=20,
            description="Only changes of dossiers this agency received or handled, or "
            "transfers to it.",
            examples=["000.00.04.G14"],
        ),
    ] = None,
    types: Annotated[
        list[str] | None,
        Query(description="Change types, repeatable or comma-separated.", examples=[[]]),
    ] = None,
) -> Response:
    """Every change of the dossiers the client may follow, in one total order: created,
    updated, status changed, step added, extended, and the transfer events. Follow
    `nextCursor` from the start and you see every change exactly once, in the order of its
    dossier, even when writers commit out of order; an empty page still gives the cursor to
    come back with. `id` is what to deduplicate on."""
    position = decode(after, int)
    rows, last = await feed.read(
        session,
        who,
        feed.ChangeFilter(agency=agency, types=_types(types)),
        after=position[0] if position else 0,
        limit=limit,
    )
    return JSONBody({"items": [feed.item(r) for r in rows], "nextCursor": encode([last])})
