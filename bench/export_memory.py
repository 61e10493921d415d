"""Issue 6's export figure: `GET /dossiers/export` streams every dossier of the database as
NDJSON (an operator's token, no filter) while the server's RSS is sampled every 50 ms: before,
peak during, after. The export reads a server-side cursor a chunk at a time, so the peak must
stay within 10% of the RSS before it. Also the bytes and dossiers a second it streams."""

import asyncio
import time

from bench import harness, load
from bench.harness import Outcome, Row, Sampler, mb, rss_bytes
from bench.server import Process

PATH = "/api/v1/dossiers/export"
TARGET = 0.10


async def stream(hub: Process, token: str, query: str = "") -> tuple[int, int, float]:
    """(bytes, lines, seconds) of one export, the body counted as it arrives, not kept."""
    connection = await load.connect(hub.host, hub.port)
    lines = 0

    def count(chunk: bytes) -> None:
        nonlocal lines
        lines += chunk.count(b"\n")

    connection.on_bytes = count
    started = time.perf_counter()
    answer = await connection.send(load.get(f"{PATH}{query}", token))
    seconds = time.perf_counter() - started
    connection.close()
    if answer.status != 200:
        raise RuntimeError(f"the export answered {answer.status}")
    return answer.size, lines, seconds


async def _measured(hub: Process, token: str) -> tuple[int, int, float, Sampler, int]:
    await stream(hub, token, "?provinceCode=01")  # warm the route and the pool up
    await asyncio.sleep(1)
    sampler = Sampler(hub.pid, 0.05)
    sampler.start()
    await asyncio.sleep(0.2)
    size, lines, seconds = await stream(hub, token)
    await asyncio.sleep(1)
    await sampler.stop()
    return size, lines, seconds, sampler, rss_bytes(hub.pid)


def measure(hub: Process) -> Outcome:
    token = harness.admin_token(hub)
    size, lines, seconds, sampler, after = harness.run(_measured(hub, token))
    before = sampler.samples[0][1]
    peak = sampler.peak
    growth = peak / before - 1
    return Outcome(
        [
            Row(
                "Export",
                f"`GET /dossiers/export`, {lines:,} dossiers ({mb(size)} of NDJSON): server RSS",
                f"before {mb(before)}, peak {mb(peak)} (+{growth:.1%}), after {mb(after)}",
                "",
                "",
                f"peak ≤ before + {TARGET:.0%}",
                growth <= TARGET,
            ),
            Row(
                "Export",
                "export throughput, one client",
                f"{size / seconds / 2**20:,.1f} MB/s ({lines / seconds:,.0f} dossiers/s)",
            ),
        ]
    )
