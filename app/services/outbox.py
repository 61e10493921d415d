"""The transactional outbox (STANDARD.md section 5, "Delivery"): deliveries are written in the
transaction of the change they carry, then claimed and settled by the delivery worker.

Order per dossier per subscription: a delivery is claimed only when no earlier delivery of the
same dossier to the same subscription is still open (pending or retrying), so a later event
waits until the earlier one is delivered or dead. Two workers never hold one delivery at once:
a claim takes rows `FOR UPDATE SKIP LOCKED` (PostgreSQL; SQLite has one writer at a time) and
leases them for longer than a send can take.
"""

import random
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any, cast

from sqlalchemy import Table, and_, exists, func, insert, or_, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.adapters import push, registry
from app.adapters.base import Adapter
from app.domain.access import matches
from app.domain.clock import to_vietnam, utcnow
from app.models import DeliveryRow, DossierRow, HistoryRow, SubscriptionRow
from app.services.records import RENDERED_COLUMNS, render

DELIVERIES = cast(Table, DeliveryRow.__table__)
OPEN = ("pending", "retrying")


def _wants(subscription: SubscriptionRow, change: Mapping[str, Any]) -> bool:
    if subscription.events and change["type"] not in subscription.events:
        return False
    if subscription.procedures and change["procedure_code"] not in subscription.procedures:
        return False
    if subscription.agencies:
        agencies = (
            change["receiving_agency"],
            change["handling_agency"],
            change["transfer_agency"],
        )
        return any(matches(p, a) for p in subscription.agencies for a in agencies if a)
    return True


def _feed_item(change: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": str(change["position"]),
        "type": change["type"],
        "dossierCode": change["dossier_code"],
        "at": to_vietnam(change["at"]).isoformat(),
        "status": change["status"],
    }


@cache
def _packaged_adapters() -> dict[str, Adapter]:
    return registry.build()


def adapters_of(session: AsyncSession) -> Mapping[str, Adapter]:
    """The adapters the hub was started with, or, for a session of a bare `Database` (a CLI
    command), the packaged ones."""
    adapters: Mapping[str, Adapter] | None = session.info.get("adapters")
    return adapters if adapters is not None else _packaged_adapters()


async def enqueue(session: AsyncSession, changes: Sequence[Mapping[str, Any]]) -> None:
    """Write the deliveries of just-published changes, rendered in each subscription's format.
    Costs one query when nobody subscribes."""
    # Paused ones too: their deliveries wait in the queue, in order, until resumed.
    subscriptions = list(await session.scalars(select(SubscriptionRow)))
    wanted = [(c, s) for c in changes for s in subscriptions if _wants(s, c)]
    if not wanted:
        return
    ids = {c["dossier_id"] for c, _ in wanted}
    now = utcnow()
    dossiers = {
        row.id: render(row, now)
        for row in await session.execute(
            select(DossierRow.id, *RENDERED_COLUMNS).where(DossierRow.id.in_(ids))
        )
    }
    keys = {(c["dossier_id"], c["version"]) for c, _ in wanted}
    entries = {
        (row.dossier_id, row.version): row.data
        for row in await session.execute(
            select(HistoryRow.dossier_id, HistoryRow.version, HistoryRow.data).where(
                tuple_(HistoryRow.dossier_id, HistoryRow.version).in_(keys)
            )
        )
    }
    rows = []
    for change, subscription in wanted:
        adapter = None
        if subscription.format != push.COMMON:
            adapter = adapters_of(session).get(subscription.format)
            if adapter is None:
                # Every process of a hub loads the same mapping files (HUB_ADAPTER_MAPPINGS_DIR):
                # a format unknown here is a deployment error, not a client's.
                raise RuntimeError(
                    f"subscription {subscription.id} wants format {subscription.format!r}, "
                    "which this process has not loaded: check HUB_ADAPTER_MAPPINGS_DIR"
                )
        body = push.payload(
            adapter,
            _feed_item(change),
            dossiers[change["dossier_id"]],
            entries.get((change["dossier_id"], change["version"]), {}),
        )
        rows.append(
            {
                "subscription_id": subscription.id,
                "change_position": change["position"],
                "type": change["type"],
                "dossier_id": change["dossier_id"],
                "dossier_code": change["dossier_code"],
                "payload": body,
                "status": "pending",
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
            }
        )
    await session.execute(insert(DELIVERIES), rows)


@dataclass(frozen=True)
class Claimed:
    """A delivery a worker holds: what to send, where, and with which secret."""

    id: int
    token: str
    event_id: str
    callback_url: str
    secret: str
    format: str
    payload: bytes
    attempts: int


async def claim(
    session: AsyncSession, *, limit: int, lease: timedelta, now: datetime | None = None
) -> list[Claimed]:
    """Lease up to `limit` due deliveries, each the earliest open one of its dossier for its
    subscription."""
    now = now or utcnow()
    earlier = aliased(DeliveryRow)
    first_of_dossier = ~exists().where(
        earlier.subscription_id == DeliveryRow.subscription_id,
        earlier.dossier_id == DeliveryRow.dossier_id,
        earlier.status.in_(OPEN),
        earlier.id < DeliveryRow.id,
    )
    due = (
        select(DeliveryRow.id)
        .join(SubscriptionRow, SubscriptionRow.id == DeliveryRow.subscription_id)
        .where(
            DeliveryRow.status.in_(OPEN),
            DeliveryRow.next_attempt_at <= now,
            or_(DeliveryRow.leased_until.is_(None), DeliveryRow.leased_until < now),
            SubscriptionRow.paused.is_(False),
            first_of_dossier,
        )
        .order_by(DeliveryRow.next_attempt_at, DeliveryRow.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=DeliveryRow)
    )
    ids = list(await session.scalars(due))
    if not ids:
        return []
    token = str(uuid.uuid4())
    await session.execute(
        update(DeliveryRow)
        .where(DeliveryRow.id.in_(ids))
        .values(lease_token=token, leased_until=now + lease)
    )
    rows = await session.execute(
        select(
            DeliveryRow.id,
            DeliveryRow.change_position,
            DeliveryRow.payload,
            DeliveryRow.attempts,
            SubscriptionRow.callback_url,
            SubscriptionRow.secret,
            SubscriptionRow.format,
        )
        .join(SubscriptionRow, SubscriptionRow.id == DeliveryRow.subscription_id)
        .where(DeliveryRow.id.in_(ids))
        .order_by(DeliveryRow.id)
    )
    return [
        Claimed(
            r.id,
            token,
            str(r.change_position),
            r.callback_url,
            r.secret,
            r.format,
            r.payload,
            r.attempts,
        )
        for r in rows
    ]


@dataclass(frozen=True)
class Attempt:
    """How one send went: `error` is None on success."""

    delivery: Claimed
    error: str | None
    payload: bytes | None = None  # what was finally sent, when it differs (dvcqg update)


def next_wait(attempts: int, schedule: Sequence[int]) -> float | None:
    """Seconds before the next try after `attempts` failed tries, with ±10 % jitter so that
    receivers recovering from an outage are not hit by every retry at once; None: dead."""
    if attempts > len(schedule):
        return None
    return float(schedule[attempts - 1]) * random.uniform(0.9, 1.1)


async def settle(
    session: AsyncSession, attempts: Sequence[Attempt], schedule: Sequence[int]
) -> None:
    """Record the outcome of sent deliveries, only where the lease is still the sender's."""
    now = utcnow()
    for attempt in attempts:
        held = and_(
            DeliveryRow.id == attempt.delivery.id,
            DeliveryRow.lease_token == attempt.delivery.token,
        )
        tries = attempt.delivery.attempts + 1
        values: dict[str, Any] = {"attempts": tries, "lease_token": None, "leased_until": None}
        if attempt.payload is not None:
            values["payload"] = attempt.payload
        if attempt.error is None:
            values |= {"status": "delivered", "delivered_at": now, "last_error": None}
        else:
            wait = next_wait(tries, schedule)
            values["last_error"] = attempt.error[:2000]
            if wait is None:
                values["status"] = "dead"
            else:
                values |= {"status": "retrying", "next_attempt_at": now + timedelta(seconds=wait)}
        await session.execute(update(DeliveryRow).where(held).values(**values))


async def counts(session: AsyncSession) -> tuple[dict[str, int], datetime | None]:
    """Deliveries by status, and when the oldest open one was written."""
    by_status = {
        status: number
        for status, number in await session.execute(
            select(DeliveryRow.status, func.count()).group_by(DeliveryRow.status)
        )
    }
    oldest = await session.scalar(
        select(func.min(DeliveryRow.created_at)).where(DeliveryRow.status.in_(OPEN))
    )
    return by_status, oldest


async def dossier_of(session: AsyncSession, delivery_id: int) -> dict[str, Any] | None:
    """The dossier of a delivery as it stands now, as the common schema."""
    row = (
        await session.execute(
            select(*RENDERED_COLUMNS)
            .join(DeliveryRow, DeliveryRow.dossier_id == DossierRow.id)
            .where(DeliveryRow.id == delivery_id)
        )
    ).one_or_none()
    return render(row, utcnow()) if row is not None else None
