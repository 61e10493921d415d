"""Realistic test data: snapshots built from the Swagger example, varied on demand."""

import copy
from typing import Any

from app.schemas.dossier import SNAPSHOT_EXAMPLE

CODE = SNAPSHOT_EXAMPLE["code"]


def code_of(sequence: int, agency: str = "000.00.00.H56", day: str = "251127") -> str:
    return f"{agency}-{day}-{sequence:04d}"


def snapshot(*, source_version: int | None = 3, **changes: Any) -> dict[str, Any]:
    """A valid snapshot (the Swagger example) with members replaced by `changes`."""
    data: dict[str, Any] = copy.deepcopy(SNAPSHOT_EXAMPLE)
    data.update(changes)
    if source_version is None:
        data["source"].pop("version", None)
    elif "source" not in changes:
        data["source"]["version"] = source_version
    return data
