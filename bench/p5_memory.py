"""P5: the server's RSS over `options.p5_minutes` of mixed load, sampled every second.

Four connections read back to back, in a shuffled mix: the portal's status reads (40%), whole
dossiers by provinces (25%), a province's filtered list (15%) and feed pages from random
positions (20%). A fifth connection syncs batches of 100 snapshots, half of them updates of
stored dossiers and half new ones. The first fifth of the time (at least 10 s) is warm-up;
after it, the RSS must stay within 10% of its lowest value."""

import asyncio
import itertools
import random
from collections.abc import Callable

import orjson

from app.api.cursors import encode
from bench import dataset, harness, load, p2_status
from bench.harness import Options, Outcome, Row, Sampler, mb
from bench.p1_sync import province_numbers
from bench.server import Process

READERS = 4
SYNC_BATCH = 100
PROVINCES = (1, 9, 18, 27)
TARGET = 0.10


def _reads(hub: Process, size: int) -> Callable[[], bytes]:
    rng = random.Random(5)
    portal = harness.portal_token(hub)
    every = dataset.provinces()
    provinces = {i: harness.province_token(hub, every[i][0]) for i in PROVINCES}
    status = p2_status.available(hub)
    per_province = size // len(every) - 10
    requests = []
    for _ in range(20_000):
        kind = rng.random()
        index = rng.choice(PROVINCES)
        if kind < 0.40 and status:
            code = dataset.code_of(rng.randrange(size))
            requests.append(load.get(p2_status.ROUTE.format(code=code), portal))
        elif kind < 0.65:
            code = dataset.code_of(province_numbers(index, rng.randrange(per_province), 1)[0])
            requests.append(load.get(f"/api/v1/dossiers/{code}", provinces[index]))
        elif kind < 0.80:
            query = f"status=processing&provinceCode={every[index][0]}&limit=50"
            requests.append(load.get(f"/api/v1/dossiers?{query}", provinces[index]))
        else:
            after = encode([rng.randrange(size)])
            requests.append(load.get(f"/api/v1/changes?limit=200&after={after}", portal))
    return itertools.cycle(requests).__next__


def _syncs(hub: Process, size: int) -> Callable[[], bytes]:
    """Batches of one province at a time, in turn: updates with a rising source version, and
    dossiers past the seeded ones."""
    every = dataset.provinces()
    tokens = {i: harness.province_token(hub, every[i][0]) for i in PROVINCES}
    per_province = size // len(every) - 10
    rng = random.Random(6)
    turn = itertools.count()

    def next_batch() -> bytes:
        k = next(turn)
        index = PROVINCES[k % len(PROVINCES)]
        version = 2 + k
        updates = [
            dataset.snapshot(n, version=version)
            for n in province_numbers(index, rng.randrange(per_province), SYNC_BATCH // 2)
        ]
        fresh_from = per_province + 20 + (k // len(PROVINCES)) * (SYNC_BATCH // 2)
        creates = [
            dataset.snapshot(n) for n in province_numbers(index, fresh_from, SYNC_BATCH // 2)
        ]
        body = orjson.dumps({"items": updates + creates})
        return load.post("/api/v1/sync/dossiers", body, tokens[index])

    return next_batch


async def _load(
    hub: Process, seconds: float, reads: Callable[[], bytes], syncs: Callable[[], bytes]
) -> tuple[load.Result, load.Result, Sampler]:
    sampler = Sampler(hub.pid, 1.0)
    sampler.start()
    read, sync = await asyncio.gather(
        load.closed(hub.host, hub.port, READERS, seconds, reads, warmup=0),
        load.closed(hub.host, hub.port, 1, seconds, syncs, warmup=0),
    )
    await sampler.stop()
    return read, sync, sampler


def measure(hub: Process, size: int, options: Options) -> Outcome:
    seconds = options.p5_minutes * 60
    warmup = max(10.0, seconds / 5)
    read, sync, sampler = harness.run(_load(hub, seconds, _reads(hub, size), _syncs(hub, size)))
    if read.failures or sync.failures:
        raise RuntimeError(f"P5 answered {dict(read.statuses)} and {dict(sync.statuses)}")
    after = [rss for at, rss in sampler.samples if at >= warmup]
    low, high = min(after), max(after)
    spread = high / low - 1
    start_rss = sampler.samples[0][1]
    return Outcome(
        [
            Row(
                "P5",
                f"server RSS over {seconds / 60:g} min of mixed load ({read.rate:,.0f} reads/s, "
                f"{sync.rate * SYNC_BATCH:,.0f} synced dossiers/s) on {size:,} dossiers, "
                f"after {warmup:.0f} s of warm-up",
                f"{mb(low)} to {mb(high)} (spread {spread:.1%}); at warm-up end "
                f"{mb(after[0])}, at the end {mb(after[-1])}",
                f"at start {mb(start_rss)}",
                "",
                f"flat within {TARGET:.0%}",
                spread <= TARGET,
            )
        ],
        [
            "P5: RSS samples (s, MB): "
            + ", ".join(
                f"{at:.0f}: {rss / 2**20:.0f}"
                for at, rss in sampler.samples[:: max(1, len(sampler.samples) // 12)]
            )
        ],
    )
