"""Verifying the audit chains: recompute every history entry's hash from its content and the
entry before it, and name the first entry where the stored chain breaks."""

from collections.abc import AsyncIterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.audit import GENESIS, entry_hash
from app.models import DossierRow, HistoryRow


@dataclass(frozen=True)
class Break:
    """The first entry of a dossier whose chain does not hold, and why."""

    dossier: str
    version: int
    reason: str


@dataclass(frozen=True)
class Verdict:
    dossiers: int
    entries: int
    breaks: list[Break]


async def _chains(
    session: AsyncSession, code: str | None
) -> AsyncIterator[tuple[DossierRow, list[HistoryRow]]]:
    query = select(DossierRow).order_by(DossierRow.id)
    if code is not None:
        query = query.where(DossierRow.code == code)
    for dossier in (await session.scalars(query)).all():
        entries = await session.scalars(
            select(HistoryRow)
            .where(HistoryRow.dossier_id == dossier.id)
            .order_by(HistoryRow.version)
        )
        yield dossier, list(entries)


def _first_break(dossier: DossierRow, entries: list[HistoryRow]) -> Break | None:
    previous = GENESIS
    for expected_version, entry in enumerate(entries, 1):
        if entry.version != expected_version:
            return Break(
                dossier.code,
                expected_version,
                f"entry {expected_version} is missing (found {entry.version})",
            )
        computed = entry_hash(
            previous,
            dossier=dossier.code,
            version=entry.version,
            type=entry.type,
            at=entry.at,
            recorded_at=entry.recorded_at,
            status=entry.status,
            from_status=entry.from_status,
            data=entry.data,
            client_id=entry.client_id,
        )
        if computed != entry.hash:
            return Break(
                dossier.code, entry.version, "its content or the chain before it was altered"
            )
        previous = entry.hash
    if len(entries) != dossier.version:
        return Break(
            dossier.code,
            len(entries) + 1,
            f"the dossier is at version {dossier.version} but history ends at {len(entries)}",
        )
    if previous != dossier.history_hash:
        return Break(
            dossier.code, len(entries), "the newest entry is not the one the dossier chains to"
        )
    return None


async def verify(session: AsyncSession, code: str | None = None) -> Verdict:
    dossiers = entries = 0
    breaks: list[Break] = []
    async for dossier, chain in _chains(session, code):
        dossiers += 1
        entries += len(chain)
        found = _first_break(dossier, chain)
        if found is not None:
            breaks.append(found)
    return Verdict(dossiers, entries, breaks)
