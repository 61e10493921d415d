"""P2: `GET /dossiers/{code}/status` over 32 keep-alive connections, random codes, with the
national portal's token, against a bare FastAPI route that answers a constant JSON of the
same shape on the same server stack (bench/bare.py), in the same run; then the p99 latency
with requests due at half the hub's rate. The two servers take turns, twice, and each keeps
its better figure, so that a burst of other work on the machine does not decide the ratio."""

import itertools
import random
from collections.abc import Callable

import httpx

from bench import harness, load, profile, server
from bench.harness import Options, Outcome, Row
from bench.server import Process

CONNECTIONS = 32
ROUTE = "/api/v1/dossiers/{code}/status"
TARGET_RATIO = 0.60
TARGET_P99_MS = 20.0
ROUNDS = 2


def available(hub: Process) -> bool:
    """Whether this build of the hub has the status route (it arrives from another branch)."""
    paths = httpx.get(f"{hub.base}/openapi.json", timeout=30).json()["paths"]
    return "get" in paths.get(ROUTE, {})  # POST there is the explicit status change


def requests(codes: list[str], token: str, count: int = 20_000) -> Callable[[], bytes]:
    """Requests for random codes, encoded once, sent in turn."""
    chosen = random.Random(2).choices(codes, k=count)
    encoded = [load.get(ROUTE.format(code=code), token) for code in chosen]
    return itertools.cycle(encoded).__next__


def throughput(target: Process, next_request: Callable[[], bytes], seconds: float) -> load.Result:
    return harness.run(
        load.closed(
            target.host, target.port, CONNECTIONS, seconds, next_request, server_pid=target.pid
        )
    )


def latency(
    target: Process, next_request: Callable[[], bytes], rate: float, seconds: float
) -> load.Result:
    return harness.run(
        load.paced(target.host, target.port, CONNECTIONS, rate, seconds, next_request)
    )


def _checked(result: load.Result, what: str) -> load.Result:
    if result.failures or not result.requests:
        raise RuntimeError(f"{what} answered {dict(result.statuses)}")
    return result


def compare(
    hub: Process, codes: list[str], token: str, options: Options, label: str
) -> tuple[load.Result, load.Result, load.Result]:
    """The best of `ROUNDS` turns of the bare route and the hub, and the hub paced at half
    its rate: (bare, hub, paced)."""
    next_request = requests(codes, token)
    bare: list[load.Result] = []
    hubs: list[load.Result] = []
    for turn in range(ROUNDS):
        with server.bare() as baseline:
            bare.append(_checked(throughput(baseline, next_request, options.seconds), "bare"))
        with profile.recording(hub, f"p2-{label}", enabled=options.profile and turn == 0):
            hubs.append(_checked(throughput(hub, next_request, options.seconds), "the hub"))
    best_bare = max(bare, key=lambda r: r.rate)
    best_hub = max(hubs, key=lambda r: r.rate)
    paced = _checked(latency(hub, next_request, best_hub.rate / 2, options.seconds), "the hub")
    return best_bare, best_hub, paced


def rows(
    id_: str, engine: str, bare: load.Result, hub: load.Result, paced: load.Result
) -> list[Row]:
    ratio = hub.rate / bare.rate
    postgres = engine == "PostgreSQL"
    return [
        Row(
            id_,
            f"status read on {engine}, {CONNECTIONS} keep-alive connections, random codes, "
            "portal token",
            f"{hub.rate:,.0f} requests/s (p50 {hub.ms(50):.1f} ms)",
            f"{bare.rate:,.0f} requests/s (bare FastAPI route, constant JSON)",
            f"{ratio:.0%}",
            f"≥ {TARGET_RATIO:.0%}" if postgres else "reported",
            ratio >= TARGET_RATIO if postgres else None,
        ),
        Row(
            id_,
            f"status read on {engine} at half that rate ({paced.rate:,.0f} requests/s due)",
            f"p99 {paced.ms(99):.1f} ms (p50 {paced.ms(50):.1f} ms)",
            "",
            "",
            f"p99 ≤ {TARGET_P99_MS:.0f} ms" if postgres else "reported",
            paced.ms(99) <= TARGET_P99_MS if postgres else None,
        ),
    ]


def not_available(id_: str, engine: str) -> Outcome:
    return Outcome(
        [Row(id_, f"status read on {engine}", "route not available in this build", met=None)],
        [f"{id_} on {engine}: `GET {ROUTE}` is not in this build of the hub: not measured."],
    )


def measure(hub: Process, codes: list[str], options: Options) -> Outcome:
    """P2 on PostgreSQL; `values` keeps the bare route's rate for P6."""
    if not available(hub):
        return not_available("P2", "PostgreSQL")
    token = harness.portal_token(hub)
    bare, through, paced = compare(hub, codes, token, options, "postgres")
    outcome = Outcome(rows("P2", "PostgreSQL", bare, through, paced))
    outcome.notes.append(
        f"P2: server CPU a request: the hub {through.server_cpu * 1e6:,.0f} µs, the bare route "
        f"{bare.server_cpu * 1e6:,.0f} µs. The load generator used {through.client_cpu:.0%} "
        f"of a core against the hub and {bare.client_cpu:.0%} against the bare route (it is "
        "not what saturates)."
    )
    outcome.values["bare"] = bare
    return outcome
