"""P6: P1 and P2 on the embedded default (SQLite, a file in a temporary folder), the same
workloads as on PostgreSQL. P1's ceiling here is the same upsert through the standard
library's sqlite3; P2 reads the dossiers P1 stored, against the bare route's figure of the
same run (measured here when P2 did not run)."""

from bench import harness, p1_sync, p2_status, server
from bench.harness import Options, Outcome
from bench.load import Result
from bench.p1_sync import Figure, Workload


def measure(options: Options, bare: Result | None) -> Outcome:
    work = Workload.make(options.p1_batches)
    raw = Figure("raw sqlite3 executemany upsert", work.dossiers, p1_sync.sqlite_ceiling(work))
    with server.sqlite_hub() as hub:
        through = p1_sync.hub_figure(hub, work, options, "sqlite")
        outcome = Outcome([p1_sync.row("P6", work, through, raw, "SQLite")])
        if not p2_status.available(hub):
            not_there = p2_status.not_available("P6", "SQLite")
            outcome.rows += not_there.rows
            outcome.notes += not_there.notes
            return outcome
        token = harness.portal_token(hub)
        next_request = p2_status.requests(work.codes, token)
        if bare is None:
            with server.bare() as baseline:
                bare = p2_status.throughput(baseline, next_request, options.seconds)
        result = max(
            (p2_status.throughput(hub, next_request, options.seconds) for _ in range(2)),
            key=lambda r: r.rate,
        )
        paced = p2_status.latency(hub, next_request, result.rate / 2, options.seconds)
        outcome.rows += p2_status.rows("P6", "SQLite", bare, result, paced)
    return outcome
