"""`make bench`: run the benchmarks of QUALITY.md (P1 to P6, and issue 6's export memory) and
write docs/performance.md. `python -m bench --quick --only p2,p4` is a developer's short run;
a partial or quick run prints its table and writes the report only with `--write`."""

import argparse
import asyncio
import os
import time
from collections.abc import Callable
from dataclasses import fields
from datetime import UTC, datetime

from app import migrator
from bench import (
    dataset,
    export_memory,
    p1_sync,
    p2_status,
    p3_feed,
    p4_scale,
    p5_memory,
    p6_sqlite,
    report,
    seed,
    server,
)
from bench.harness import Options, Outcome

HELP = {
    "p1_batches": "P1 and P6: new batches of 500 (half as many again are updates)",
    "seconds": "P2 and P6: seconds of each load",
    "small": "P2 and P4: dossiers of the small database",
    "large": "P4 and P5: dossiers of the large database",
    "changes": "P3: changes drained",
    "export": "dossiers exported",
    "p5_minutes": "P5: minutes of mixed load",
    "profile": "py-spy the server during P1 and P2 into var/bench/ (the report is then not "
    "written: the profiler costs the server time)",
}
MEASUREMENTS = ("p1", "p2", "p3", "p4", "p5", "p6", "export")
SCALE_DATABASE = "lienthong_bench_scale"


def _options(argv: list[str] | None) -> tuple[Options, set[str], bool]:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, short loads")
    parser.add_argument("--only", default="", help=f"comma-separated of {', '.join(MEASUREMENTS)}")
    parser.add_argument("--write", action="store_true", help="write the report in any case")
    defaults = Options()
    for field in fields(Options):
        flag = "--" + field.name.replace("_", "-")
        meaning = HELP[field.name]
        if field.type in (bool, "bool"):
            parser.add_argument(flag, action="store_true", default=None, help=meaning)
        else:
            kind = float if isinstance(getattr(defaults, field.name), float) else int
            default = getattr(defaults, field.name)
            parser.add_argument(flag, type=kind, default=None, help=f"{meaning} ({default})")
    args = parser.parse_args(argv)
    overrides = {
        f.name: getattr(args, f.name) for f in fields(Options) if getattr(args, f.name) is not None
    }
    options = Options.quick(**overrides) if args.quick else Options(**overrides)
    only = {m.strip().lower() for m in args.only.split(",") if m.strip()}
    unknown = only - set(MEASUREMENTS)
    if unknown:
        parser.error(f"unknown measurements: {', '.join(sorted(unknown))}")
    write = args.write or not (args.quick or only or overrides)
    return options, only or set(MEASUREMENTS), write


def _grow(dsn: str, size: int, notes: list[str]) -> None:
    seconds = asyncio.run(seed.grow(dsn, size))
    if seconds:
        notes.append(f"Seeded the scale database to {size:,} dossiers in {seconds:.0f} s.")
        print(f"seeded {size:,} dossiers in {seconds:.0f} s", flush=True)


def _scale(
    options: Options, selected: set[str], outcomes: list[Outcome], notes: list[str]
) -> Outcome | None:
    """The measurements on one growing database: P2 and P4's small sample, then P3 and the
    export, then P4's large sample and P5. Returns P2's outcome (P6 reuses its bare figure)."""
    dsn = server.create_database(SCALE_DATABASE)
    url = server.sqlalchemy_url(dsn)
    p2 = None
    try:
        migrator.upgrade(url)
        small = None
        if selected & {"p2", "p4"}:
            _grow(dsn, options.small, notes)
            with server.hub(url, migrate=False) as hub:
                if "p2" in selected:
                    codes = [dataset.code_of(n) for n in range(options.small)]
                    p2 = _step("P2", lambda: p2_status.measure(hub, codes, options), outcomes)
                if "p4" in selected:
                    small = p4_scale.sample(hub, options.small)
        if selected & {"p3", "export"}:
            _grow(dsn, max(options.changes, options.export), notes)
            with server.hub(url, migrate=False) as hub:
                if "p3" in selected:
                    _step("P3", lambda: p3_feed.measure(hub, options), outcomes)
                if "export" in selected:
                    _step("export", lambda: export_memory.measure(hub), outcomes)
        if selected & {"p4", "p5"}:
            _grow(dsn, options.large, notes)
            if small is not None:
                with server.hub(url, migrate=False) as hub:
                    large = p4_scale.sample(hub, options.large)
                _step("P4", lambda: p4_scale.compare(small, large), outcomes)
            if "p5" in selected:
                with server.hub(url, migrate=False) as hub:
                    _step("P5", lambda: p5_memory.measure(hub, options.large, options), outcomes)
    finally:
        server.drop_database(SCALE_DATABASE)
    return p2


def _step(name: str, measure: Callable[[], Outcome], outcomes: list[Outcome]) -> Outcome:
    started = time.perf_counter()
    outcome: Outcome = measure()
    outcomes.append(outcome)
    print(f"{name} ({time.perf_counter() - started:.0f} s):", flush=True)
    for row in outcome.rows:
        print("   ", " | ".join(row.cells()[1:]), flush=True)
    return outcome


def main(argv: list[str] | None = None) -> None:
    options, selected, write = _options(argv)
    started = datetime.now(UTC)
    postgres = server.postgres_version()
    outcomes: list[Outcome] = []
    notes: list[str] = []
    load_before = _load_average()
    if "p1" in selected:
        _step("P1", lambda: p1_sync.measure(options), outcomes)
    p2 = _scale(options, selected, outcomes, notes) if selected - {"p1", "p6"} else None
    if "p6" in selected:
        bare = p2.values.get("bare") if p2 is not None else None
        _step("P6", lambda: p6_sqlite.measure(options, bare), outcomes)
    notes.append(
        f"Load average of the machine (other people's work included): {load_before} at the "
        f"start, {_load_average()} at the end."
    )
    text = report.render(outcomes, options, postgres, started, notes)
    print(text)
    if write:
        report.write(text)
        print(f"wrote {report.REPORT}")


def _load_average() -> str:
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())


if __name__ == "__main__":
    main()
