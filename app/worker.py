"""The delivery worker (`lienthong worker`, and in-process under `lienthong serve` on the
embedded database): claims due deliveries from the outbox, POSTs them signed, and settles
them: delivered, retried later by the configured schedule, or dead.

A claim is a lease, so the HTTP calls run outside any transaction and any number of workers
can share one database. A worker killed mid-send loses nothing: its lease runs out and the
delivery is sent again, with the same `Hub-Event-Id` for the receiver to deduplicate on.
"""

import asyncio
import logging
import time
from collections.abc import Mapping
from datetime import timedelta
from typing import TypeVar

import httpx
import orjson

from app.adapters import push
from app.adapters.base import Adapter
from app.adapters.dvcqg.answers import NOT_FOUND, OK, already_exists
from app.adapters.dvcqg.translation import SYSTEM as DVCQG
from app.db import Database
from app.domain.signatures import sign
from app.services import outbox
from app.settings import Settings

log = logging.getLogger("lienthong.worker")
T = TypeVar("T")

# What a lease allows beyond the longest send: the claim's commit and the start of the sends
# after the lease's clock was read, and the clocks of worker hosts differing a little (NTP keeps
# them within milliseconds).
LEASE_MARGIN_SECONDS = 5.0
# The most requests one send makes: a dvcqg progress record the portal refuses for a dossier it
# does not hold yet is followed by the dossier, then the record again.
SEND_REQUESTS = 3


def lease_for(timeout: float) -> timedelta:
    """How long a claim holds its deliveries: longer than a send can take, so that no other
    worker takes a delivery while its sender may still be sending it, and no longer, so that
    the deliveries of a killed worker go out again soon. A send is at most `SEND_REQUESTS`
    requests, each cut at `timeout` in wall time (`DeliveryWorker._post`)."""
    return timedelta(seconds=SEND_REQUESTS * timeout + LEASE_MARGIN_SECONDS)


class DeliveryWorker:
    def __init__(self, db: Database, settings: Settings, adapters: Mapping[str, Adapter]):
        self.db = db
        self.schedule = settings.retry_schedule()
        self.timeout = settings.delivery_timeout
        self.batch = settings.delivery_batch
        self.poll = settings.delivery_poll_seconds
        self.lease = lease_for(self.timeout)
        self.adapters = adapters

    async def run(self, stop: asyncio.Event) -> None:
        """Keep up to `batch` sends in flight, each settled as soon as it ends: a receiver that
        takes its time holds up its own deliveries, not the rest of the queue."""
        limits = httpx.Limits(max_connections=self.batch, max_keepalive_connections=self.batch)
        in_flight: set[asyncio.Task[None]] = set()
        stopped = asyncio.ensure_future(stop.wait())
        async with httpx.AsyncClient(timeout=self.timeout, limits=limits) as http:
            try:
                while not stop.is_set():
                    room = self.batch - len(in_flight)
                    claimed = await self._claim(room) if room > 0 else []
                    for delivery in claimed:
                        task = asyncio.create_task(self._deliver(http, delivery))
                        in_flight.add(task)
                        task.add_done_callback(in_flight.discard)
                    if claimed and len(in_flight) < self.batch:
                        continue  # more may be due at once
                    await asyncio.wait(
                        {stopped, *in_flight},
                        timeout=self.poll,
                        return_when=asyncio.FIRST_COMPLETED,
                    )
            finally:
                stopped.cancel()
                # Sends end within the timeout; letting them settle spares a lease's wait.
                await asyncio.gather(*in_flight, return_exceptions=True)

    async def _claim(self, limit: int) -> list[outbox.Claimed]:
        try:
            return await self.db.retrying(lambda s: outbox.claim(s, limit=limit, lease=self.lease))
        except Exception:
            log.exception("claiming deliveries failed; trying again")
            return []

    async def _deliver(self, http: httpx.AsyncClient, delivery: outbox.Claimed) -> None:
        attempt = await self.send(http, delivery)
        try:
            await self.db.retrying(lambda s: outbox.settle(s, [attempt], self.schedule))
        except Exception:
            # Unsettled, the delivery stays leased and goes out again when the lease ends.
            log.exception("settling delivery %d failed", delivery.id)
            return
        log.info(
            "sent delivery %d (event %s): %s",
            delivery.id,
            delivery.event_id,
            "delivered" if attempt.error is None else f"failed: {attempt.error}",
        )

    async def tick(self, http: httpx.AsyncClient) -> int:
        """One round of what `run` does without end: claim a batch, send and settle each.
        Returns how many were sent (the tests drive the worker with it)."""
        claimed = await self._claim(self.batch)
        await asyncio.gather(*(self._deliver(http, c) for c in claimed))
        return len(claimed)

    async def _post(
        self,
        http: httpx.AsyncClient,
        delivery: outbox.Claimed,
        body: bytes,
        event_id: str | None = None,
    ) -> httpx.Response:
        timestamp = int(time.time())
        headers = {
            "Content-Type": _media_type(self.adapters.get(delivery.format)),
            "Hub-Event-Id": event_id or delivery.event_id,
            "Hub-Timestamp": str(timestamp),
            "Hub-Signature": sign(delivery.secret, timestamp, body),
        }
        # httpx's timeout bounds each phase (connect, each read, each write), not the request:
        # a receiver that sends a byte now and then would hold it past the lease.
        async with asyncio.timeout(self.timeout):
            return await http.post(delivery.callback_url, content=body, headers=headers)

    async def send(self, http: httpx.AsyncClient, delivery: outbox.Claimed) -> outbox.Attempt:
        body = delivery.payload
        try:
            answer = await self._post(http, delivery, body)
            if delivery.format == DVCQG and _refused_as_existing(answer, body):
                body = push.as_update(body)
                answer = await self._post(http, delivery, body)
            elif delivery.format == DVCQG and _refused_as_unknown(answer, body):
                answer = await self._introduce(http, delivery) or answer
        except httpx.HTTPError as error:
            return outbox.Attempt(delivery, f"{type(error).__name__}: {error}"[:500] or "error")
        except TimeoutError:
            return outbox.Attempt(delivery, f"Timeout: no answer within {self.timeout:g} s")
        except Exception as error:
            # Not only httpx.HTTPError: a URL httpx cannot encode raises idna's errors. Any
            # failure is this delivery's attempt; raising would leave every delivery claimed
            # with it unsettled, sent again when the lease ends, and this one never dead.
            log.exception("delivery %s failed unexpectedly", delivery.id)
            return outbox.Attempt(delivery, f"{type(error).__name__}: {error}"[:500])
        changed = body if body != delivery.payload else None
        if not answer.is_success:
            return outbox.Attempt(delivery, f"HTTP {answer.status_code}: {answer.text[:300]}")
        if delivery.format == DVCQG:
            refusal = _portal_refusal(answer)
            if refusal is not None:
                return outbox.Attempt(delivery, refusal, changed)
        return outbox.Attempt(delivery, None, changed)

    async def _introduce(
        self, http: httpx.AsyncClient, delivery: outbox.Claimed
    ) -> httpx.Response | None:
        """The portal does not hold the dossier of a progress record (a subscription made after
        the dossier came in): send it the dossier as it stands, under an event id of its own,
        then the record again. None when the dossier could not be introduced."""
        async with self.db.transaction(write=False) as session:
            dossier = await outbox.dossier_of(session, delivery.id)
        if dossier is None:
            return None
        document = orjson.dumps(
            {"isUpdating": "False", "data": [self.adapters[DVCQG].outbound(dossier)]}
        )
        introduced = await self._post(http, delivery, document, f"{delivery.event_id}.dossier")
        if not introduced.is_success or _portal_refusal(introduced) is not None:
            return None
        return await self._post(http, delivery, delivery.payload)


def _media_type(adapter: Adapter | None) -> str:
    return adapter.media_type if adapter is not None else "application/json"  # common


def _reply(answer: httpx.Response) -> object:
    try:
        return orjson.loads(answer.content)
    except orjson.JSONDecodeError:
        return None


def _refused_as_existing(answer: httpx.Response, body: bytes) -> bool:
    """The portal already holds a dossier sent as new: it must come again as an update."""
    return answer.is_success and already_exists(_reply(answer)) and b'"isUpdating":"False"' in body


def _refused_as_unknown(answer: httpx.Response, body: bytes) -> bool:
    """The portal refuses a progress record (a JSON list) for a dossier it does not hold."""
    reply = _reply(answer)
    return (
        answer.is_success
        and body.startswith(b"[")
        and isinstance(reply, dict)
        and reply.get("error_code") != OK
        and str(reply.get("message", "")).startswith(NOT_FOUND)
    )


def _portal_refusal(answer: httpx.Response) -> str | None:
    """The portal answers 200 with `error_code` "-1" when it refuses a payload."""
    reply = _reply(answer)
    if isinstance(reply, dict) and "error_code" in reply and reply["error_code"] != OK:
        return f"portal error_code {reply['error_code']}: {reply.get('message', '')}"[:500]
    return None


async def run_until_stopped(settings: Settings, stop: asyncio.Event) -> None:
    """The `lienthong worker` process: its own engines, until `stop` is set."""
    from app.adapters import registry

    adapters = registry.build(settings.adapter_mappings_dir)
    db = Database.connect(settings, context={"adapters": adapters})
    try:
        await DeliveryWorker(db, settings, adapters).run(stop)
    finally:
        await db.dispose()
