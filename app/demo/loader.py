"""Writing the demo data through the service layer, as the connected systems would through the
API: first snapshots by `sync_snapshots`, then each dossier's later life as acts (status
changes, steps, extensions, transfers) or as one more snapshot, 500 dossiers to a transaction.

Idempotent: the demo clients are created first, and the moment they were created anchors the
data, so a second run plans the very same dossiers and writes only those that are missing (an
interrupted run resumes; a finished one writes nothing)."""

import time
from collections import defaultdict
from collections.abc import Collection
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.adapters import registry
from app.db import Database
from app.demo import SEED, people, showcase
from app.demo.arrivals import WINDOW_DAYS, DemoDossier, generate
from app.demo.cast import CLIENTS, DEMO_PROVINCE, DemoClient, agencies
from app.demo.lifecycle import Clock, Event
from app.demo.snapshots import folded, next_source, with_member
from app.demo.summary import Report, summarise
from app.domain.access import ALLOWED_SCOPES, ClientKind, Principal, Scope
from app.domain.calendar import OfficeHours
from app.domain.identifiers import DOSSIER_CODE
from app.schemas.acts import ExtensionRequest, StatusChange, Step
from app.schemas.catalog import AgencyIn
from app.schemas.clients import ClientIn
from app.schemas.dossier import DossierSnapshot
from app.schemas.subscriptions import SubscriptionIn
from app.schemas.transfers import TransferCompletion, TransferRejection, TransferRequest
from app.services import acts, catalogs, clients, codes, queries, subscriptions, transfers
from app.services.calendar import calendar_for
from app.services.seed_data import PROCEDURES
from app.services.sync import sync_snapshots
from app.settings import Settings

BATCH = 500
LOADER = Principal("cli:demo", ClientKind.ADMIN, (), frozenset(s.value for s in Scope))
FAKE_PORTAL_SECRET = "demo-fake-portal-secret"


def principal(client: DemoClient) -> Principal:
    kind = ClientKind(client.kind)
    scopes = frozenset(s.value for s in ALLOWED_SCOPES[kind])
    return Principal(client.client_id, kind, client.agencies, scopes)


BY_ID = {c.client_id: principal(c) for c in CLIENTS}


async def _prepare(session: AsyncSession, cost: int) -> tuple[datetime, bool]:
    """The catalog, the demo's agencies and clients; the anchor of the data."""
    await catalogs.seed(session)
    admin = await clients.find(session, "demo-admin")
    if admin is not None:
        return admin.created_at, False
    names = {code: name for p in ("01", "38", "56", "79") for code, name in people.communes(p)}
    for code, body in agencies(names):
        await catalogs.put_agency(session, code, AgencyIn.model_validate(body))
    for client in CLIENTS:
        if await clients.find(session, client.client_id) is None:
            new = ClientIn.model_validate(
                {"name": client.name, "kind": client.kind, "agencies": list(client.agencies)}
            )
            await clients.create(session, new, cost, client_id=client.client_id,
                                 secret=client.secret)  # fmt: skip
    created = await clients.find(session, "demo-admin")
    assert created is not None
    return created.created_at, True


async def _clock(session: AsyncSession, anchor: datetime, hours: OfficeHours) -> Clock:
    limits = await catalogs.procedure_limits(session, [p["code"] for p in PROCEDURES])
    start = anchor - timedelta(days=WINDOW_DAYS)
    return Clock(await calendar_for(session, start, anchor, ahead=1), hours, limits)


def _who(dossier: DemoDossier, event: Event | None = None) -> Principal:
    if event is not None and event.by == "ministry":
        return BY_ID["demo-ministry"]
    return BY_ID["demo-province"] if dossier.province is DEMO_PROVINCE else LOADER


class _Batch:
    """One transaction's worth of dossiers, played in rounds: round r runs the r-th operation
    of every dossier, so each dossier's operations stay in order while the snapshots of a
    round go to `sync_snapshots` together."""

    def __init__(self, session: AsyncSession, hours: OfficeHours, clock: Clock):
        self.session, self.hours, self.clock = session, hours, clock
        self.transfer_of: dict[str, int] = {}

    async def sync(self, items: list[tuple[DemoDossier, dict[str, Any]]]) -> None:
        groups: dict[Principal, list[DossierSnapshot]] = defaultdict(list)
        for dossier, body in items:
            groups[_who(dossier)].append(DossierSnapshot.model_validate(body))
        for who, snapshots in groups.items():
            await sync_snapshots(self.session, list(snapshots), self.hours, who, strict=True)
        # The sync path writes with Core statements: rows an act loaded before are stale now.
        self.session.expire_all()

    async def run(self, dossiers: list[DemoDossier]) -> list[DemoDossier]:
        stored = await queries.existing_codes(self.session, [d.code for d in dossiers])
        missing = [d for d in dossiers if d.code not in stored]
        if not missing:
            return []
        await self.sync([(d, d.snapshot) for d in missing])
        plans = {d.code: self.operations(d) for d in missing}
        for step in range(max((len(p) for p in plans.values()), default=0)):
            due = [(d, plans[d.code][step]) for d in missing if step < len(plans[d.code])]
            snapshots = [(d, op) for d, op in due if isinstance(op, dict)]
            if snapshots:
                await self.sync(snapshots)
            for dossier, op in due:
                if isinstance(op, Event):
                    await self.act(dossier, op)
        return missing

    def operations(self, dossier: DemoDossier) -> list[Event | dict[str, Any]]:
        if not dossier.by_acts:
            final = folded(dossier, self.clock)
            return [] if final is None else [final]
        return list(dossier.events)

    async def act(self, dossier: DemoDossier, event: Event) -> None:
        session, code, data, who = self.session, dossier.code, event.data, _who(dossier, event)
        kind = event.kind
        if kind in ("result", "rating"):
            row = await queries.get_dossier(session, code, LOADER)
            body = with_member(row.body, event)
            body["source"] = next_source(body, event.at)
            await self.sync([(dossier, body)])
        elif kind == "status":
            change = StatusChange.model_validate(data)
            await acts.change_status(session, code, change, None, self.hours, who)
        elif kind == "step":
            await acts.add_step(session, code, Step.model_validate(data), None, who)
        elif kind == "extension":
            await acts.extend(session, code, ExtensionRequest.model_validate(data), None, who)
        elif kind == "transfer":
            request = TransferRequest.model_validate(data)
            sent = await transfers.send(session, code, request, None, who, at=event.at)
            self.transfer_of[code] = sent.id
        elif kind == "accept":
            await transfers.accept(session, self.transfer_of[code], who, at=event.at)
        elif kind == "reject":
            rejection = TransferRejection.model_validate(data)
            await transfers.reject(session, self.transfer_of[code], rejection, who, at=event.at)
        elif kind == "complete":
            completion = TransferCompletion.model_validate(data)
            await transfers.complete(session, self.transfer_of[code], completion, who, at=event.at)
        else:
            raise ValueError(f"unknown demo event {kind!r}")


def _used_numbers(dossiers: list[DemoDossier]) -> dict[tuple[str, date], int]:
    used: dict[tuple[str, date], int] = {}
    for dossier in dossiers:
        match = DOSSIER_CODE.fullmatch(dossier.code)
        assert match is not None
        day = datetime.strptime(match["yymmdd"], "%y%m%d").date()
        key = (match["agency"], day)
        used[key] = max(used.get(key, 0), int(match["seq"]))
    return used


async def seed(
    settings: Settings,
    count: int,
    *,
    seed: int = SEED,
    fake_portal: str | None = None,
    now: datetime | None = None,
) -> Report:
    """Load the demo data (idempotent); with `fake_portal`, also a `dvcqg` subscription that
    pushes later changes of the demo province to it. `now` replaces the anchor (tests pin it
    to get the same data whatever the day)."""
    started = time.monotonic()
    hours = OfficeHours.parse(settings.office_hours)
    adapters = registry.build(settings.adapter_mappings_dir)
    db = Database.connect(settings, context={"adapters": adapters})
    try:
        async with db.transaction(write=True) as session:
            anchor, created = await _prepare(session, settings.secret_hash_cost)
            anchor = now or anchor
            clock = await _clock(session, anchor, hours)
        plan = [showcase.dossier(), *generate(seed, count, anchor, clock)]
        report = Report(anchor, created, planned=len(plan))
        for first in range(0, len(plan), BATCH):
            async with db.transaction(write=True) as session:
                written = await _Batch(session, hours, clock).run(plan[first : first + BATCH])
            report.written += len(written)
        async with db.transaction(write=True) as session:
            await codes.reserve(session, _used_numbers(plan))
            if fake_portal is not None:
                await _subscribe(session, fake_portal, adapters.keys())
        summarise(plan, report)
    finally:
        await db.dispose()
    report.seconds = time.monotonic() - started
    return report


async def _subscribe(session: AsyncSession, callback: str, formats: Collection[str]) -> None:
    if any(s.callback_url == callback for s in await subscriptions.listing(session)):
        return
    new = SubscriptionIn.model_validate(
        {
            "callbackUrl": callback,
            "filter": {"agencies": list(BY_ID["demo-province"].agencies)},
            "format": "dvcqg",
            "secret": FAKE_PORTAL_SECRET,
        }
    )
    await subscriptions.create(session, new, formats, LOADER)
