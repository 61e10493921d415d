"""API clients: created with a secret shown once, authenticated by it, revoked for good."""

import asyncio
import logging
from collections.abc import Sequence
from functools import cache

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain import credentials
from app.domain.access import ALLOWED_SCOPES, ClientKind, Scope
from app.domain.clock import utcnow
from app.errors import InvalidClient, NotFound
from app.models import ClientRow
from app.schemas.clients import Client, ClientIn, NewClient

log = logging.getLogger("app.clients")


class ClientNotFound(NotFound):
    code = "client_not_found"
    title = "No such client"


def view(row: ClientRow) -> Client:
    return Client(
        client_id=row.id,
        name=row.name,
        kind=ClientKind(row.kind),
        agencies=list(row.agencies),
        scopes=[Scope(s) for s in row.scopes],
        created_at=row.created_at,
        revoked_at=row.revoked_at,
    )


async def create(
    session: AsyncSession,
    new: ClientIn,
    cost: int,
    *,
    client_id: str | None = None,
    secret: str | None = None,
) -> NewClient:
    secret = secret or credentials.new_secret()
    scopes = sorted(new.scopes if new.scopes is not None else ALLOWED_SCOPES[new.kind])
    row = ClientRow(
        id=client_id or credentials.new_client_id(),
        name=new.name,
        kind=new.kind.value,
        agencies=list(new.agencies),
        scopes=[s.value for s in scopes],
        secret_hash=credentials.hash_secret(secret, cost),
        created_at=utcnow(),
    )
    session.add(row)
    await session.flush()
    return NewClient(**view(row).model_dump(), client_secret=secret)


async def list_clients(
    session: AsyncSession, *, after: str | None, limit: int
) -> Sequence[ClientRow]:
    query = select(ClientRow)
    if after is not None:
        query = query.where(ClientRow.id > after)
    return list(await session.scalars(query.order_by(ClientRow.id).limit(limit + 1)))


async def revoke(session: AsyncSession, client_id: str) -> ClientRow:
    row = await session.get(ClientRow, client_id, with_for_update=True)
    if row is None:
        raise ClientNotFound(f"There is no client {client_id!r}.")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        await session.flush()
    return row


async def authenticate(session: AsyncSession, client_id: str, secret: str, cost: int) -> ClientRow:
    """The live client these credentials name; one answer for every failure, so that a caller
    cannot tell an unknown id from a wrong secret."""
    row = await session.get(ClientRow, client_id)
    # An unknown id costs the same hash as a known one, so timing does not tell them apart;
    # the hash runs in a thread, so a slow check does not stall other requests.
    stored = row.secret_hash if row is not None else _dummy_hash(cost)
    matches = await asyncio.to_thread(credentials.secret_matches, secret, stored)
    if row is None or row.revoked_at is not None or not matches:
        raise InvalidClient("The client id or secret is wrong, or the client was revoked.")
    return row


@cache
def _dummy_hash(cost: int) -> str:
    return credentials.hash_secret(credentials.new_secret(), cost)


async def find(session: AsyncSession, client_id: str) -> ClientRow | None:
    return await session.get(ClientRow, client_id)


async def is_revoked(session: AsyncSession, client_id: str) -> bool:
    row = await session.get(ClientRow, client_id)
    return row is None or row.revoked_at is not None


async def bootstrap_admin(session: AsyncSession, client_id: str, secret: str, cost: int) -> None:
    """Create the first admin from the environment when no live admin exists."""
    live_admin = await session.scalar(
        select(ClientRow.id)
        .where(ClientRow.kind == ClientKind.ADMIN.value, ClientRow.revoked_at.is_(None))
        .limit(1)
    )
    if live_admin is None and await session.get(ClientRow, client_id) is None:
        await create(
            session,
            ClientIn.model_validate({"name": "Administrator", "kind": "admin"}),
            cost,
            client_id=client_id,
            secret=secret,
        )
        log.info("created the admin client %s from the environment", client_id)
