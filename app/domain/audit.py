"""The audit chain of a dossier's history: each entry's hash covers the entry and the hash of
the entry before it, so that changing, removing or reordering any entry breaks every later link.

The hash must never change: stored chains are verified against it.
"""

import hashlib
from datetime import UTC, datetime
from typing import Any

import orjson

GENESIS = "0" * 64


def _moment(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(
    previous: str,
    *,
    dossier: str,
    version: int,
    type: str,
    at: datetime,
    recorded_at: datetime,
    status: str,
    from_status: str | None,
    data: dict[str, Any],
    client_id: str | None,
) -> str:
    content = {
        "previous": previous,
        "dossier": dossier,
        "version": version,
        "type": type,
        "at": _moment(at),
        "recordedAt": _moment(recorded_at),
        "status": status,
        "fromStatus": from_status,
        "data": data,
        "client": client_id,
    }
    return hashlib.sha256(orjson.dumps(content, option=orjson.OPT_SORT_KEYS)).hexdigest()
