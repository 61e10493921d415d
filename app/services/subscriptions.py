"""Subscriptions (admin): create, list, pause and resume; the deliveries of one; a dead
letter sent again."""

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.access import Principal
from app.domain.clock import utcnow
from app.errors import (
    DeliveryNotDead,
    DeliveryNotFound,
    FieldError,
    InvalidInput,
    SubscriptionNotFound,
)
from app.models import DeliveryRow, SubscriptionRow
from app.schemas.subscriptions import Delivery, DeliveryStatus, Subscription, SubscriptionIn

COMMON = "common"


def view(row: SubscriptionRow) -> Subscription:
    return Subscription.model_validate(
        {
            "id": row.id,
            "callback_url": row.callback_url,
            "events": row.events,
            "filter": {"agencies": row.agencies, "procedures": row.procedures},
            "format": row.format,
            "paused": row.paused,
            "created_at": row.created_at,
            "updated_at": row.updated_at,
        }
    )


def delivery_view(row: DeliveryRow) -> Delivery:
    open_ = row.status in ("pending", "retrying")
    return Delivery(
        id=row.id,
        subscription_id=row.subscription_id,
        event_id=str(row.change_position),
        type=row.type,
        dossier_code=row.dossier_code,
        status=DeliveryStatus(row.status),
        attempts=row.attempts,
        last_error=row.last_error,
        next_attempt_at=row.next_attempt_at if open_ else None,
        delivered_at=row.delivered_at,
        created_at=row.created_at,
    )


async def create(
    session: AsyncSession, new: SubscriptionIn, formats: Collection[str], who: Principal
) -> SubscriptionRow:
    if new.format != COMMON and new.format not in formats:
        raise InvalidInput(
            f"Format {new.format!r} is neither `common` nor a registered adapter.",
            errors=[FieldError("format", f"one of common, {', '.join(sorted(formats))}")],
        )
    now = utcnow()
    row = SubscriptionRow(
        callback_url=str(new.callback_url),
        events=list(new.events),
        agencies=new.filter.agencies,
        procedures=new.filter.procedures,
        format=new.format,
        secret=new.secret,
        paused=False,
        created_by=who.client_id,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    await session.flush()
    return row


async def get(session: AsyncSession, subscription_id: int) -> SubscriptionRow:
    row = await session.get(SubscriptionRow, subscription_id)
    if row is None:
        raise SubscriptionNotFound(subscription_id)
    return row


async def listing(session: AsyncSession) -> list[SubscriptionRow]:
    return list(await session.scalars(select(SubscriptionRow).order_by(SubscriptionRow.id)))


async def set_paused(session: AsyncSession, subscription_id: int, paused: bool) -> SubscriptionRow:
    row = await get(session, subscription_id)
    row.paused = paused
    row.updated_at = utcnow()
    await session.flush()
    return row


async def deliveries(
    session: AsyncSession,
    subscription_id: int,
    statuses: tuple[str, ...],
    *,
    after: int | None,
    limit: int,
) -> list[DeliveryRow]:
    await get(session, subscription_id)
    query = select(DeliveryRow).where(DeliveryRow.subscription_id == subscription_id)
    if statuses:
        query = query.where(DeliveryRow.status.in_(statuses))
    if after is not None:
        query = query.where(DeliveryRow.id > after)
    return list(await session.scalars(query.order_by(DeliveryRow.id).limit(limit + 1)))


async def retry(session: AsyncSession, delivery_id: int) -> DeliveryRow:
    """A dead letter goes back in the queue with a fresh retry schedule."""
    row = await session.scalar(
        select(DeliveryRow).where(DeliveryRow.id == delivery_id).with_for_update()
    )
    if row is None:
        raise DeliveryNotFound(delivery_id)
    if row.status != "dead":
        raise DeliveryNotDead(f"Delivery {delivery_id} is {row.status}, not dead.")
    row.status = "pending"
    row.attempts = 0
    row.next_attempt_at = utcnow()
    row.lease_token = row.leased_until = None
    await session.flush()
    return row
