"""External systems played by real servers on 127.0.0.1, for tests that deliver to them."""

import asyncio
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import StreamingResponse
from starlette.routing import Route

from app.domain.signatures import DEFAULT_TOLERANCE, sign
from app.fakeportal import create_fake_portal


@contextmanager
def running_fake_portal(secret: str, *, tolerance: float = DEFAULT_TOLERANCE) -> Iterator[str]:
    """The fake national portal (`app/fakeportal.py`) served by uvicorn in a background thread;
    yields its base URL. Deliveries go to `<base>/callback/...`; the state is the portal's own,
    fresh for each use."""
    with running_server(create_fake_portal(secret, tolerance=tolerance)) as base:
        yield base


@contextmanager
def running_slow_receiver(seconds: float, *, pieces: int = 10) -> Iterator[str]:
    """A receiver that answers 200 at once but takes `seconds` to send its body, in `pieces`
    evenly spaced: never silent for long, so only a deadline on the whole request cuts it."""

    async def receive(request: Request) -> StreamingResponse:
        await request.body()

        async def trickle() -> AsyncIterator[bytes]:
            for _ in range(pieces):
                await asyncio.sleep(seconds / pieces)
                yield b" "

        return StreamingResponse(trickle(), media_type="application/json")

    app = Starlette(routes=[Route("/callback", receive, methods=["POST"])])
    with running_server(app) as base:
        yield base


@contextmanager
def running_server(app: Starlette) -> Iterator[str]:
    """`app` served by uvicorn on 127.0.0.1 in a background thread; yields its base URL."""
    # Listening before the thread starts: a request sent at once waits in the backlog rather
    # than finding nobody, so there is nothing to poll for.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    port = listener.getsockname()[1]
    config = uvicorn.Config(
        app,
        log_level="warning",
        lifespan="off",
        ws="none",
        timeout_graceful_shutdown=1,  # requests held by a slow answer do not hold the exit
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()


def signed_headers(
    secret: str, body: bytes, event_id: str, *, timestamp: int | None = None
) -> dict[str, str]:
    """The headers of a hub delivery (STANDARD.md section 5), as the hub signs them."""
    moment = int(time.time()) if timestamp is None else timestamp
    return {
        "Content-Type": "application/json",
        "Hub-Event-Id": event_id,
        "Hub-Timestamp": str(moment),
        "Hub-Signature": sign(secret, moment, body),
    }


def deliver(
    client: httpx.Client, url: str, secret: str, body: bytes, event_id: str
) -> httpx.Response:
    """POST one signed delivery, as the hub's worker will."""
    return client.post(url, content=body, headers=signed_headers(secret, body, event_id))


def accepted_receipts(
    portal: str, *, at_least: int = 1, within: float = 60
) -> list[dict[str, Any]]:
    """What the fake portal at `portal` took, once it took `at_least` deliveries, or whatever
    it took by the end of `within` seconds (the caller's assertion then says what is missing)."""
    deadline = time.monotonic() + within
    while True:
        taken = [r for r in httpx.get(f"{portal}/_received").json() if r["outcome"] == "accepted"]
        if len(taken) >= at_least or time.monotonic() > deadline:
            return taken
        time.sleep(0.1)  # the portal is another thread or process: poll its record
