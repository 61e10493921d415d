"""The stored form of a dossier: its canonical JSON body, content hash, derived columns, and
the rendering of a row back into the common schema."""

import hashlib
from datetime import datetime
from typing import Any, Protocol

import orjson

from app.domain.clock import is_overdue, to_vietnam
from app.domain.snapshots import SnapshotState
from app.domain.status import TERMINAL, Status
from app.errors import FieldError, InvalidInput
from app.models import DossierRow
from app.schemas.dossier import DossierSnapshot


def canonical_body(snapshot: DossierSnapshot) -> dict[str, Any]:
    """The snapshot as stored: JSON-ready, nulls dropped, the handling agency filled in.
    Raises `InvalidInput` for what JSON storage cannot hold (deep or huge values under `ext`,
    lone surrogates, NUL characters, which PostgreSQL's jsonb refuses)."""
    body = snapshot.model_dump(mode="json", exclude_none=True)
    body.setdefault("handlingAgency", body["receivingAgency"])
    try:
        text = orjson.dumps(body)
    except orjson.JSONEncodeError as error:
        raise InvalidInput(
            "The dossier holds a value that cannot be stored as JSON.",
            errors=[FieldError("ext", str(error))],
        ) from None
    if b"\\u0000" in text:
        raise InvalidInput(
            "The dossier holds a NUL character.",
            errors=[FieldError("", "NUL characters are not allowed")],
        )
    return body


def content_hash(body: dict[str, Any]) -> str:
    """Hash of everything but `source`: two snapshots with this hash say the same thing."""
    content = {k: v for k, v in body.items() if k != "source"}
    return hashlib.sha256(orjson.dumps(content, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _moment(body: dict[str, Any], member: str) -> datetime | None:
    value = body.get(member)
    return datetime.fromisoformat(value) if value else None


def snapshot_state(body: dict[str, Any], digest: str) -> SnapshotState:
    source = body["source"]
    return SnapshotState(
        status=Status(body["status"]),
        content_hash=digest,
        source_system=source["system"],
        source_version=source.get("version"),
        source_updated_at=datetime.fromisoformat(source["updatedAt"]),
    )


class StoredSnapshotColumns(Protocol):
    status: str
    content_hash: str
    source_system: str
    source_version: int | None
    source_updated_at: datetime


def stored_state(row: StoredSnapshotColumns) -> SnapshotState:
    return SnapshotState(
        status=Status(row.status),
        content_hash=row.content_hash,
        source_system=row.source_system,
        source_version=row.source_version,
        source_updated_at=row.source_updated_at,
    )


def _open_supplement_since(body: dict[str, Any]) -> datetime | None:
    for supplement in reversed(body.get("supplements", [])):
        if "receivedAt" not in supplement:
            return datetime.fromisoformat(supplement["requestedAt"])
    return None


def derived_columns(
    body: dict[str, Any], *, changed_at: datetime, previous_finished_at: datetime | None = None
) -> dict[str, Any]:
    """The columns a body implies. `changed_at` dates a stop or pause the body cannot date."""
    status = Status(body["status"])
    finished_at = _moment(body, "resolvedAt")
    if finished_at is None and status in TERMINAL:
        finished_at = _moment(body, "returnedAt") or previous_finished_at or changed_at
    paused_at = None
    if status is Status.SUPPLEMENT_REQUESTED:
        paused_at = _open_supplement_since(body) or changed_at
    source = body["source"]
    return {
        "code": body["code"],
        "procedure_code": body["procedure"]["code"],
        "receiving_agency": body["receivingAgency"],
        "handling_agency": body["handlingAgency"],
        "province_code": (body["applicant"].get("address") or {}).get("provinceCode"),
        "channel": body["channel"],
        "status": status.value,
        "received_at": _moment(body, "receivedAt"),
        "due_at": _moment(body, "dueAt"),
        "finished_at": finished_at,
        "paused_at": paused_at,
        "source_system": source["system"],
        "source_version": source.get("version"),
        "source_updated_at": datetime.fromisoformat(source["updatedAt"]),
        "body": body,
    }


class StoredDossier(Protocol):
    """What rendering needs of a stored dossier: a row, or just these columns of it."""

    body: dict[str, Any]
    handling_agency: str
    version: int
    created_at: datetime
    updated_at: datetime
    due_at: datetime | None
    finished_at: datetime | None
    paused_at: datetime | None


RENDERED_COLUMNS = (
    DossierRow.body,
    DossierRow.handling_agency,
    DossierRow.version,
    DossierRow.created_at,
    DossierRow.updated_at,
    DossierRow.due_at,
    DossierRow.finished_at,
    DossierRow.paused_at,
)


def render(row: StoredDossier, now: datetime) -> dict[str, Any]:
    """A stored row as the common dossier, with the members the hub keeps."""
    return {
        **row.body,
        "handlingAgency": row.handling_agency,
        "version": row.version,
        "createdAt": to_vietnam(row.created_at).isoformat(),
        "updatedAt": to_vietnam(row.updated_at).isoformat(),
        "overdue": is_overdue(row.due_at, row.finished_at, row.paused_at, now),
    }
