"""`lienthong import FILE.ndjson`: load dossiers (one a line, the format `GET /dossiers/export`
writes) through the sync write path, a batch per transaction, with a progress bar.

Resumable by construction: a committed batch stays committed, and running the import again
sends every line once more, which the sync path answers `unchanged` for what is stored: only
what is missing is written."""

import asyncio
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO

import orjson
from pydantic import ValidationError
from tqdm import tqdm

from app.adapters import registry
from app.db import Database
from app.domain.access import ClientKind, Principal, Scope
from app.domain.calendar import OfficeHours
from app.domain.snapshots import Outcome
from app.errors import FieldError
from app.schemas.dossier import DossierSnapshot
from app.services.sync import ItemResult, sync_snapshots
from app.settings import Settings

BATCH = 500
IMPORTER = Principal("cli:import", ClientKind.ADMIN, (), frozenset(Scope))


@dataclass
class Summary:
    outcomes: Counter[str] = field(default_factory=Counter)
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (line, why)

    def report(self, out: IO[str]) -> None:
        counts = ", ".join(f"{self.outcomes[o.value]} {o.value}" for o in Outcome)
        print(f"imported {sum(self.outcomes.values())} lines: {counts}", file=out)
        for line, why in self.rejected[:20]:
            print(f"  line {line}: {why}", file=out)
        if len(self.rejected) > 20:
            print(f"  ... and {len(self.rejected) - 20} more rejected lines", file=out)


def _parse(number: int, text: bytes) -> DossierSnapshot | ItemResult:
    """A line as a snapshot, or as the rejected result that says why it is not one."""
    try:
        return DossierSnapshot.model_validate(orjson.loads(text))
    except orjson.JSONDecodeError as bad:
        errors = [FieldError(f"line {number}", f"not JSON: {bad}")]
    except ValidationError as invalid:
        errors = [
            FieldError(".".join(str(p) for p in e["loc"]), e["msg"]) for e in invalid.errors()
        ]
    return ItemResult(None, Outcome.REJECTED, problem="validation_failed", errors=errors)


def _batches(path: Path) -> Iterator[list[tuple[int, bytes]]]:
    batch: list[tuple[int, bytes]] = []
    with path.open("rb") as lines:
        for number, line in enumerate(lines, 1):
            if line.strip():
                batch.append((number, line))
            if len(batch) == BATCH:
                yield batch
                batch = []
    if batch:
        yield batch


async def run(settings: Settings, path: Path, size: int, *, progress: bool = True) -> Summary:
    db = Database.connect(
        settings, context={"adapters": registry.build(settings.adapter_mappings_dir)}
    )
    hours = OfficeHours.parse(settings.office_hours)
    summary = Summary()
    bar = tqdm(total=size, unit="B", unit_scale=True, disable=not progress, desc="import")
    try:
        for batch in _batches(path):
            items = [_parse(number, text) for number, text in batch]
            results = await db.retrying(
                partial(sync_snapshots, items=items, hours=hours, who=IMPORTER)
            )
            for (number, text), result in zip(batch, results, strict=True):
                summary.outcomes[result.outcome.value] += 1
                if result.outcome is Outcome.REJECTED:
                    why = "; ".join(f"{e.field}: {e.message}" for e in result.errors)
                    summary.rejected.append((number, f"{result.problem}: {why}"))
                bar.update(len(text))
    finally:
        bar.close()
        await db.dispose()
    return summary


def main(settings: Settings, path: Path, out: IO[str]) -> int:
    summary = asyncio.run(run(settings, path, path.stat().st_size))
    summary.report(out)
    return 1 if summary.rejected else 0
