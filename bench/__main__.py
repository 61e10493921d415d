"""`make bench`: run the benchmarks and write docs/performance.md."""

import os
import platform
from datetime import UTC, datetime
from pathlib import Path

from bench import p1_sync

REPORT = Path(__file__).resolve().parent.parent / "docs" / "performance.md"


def main() -> None:
    raw, hub = p1_sync.measure()
    ratio = hub.rate / raw.rate
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    lines = [
        "# Performance",
        "",
        "Measured by `make bench` (see `bench/`); figures are ratios against a baseline "
        "measured in the same run on the same machine (QUALITY.md).",
        "",
        f"Run: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine}; PostgreSQL on the same "
        "machine; the hub is one uvicorn worker (uvloop, httptools) in its own process and the "
        "load comes from the benchmark process.",
        "",
        "| id | what | hub | baseline | ratio | target |",
        "|---|---|---|---|---|---|",
        f"| P1 | sync ingest, batches of {p1_sync.BATCH}, {p1_sync.SENDERS} senders, "
        f"{hub.dossiers} dossiers (new and updated) | {hub.rate:,.0f} dossiers/s | "
        f"{raw.rate:,.0f} dossiers/s ({raw.name}) | {ratio:.0%} | ≥ 40% |",
        "",
        "P2 to P6 arrive with the benchmarks issue.",
        "",
    ]
    REPORT.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
