"""P3: a follower drains the change feed from the start with `GET /changes?limit=1000` (the
largest page), following `nextCursor` on one keep-alive connection, as the portal's client
does, until it has read `options.changes` changes. Changes a second, in one run."""

import time

import orjson

from bench import harness, load
from bench.harness import Options, Outcome, Row
from bench.server import Process

PAGE = 1000
TARGET = 20_000


async def drain(hub: Process, token: str, count: int) -> tuple[int, float, list[float]]:
    """(changes read, seconds, each page's latency)."""
    connection = await load.connect(hub.host, hub.port, keep_body=True)
    read = 0
    cursor = ""
    pages: list[float] = []
    started = time.perf_counter()
    try:
        while read < count:
            after = f"&after={cursor}" if cursor else ""
            sent = time.perf_counter()
            answer = await connection.send(load.get(f"/api/v1/changes?limit={PAGE}{after}", token))
            pages.append(time.perf_counter() - sent)
            if answer.status != 200:
                raise RuntimeError(f"GET /changes answered {answer.status}: {answer.body[:300]!r}")
            page = orjson.loads(answer.body)
            if not page["items"]:
                raise RuntimeError(f"the feed ended after {read} changes; {count} were seeded")
            read += len(page["items"])
            cursor = page["nextCursor"]
    finally:
        connection.close()
    return read, time.perf_counter() - started, sorted(pages)


def measure(hub: Process, options: Options) -> Outcome:
    token = harness.portal_token(hub)
    harness.run(drain(hub, token, PAGE))  # the first page warms the route up
    read, seconds, pages = harness.run(drain(hub, token, options.changes))
    rate = read / seconds
    return Outcome(
        [
            Row(
                "P3",
                f"change feed drained from the start, {read:,} changes, pages of {PAGE}, "
                "one follower",
                f"{rate:,.0f} changes/s (a page: p50 {load.percentile(pages, 50) * 1000:.0f} ms)",
                "",
                "",
                f"≥ {TARGET:,} changes/s",
                rate >= TARGET,
            )
        ]
    )
