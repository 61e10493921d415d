"""Subscriptions and their deliveries (STANDARD.md section 5, "Delivery"): admin only."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from app.api.cursors import Cursor, Limit, decode, page_of
from app.api.dependencies import SessionDep
from app.api.problems import documented
from app.api.routing import UnitOfWorkRoute
from app.api.security import Admin
from app.schemas.subscriptions import (
    Delivery,
    DeliveryPage,
    DeliveryStatus,
    Subscription,
    SubscriptionIn,
    SubscriptionList,
)
from app.services import subscriptions

router = APIRouter(
    tags=["Delivery"], route_class=UnitOfWorkRoute, responses=documented(401, 403, 429)
)

SubscriptionId = Annotated[
    int, Path(alias="subscriptionId", ge=1, le=2**63 - 1, description="Subscription id.")
]
DeliveryId = Annotated[
    int, Path(alias="deliveryId", ge=1, le=2**63 - 1, description="Delivery id.")
]


@router.post(
    "/subscriptions",
    summary="Subscribe a callback to changes",
    response_model=Subscription,
    status_code=201,
    responses=documented(413, 422),
)
async def create_subscription(
    new: SubscriptionIn, who: Admin, session: SessionDep, request: Request, response: Response
) -> Subscription:
    """From now on, every change of the listed types (all when `events` is empty) of the
    dossiers the filter selects is POSTed to `callbackUrl`, signed with `secret`
    (`Hub-Signature: sha256=HMAC(secret, "<Hub-Timestamp>.<body>")`), in `format`: `common`
    or an adapter's own payloads. The national portal push is `format: dvcqg`. Delivery is
    at least once, in order per dossier, retried for over 24 hours, then dead-lettered."""
    row = await subscriptions.create(session, new, request.app.state.hub.adapters, who)
    response.headers["Location"] = f"/api/v1/subscriptions/{row.id}"
    return subscriptions.view(row)


@router.get("/subscriptions", summary="List subscriptions", response_model=SubscriptionList)
async def list_subscriptions(who: Admin, session: SessionDep) -> SubscriptionList:
    """Every subscription; secrets are never shown."""
    rows = await subscriptions.listing(session)
    return SubscriptionList(items=[subscriptions.view(r) for r in rows])


@router.get(
    "/subscriptions/{subscriptionId}",
    summary="Read a subscription",
    response_model=Subscription,
    responses=documented(404, 422),
)
async def get_subscription(
    subscription_id: SubscriptionId, who: Admin, session: SessionDep
) -> Subscription:
    return subscriptions.view(await subscriptions.get(session, subscription_id))


@router.post(
    "/subscriptions/{subscriptionId}/pause",
    summary="Pause a subscription",
    response_model=Subscription,
    responses=documented(404, 422),
)
async def pause_subscription(
    subscription_id: SubscriptionId, who: Admin, session: SessionDep
) -> Subscription:
    """Nothing is sent while paused. Changes still queue up while the subscription is paused,
    and go out in order once it is resumed."""
    return subscriptions.view(await subscriptions.set_paused(session, subscription_id, True))


@router.post(
    "/subscriptions/{subscriptionId}/resume",
    summary="Resume a subscription",
    response_model=Subscription,
    responses=documented(404, 422),
)
async def resume_subscription(
    subscription_id: SubscriptionId, who: Admin, session: SessionDep
) -> Subscription:
    return subscriptions.view(await subscriptions.set_paused(session, subscription_id, False))


@router.get(
    "/subscriptions/{subscriptionId}/deliveries",
    summary="A subscription's deliveries",
    response_model=DeliveryPage,
    responses=documented(404, 422),
)
async def list_deliveries(
    subscription_id: SubscriptionId,
    who: Admin,
    session: SessionDep,
    status: Annotated[list[DeliveryStatus] | None, Query(description="Repeatable.")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> DeliveryPage:
    """Each delivery with its state: `pending`, `retrying` (with `lastError` and
    `nextAttemptAt`), `delivered` or `dead`, oldest first."""
    position = decode(cursor, int)
    rows = await subscriptions.deliveries(
        session,
        subscription_id,
        tuple(s.value for s in status or ()),
        after=position[0] if position else None,
        limit=limit,
    )
    page, next_cursor = page_of(rows, limit, lambda row: [row.id])
    return DeliveryPage(
        items=[subscriptions.delivery_view(r) for r in page], next_cursor=next_cursor
    )


@router.post(
    "/deliveries/{deliveryId}/retry",
    summary="Send a dead letter again",
    response_model=Delivery,
    responses=documented(404, 409, 422),
)
async def retry_delivery(delivery_id: DeliveryId, who: Admin, session: SessionDep) -> Delivery:
    """A dead delivery goes back in the queue, due now, with a fresh retry schedule (409
    `delivery_not_dead` for any other)."""
    return subscriptions.delivery_view(await subscriptions.retry(session, delivery_id))
