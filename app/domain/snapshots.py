"""How a snapshot from a source system relates to the stored dossier (STANDARD.md section 5).

Outcomes: `created`, `updated`, `unchanged` (same content: no new version, no event) or
`stale` (older than what is stored, ignored). A snapshot whose status cannot be reached from
the stored one raises `InvalidStatusTransition` through the status machine's one gate.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from app.domain.status import Status, guard_transition


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    STALE = "stale"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class SnapshotState:
    """What decides between two snapshots of one dossier."""

    status: Status
    content_hash: str
    source_system: str
    source_version: int | None
    source_updated_at: datetime


def is_older(incoming: SnapshotState, stored: SnapshotState) -> bool:
    """Older by `source.version` when one system numbered both, else by `source.updatedAt`."""
    same_numbering = incoming.source_system == stored.source_system
    if same_numbering and incoming.source_version is not None and stored.source_version is not None:
        return incoming.source_version < stored.source_version
    return incoming.source_updated_at < stored.source_updated_at


def classify(stored: SnapshotState | None, incoming: SnapshotState) -> Outcome:
    if stored is None:
        return Outcome.CREATED
    if is_older(incoming, stored):
        return Outcome.STALE
    if incoming.content_hash == stored.content_hash:
        return Outcome.UNCHANGED
    guard_transition(stored.status, incoming.status, "snapshot")
    return Outcome.UPDATED
