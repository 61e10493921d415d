"""P4: the latency of P2's status read and of a filtered `GET /dossiers` page at the large
database against the small one (the same database, grown in between by bench/seed.py).

Latency is unloaded: one keep-alive connection, one request after another, random codes for
the status read; for the list, a province's system asks for its dossiers in processing whose
applicant lives in the province, 20 a page (the small database still fills such a page, so
both sizes answer the same amount; at 10,000 dossiers a province has about 44 of them). The
ratio is of the medians; p99 is shown beside them."""

import random
from dataclasses import dataclass

from bench import dataset, harness, load, p2_status
from bench.harness import Outcome, Row
from bench.server import Process

STATUS_READS = 2000
LIST_READS = 400
WARMUP = 200
PROVINCES = (0, 7, 15, 30)
LIST_QUERY = "/api/v1/dossiers?status=processing&provinceCode={province}&limit=20"
TARGET = 1.3


@dataclass
class Sample:
    size: int
    status: load.Result | None
    listing: load.Result


def _timed(hub: Process, requests: list[bytes]) -> load.Result:
    harness.run(load.sequential(hub.host, hub.port, requests[:WARMUP]))
    result, _ = harness.run(load.sequential(hub.host, hub.port, requests[WARMUP:]))
    if result.failures:
        raise RuntimeError(f"P4 reads answered {dict(result.statuses)}")
    return result


def sample(hub: Process, size: int) -> Sample:
    rng = random.Random(size)
    status = None
    if p2_status.available(hub):
        token = harness.portal_token(hub)
        codes = [dataset.code_of(rng.randrange(size)) for _ in range(WARMUP + STATUS_READS)]
        requests = [load.get(p2_status.ROUTE.format(code=code), token) for code in codes]
        status = _timed(hub, requests)
    every = dataset.provinces()
    tokens = {i: harness.province_token(hub, every[i][0]) for i in PROVINCES}
    lists = []
    for k in range(WARMUP + LIST_READS):
        index = PROVINCES[k % len(PROVINCES)]
        lists.append(load.get(LIST_QUERY.format(province=every[index][0]), tokens[index]))
    return Sample(size, status, _timed(hub, lists))


def _row(what: str, small: load.Result, large: load.Result, sizes: tuple[int, int]) -> Row:
    ratio = large.ms(50) / small.ms(50)
    return Row(
        "P4",
        f"{what}: {sizes[1]:,} dossiers against {sizes[0]:,}",
        f"p50 {large.ms(50):.2f} ms (p99 {large.ms(99):.1f} ms)",
        f"p50 {small.ms(50):.2f} ms (p99 {small.ms(99):.1f} ms)",
        f"{ratio:.2f}x",
        f"≤ {TARGET}x",
        ratio <= TARGET,
    )


def compare(small: Sample, large: Sample) -> Outcome:
    sizes = (small.size, large.size)
    outcome = Outcome()
    if small.status is not None and large.status is not None:
        outcome.rows.append(_row("status read, unloaded", small.status, large.status, sizes))
    else:
        outcome.rows.append(Row("P4", "status read", "route not available in this build"))
    outcome.rows.append(
        _row(
            "`GET /dossiers?status=processing&provinceCode=…&limit=20`, province token, unloaded",
            small.listing,
            large.listing,
            sizes,
        )
    )
    return outcome
