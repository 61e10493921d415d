"""docs/performance.md: the figures of a run (regenerated), then the hand-written analysis,
which `make bench` keeps as it is: everything below `MARKER`."""

import os
import platform
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from bench.harness import Options, Outcome

REPORT = Path(__file__).resolve().parent.parent / "docs" / "performance.md"
MARKER = "<!-- Written by hand from here on: `make bench` keeps everything below this line. -->"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 2**20:.0f} GiB RAM"
    except OSError:
        pass
    return "RAM unknown"


def machine(postgres: str) -> str:
    return (
        f"{platform.machine()}, {os.cpu_count()} cores ({_cpu_model()}), {_memory()}, "
        f"{platform.system()} {platform.release()}; Python {platform.python_version()}, "
        f"PostgreSQL {postgres}, SQLite {sqlite3.sqlite_version}"
    )


def method(options: Options) -> list[str]:
    return [
        "## Method",
        "",
        "`make bench` (`python -m bench`; `--help` lists the sizes, `--quick` is a short run "
        "for development) starts everything it measures: a scratch PostgreSQL database for "
        "each measurement (created and dropped), and the hub as its own process as production "
        "runs it: `uvicorn --factory app.main:app_from_environment --workers 1 --loop uvloop "
        "--http httptools --log-level warning --no-access-log`, no rate limit, default pool. The "
        "load comes from the benchmark process: raw HTTP/1.1 on keep-alive connections, "
        "uvloop, responses parsed by httptools (`bench/load.py`), which costs it a few "
        "microseconds a request. Every client authenticates with a token of its own kind: "
        "provinces sync and list their dossiers, the portal reads status and the feed, an "
        "operator exports. The database server, the hub and the load share the machine, so "
        "figures are ratios within one run (QUALITY.md).",
        "",
        f"- P1: {options.p1_batches} new batches of 500 realistic dossiers (`bench/dataset.py`: "
        "34 provinces, the catalog's procedures, every status with its dates, documents, fees "
        "and ratings), plus an update of every other batch, from 4 provinces' clients at once; "
        "the ceiling upserts the same JSON with asyncpg `executemany` into a table of "
        "(code, jsonb, version).",
        f"- P2: 32 connections for {options.seconds:g} s after 1 s of warm-up, against the "
        "bare route (`bench/bare.py`, same server stack), two turns each, the better kept; "
        "then the hub with requests due at half its rate, latency counted from when each "
        "request was due.",
        f"- P4: one database seeded to {options.small:,} dossiers, then grown to "
        f"{options.large:,} (`bench/seed.py`: rows built by `app/services/records.py` and the "
        "audit hash, binary COPY, indexes rebuilt, `VACUUM ANALYZE`, feed sequencer moved "
        "past them); unloaded latency on one connection at both sizes.",
        f"- P3 and the export run on the same database at {max(options.changes, options.export):,} "
        "dossiers (one feed change each).",
        f"- P5: {options.p5_minutes:g} min of mixed load on the large database, RSS from "
        "`/proc/<pid>/status` every second.",
        "- P6: P1 and P2's workloads on a SQLite file; the raw ceiling is the same upsert "
        "through `sqlite3`.",
        "",
    ]


def render(
    outcomes: list[Outcome], options: Options, postgres: str, started: datetime, notes: list[str]
) -> str:
    lines = [
        "# Performance",
        "",
        "Measured by `make bench` (see `bench/` and the method below); the figures are ratios "
        "against a baseline measured in the same run on the same machine (QUALITY.md). This "
        "part of the file is written by the run; the analysis after it is written by hand.",
        "",
        f"Run: {started:%Y-%m-%d %H:%M} UTC, {(datetime.now(UTC) - started).seconds // 60} min, "
        f"on {machine(postgres)}.",
        "",
        "| id | what | measured | baseline | ratio | target | met? |",
        "|---|---|---|---|---|---|---|",
    ]
    for outcome in outcomes:
        for row in outcome.rows:
            lines.append("| " + " | ".join(row.cells()) + " |")
    lines.append("")
    every_note = [n for outcome in outcomes for n in outcome.notes] + notes
    if every_note:
        lines += ["Notes of this run:", ""] + [f"- {note}" for note in every_note] + [""]
    lines += method(options)
    return "\n".join(lines)


def write(text: str, path: Path = REPORT) -> None:
    kept = ""
    if path.exists():
        old = path.read_text(encoding="utf-8")
        if MARKER in old:
            kept = old.split(MARKER, 1)[1].lstrip("\n")
    path.write_text(f"{text}\n{MARKER}\n\n{kept}", encoding="utf-8")
