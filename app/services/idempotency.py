"""`Idempotency-Key` on POSTs: the first successful response is stored in the same transaction
as the write it answers, and replayed for a retry with the same key and request.

Only successful responses are stored: an error rolls the whole transaction back, key included,
so a client may retry after fixing the cause.
"""

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import RetryTransaction
from app.domain.clock import utcnow
from app.errors import IdempotencyKeyReused
from app.models import IdempotencyRow


@dataclass(frozen=True)
class StoredResponse:
    status_code: int
    headers: dict[str, str]
    body: bytes


def request_hash(method: str, path: str, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.encode(), b" ", path.encode(), b"\n", body):
        digest.update(part)
    return digest.hexdigest()


async def find(
    session: AsyncSession, principal: str, key: str, fingerprint: str, ttl: timedelta
) -> StoredResponse | None:
    row = await session.scalar(
        select(IdempotencyRow).where(
            IdempotencyRow.principal == principal,
            IdempotencyRow.key == key,
            IdempotencyRow.created_at > utcnow() - ttl,
        )
    )
    if row is None:
        return None
    if row.request_hash != fingerprint:
        raise IdempotencyKeyReused()
    return StoredResponse(row.status_code, dict(row.headers), row.body)


async def remember(
    session: AsyncSession,
    principal: str,
    key: str,
    fingerprint: str,
    response: StoredResponse,
    ttl: timedelta,
) -> None:
    # An expired record of the same key gives way to the new one.
    await session.execute(
        delete(IdempotencyRow).where(
            IdempotencyRow.principal == principal,
            IdempotencyRow.key == key,
            IdempotencyRow.created_at <= utcnow() - ttl,
        )
    )
    values: dict[str, Any] = {
        "principal": principal,
        "key": key,
        "request_hash": fingerprint,
        "status_code": response.status_code,
        "headers": response.headers,
        "body": response.body,
        "created_at": utcnow(),
    }
    session.add(IdempotencyRow(**values))
    try:
        await session.flush()
    except IntegrityError:
        # A concurrent request with this key committed first: start over and replay its answer.
        raise RetryTransaction("idempotency key taken concurrently") from None
