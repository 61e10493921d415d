"""The snapshot write path: `PUT /dossiers/{code}` and `POST /sync/dossiers`.

Built for throughput (QUALITY.md P1): a batch costs a fixed number of statements whatever its
size: one locking read of the stored rows, one multi-row insert, one executemany update, one
multi-row history insert. Rows are locked in code order so that two batches wait for each other
rather than deadlock; a deadlock the database still reports is retried by the unit of work.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import RetryTransaction
from app.domain.access import Principal
from app.domain.audit import GENESIS, entry_hash
from app.domain.calendar import OfficeHours
from app.domain.clock import utcnow
from app.domain.snapshots import Outcome, SnapshotState, classify
from app.errors import (
    AgencyNotAllowed,
    DomainError,
    DossierNotFound,
    FieldError,
    PreconditionFailed,
)
from app.models import DossierRow, HistoryRow, TransferRow
from app.schemas.dossier import DossierSnapshot
from app.services import feed
from app.services.deadline_policy import DeadlinePolicy, policy_for
from app.services.records import (
    canonical_body,
    content_hash,
    derived_columns,
    snapshot_state,
    stored_state,
)

# Core statements over the tables: executemany without per-row ORM bookkeeping.
DOSSIERS = cast(Table, DossierRow.__table__)
HISTORY = cast(Table, HistoryRow.__table__)
UPDATE_BY_ID = DOSSIERS.update().where(DOSSIERS.c.id == bindparam("row_id"))


@dataclass
class ItemResult:
    """The outcome of one snapshot of a batch, reported in input order."""

    code: str | None
    outcome: Outcome
    version: int | None = None
    problem: str | None = None
    errors: list[FieldError] = field(default_factory=list)


@dataclass
class _Current:
    """The dossier as this batch sees it: stored, or planned by an earlier item."""

    id: int | None
    state: SnapshotState
    version: int
    finished_at: datetime | None
    created_at: datetime
    history_hash: str
    agencies: dict[str, str]  # receivingAgency and handlingAgency, for the access rule
    held_by: str | None = None  # the agency of an accepted transfer: it handles the dossier


@dataclass
class _Plan:
    creates: dict[str, dict[str, Any]] = field(default_factory=dict)
    updates: dict[str, dict[str, Any]] = field(default_factory=dict)
    history: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    changes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


async def _lock_stored(session: AsyncSession, codes: list[str]) -> dict[str, _Current]:
    if not codes:
        return {}
    rows = await session.execute(
        select(
            DossierRow.id,
            DossierRow.code,
            DossierRow.status,
            DossierRow.content_hash,
            DossierRow.source_system,
            DossierRow.source_version,
            DossierRow.source_updated_at,
            DossierRow.version,
            DossierRow.finished_at,
            DossierRow.created_at,
            DossierRow.history_hash,
            DossierRow.receiving_agency,
            DossierRow.handling_agency,
            select(TransferRow.to_agency)
            .where(TransferRow.dossier_id == DossierRow.id, TransferRow.status == "accepted")
            .scalar_subquery()
            .label("held_by"),
        )
        .where(DossierRow.code.in_(sorted(codes)))
        .order_by(DossierRow.code)
        .with_for_update()
    )
    return {
        row.code: _Current(
            row.id,
            stored_state(row),
            row.version,
            row.finished_at,
            row.created_at,
            row.history_hash,
            {"receivingAgency": row.receiving_agency, "handlingAgency": row.handling_agency},
            row.held_by,
        )
        for row in rows
    }


def _history_entry(
    body: dict[str, Any], version: int, known: _Current | None, rules: "_Rules"
) -> dict[str, Any]:
    """The one history entry of a snapshot, chained to the dossier's previous entry."""
    status = body["status"]
    previous = known.state.status.value if known else None
    moved = previous is not None and previous != status
    kind = "dossier.status_changed" if moved else "dossier.updated" if known else "dossier.created"
    entry = {
        "version": version,
        "type": kind,
        "at": datetime.fromisoformat(body["source"]["updatedAt"]),
        "recorded_at": rules.now,
        "status": status,
        "from_status": previous if moved else None,
        "data": {"via": "snapshot", "source": body["source"]},
        "client_id": rules.who.client_id,
    }
    chained_to = known.history_hash if known else GENESIS
    entry["hash"] = entry_hash(
        chained_to,
        dossier=body["code"],
        **{
            k: entry[k]
            for k in (
                "version",
                "type",
                "at",
                "recorded_at",
                "status",
                "from_status",
                "data",
                "client_id",
            )
        },
    )
    return entry


def _change(entry: dict[str, Any], columns: dict[str, Any]) -> dict[str, Any]:
    """The feed change of a history entry (the dossier id is filled in once known)."""
    return {
        "type": entry["type"],
        "dossier_code": columns["code"],
        "version": entry["version"],
        "status": entry["status"],
        "at": entry["at"],
        "recorded_at": entry["recorded_at"],
        "procedure_code": columns["procedure_code"],
        "receiving_agency": columns["receiving_agency"],
        "handling_agency": columns["handling_agency"],
        "transfer_agency": None,
    }


@dataclass(frozen=True)
class _Rules:
    """What every item of one batch is judged by."""

    now: datetime
    who: Principal
    if_match: int | None
    deadlines: DeadlinePolicy | None


def _apply(
    plan: _Plan, current: dict[str, _Current], snapshot: DossierSnapshot, rules: _Rules
) -> ItemResult:
    now, if_match = rules.now, rules.if_match
    body = canonical_body(snapshot)
    code = snapshot.code
    known = current.get(code)
    if known is not None and known.held_by is not None:
        # While a transfer is accepted, the receiver handles the dossier whatever the
        # source's snapshots say; completing the transfer hands it back (docs/decisions.md).
        body["handlingAgency"] = known.held_by
    if rules.deadlines is not None:
        rules.deadlines.fill_due(body)
    digest = content_hash(body)
    incoming = snapshot_state(body, digest)
    # The body first: its answer (403) is the same whether or not the dossier exists, so a
    # client cannot learn which codes of other agencies are taken.
    if not rules.who.may_see(body):
        raise AgencyNotAllowed(
            f"This client does not act for the agency of dossier {code}.",
            errors=[FieldError(rules.who.bound_by or "", "not one of the client's agencies")],
        )
    if known is not None and not rules.who.may_see(known.agencies):
        raise DossierNotFound(code)
    if if_match is not None and (known is None or known.version != if_match):
        raise PreconditionFailed(None if known is None else known.version)
    outcome = classify(known.state if known else None, incoming)
    if outcome in (Outcome.STALE, Outcome.UNCHANGED):
        assert known is not None
        return ItemResult(code, outcome, known.version)
    version = known.version + 1 if known else 1
    columns = derived_columns(
        body,
        changed_at=incoming.source_updated_at,
        previous_finished_at=known.finished_at if known else None,
    )
    entry = _history_entry(body, version, known, rules)
    plan.history.append((code, entry))
    plan.changes.append((code, _change(entry, columns)))
    columns.update(content_hash=digest, version=version, updated_at=now, history_hash=entry["hash"])
    if known is None or known.id is None:
        created_at = known.created_at if known else now
        plan.creates[code] = {**columns, "created_at": created_at}
    else:
        plan.updates[code] = {**columns, "row_id": known.id}
    current[code] = _Current(
        known.id if known else None,
        incoming,
        version,
        columns["finished_at"],
        known.created_at if known else now,
        entry["hash"],
        {"receivingAgency": body["receivingAgency"], "handlingAgency": body["handlingAgency"]},
        known.held_by if known else None,
    )
    return ItemResult(code, outcome, version)


def _plan(
    items: list[DossierSnapshot | ItemResult],
    current: dict[str, _Current],
    rules: _Rules,
    *,
    strict: bool,
) -> tuple[_Plan, list[ItemResult]]:
    plan = _Plan()
    results: list[ItemResult] = []
    for item in items:
        if isinstance(item, ItemResult):
            results.append(item)
            continue
        try:
            results.append(_apply(plan, current, item, rules))
        except DomainError as error:
            if strict or isinstance(error, PreconditionFailed):
                raise
            results.append(
                ItemResult(
                    item.code,
                    Outcome.REJECTED,
                    problem=error.code,
                    errors=error.errors or [FieldError("", error.detail)],
                )
            )
    return plan, results


async def _insert_new(session: AsyncSession, creates: dict[str, dict[str, Any]]) -> dict[str, int]:
    """Insert the planned new dossiers; returns the ids of those no concurrent writer beat us to."""
    if not creates:
        return {}
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(DOSSIERS)
        .on_conflict_do_nothing(index_elements=["code"])
        .returning(DOSSIERS.c.id, DOSSIERS.c.code)
    )
    result = await session.execute(statement, [creates[code] for code in sorted(creates)])
    return {row.code: row.id for row in result}


async def _deadlines_for(
    session: AsyncSession, snapshots: list[DossierSnapshot], hours: OfficeHours
) -> DeadlinePolicy | None:
    """Only snapshots received without an appointment need the catalog and the calendar."""
    undated = [s for s in snapshots if s.due_at is None and s.received_at is not None]
    if not undated:
        return None
    return await policy_for(
        session, [s.procedure.code for s in undated], [s.received_at for s in undated], hours
    )


async def sync_snapshots(
    session: AsyncSession,
    items: list[DossierSnapshot | ItemResult],
    hours: OfficeHours,
    who: Principal,
    *,
    if_match: int | None = None,
    strict: bool = False,
) -> list[ItemResult]:
    """Store a batch of snapshots. Items already judged invalid pass through as results; an
    item that breaks a rule becomes a `rejected` result, or with `strict` raises its error."""
    snapshots = [item for item in items if isinstance(item, DossierSnapshot)]
    rules = _Rules(utcnow(), who, if_match, await _deadlines_for(session, snapshots, hours))
    current = await _lock_stored(session, sorted({s.code for s in snapshots}))
    plan, results = _plan(items, current, rules, strict=strict)
    ids = await _insert_new(session, plan.creates)
    if len(ids) < len(plan.creates):
        # A concurrent writer created some of these between our read and our insert
        # (PostgreSQL made us wait for its commit). Run the transaction again: the locking
        # read will then find its rows and judge our snapshots against them.
        raise RetryTransaction("a dossier of this batch was created concurrently")
    for code, row_id in ids.items():
        current[code].id = row_id
    if plan.updates:
        await session.execute(UPDATE_BY_ID, list(plan.updates.values()))
    if plan.history:
        await session.execute(
            insert(HISTORY),
            [{**entry, "dossier_id": current[code].id} for code, entry in plan.history],
        )
        feed.stage(
            session, [{**change, "dossier_id": current[code].id} for code, change in plan.changes]
        )
    return results
