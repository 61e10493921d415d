"""The demo data as planned, before any database: reproducible from its seed, valid by the
common schema (personal IDs, communes, codes), numbered in order, never ahead of "now"."""

from collections import defaultdict
from datetime import datetime

import pytest

from app.demo.arrivals import DemoDossier, generate
from app.demo.lifecycle import Clock
from app.demo.snapshots import folded
from app.domain.calendar import OfficeHours, WorkingCalendar
from app.domain.identifiers import DOSSIER_CODE, personal_id
from app.schemas.dossier import DossierSnapshot
from app.services.seed_data import PROCEDURES

NOW = datetime.fromisoformat("2026-06-10T10:00:00+07:00")
CLOCK = Clock(
    WorkingCalendar(),
    OfficeHours(),
    {p["code"]: (p["limit_value"], p["limit_unit"]) for p in PROCEDURES},
)


@pytest.fixture(scope="module")
def plan() -> list[DemoDossier]:
    return generate(118, 400, NOW, CLOCK)


def test_the_same_seed_plans_the_same_dossiers(plan: list[DemoDossier]) -> None:
    assert generate(118, 400, NOW, CLOCK) == plan
    assert generate(119, 400, NOW, CLOCK) != plan


def test_every_snapshot_keeps_the_common_schema(plan: list[DemoDossier]) -> None:
    for dossier in plan:
        first = DossierSnapshot.model_validate(dossier.snapshot)
        assert first.applicant.id_number is not None
        personal_id(first.applicant.id_number, today=NOW.date())
        if not dossier.by_acts and (final := folded(dossier, CLOCK)) is not None:
            later = DossierSnapshot.model_validate(final)
            assert later.source.version == 2
            assert later.source.updated_at == dossier.events[-1].at


def test_codes_number_each_agency_and_day_in_the_order_dossiers_came_in(
    plan: list[DemoDossier],
) -> None:
    numbers: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
    for dossier in plan:
        match = DOSSIER_CODE.fullmatch(dossier.code)
        assert match is not None and match["agency"] == dossier.receiving_agency
        submitted = dossier.snapshot["submittedAt"]
        assert datetime.fromisoformat(submitted).strftime("%y%m%d") == match["yymmdd"]
        numbers[match["agency"], match["yymmdd"]].append((submitted, int(match["seq"])))
    for day in numbers.values():
        assert [seq for _, seq in sorted(day)] == list(range(1, len(day) + 1))


def test_nothing_happens_after_now_and_events_keep_their_order(plan: list[DemoDossier]) -> None:
    for dossier in plan:
        moments = [event.at for event in dossier.events]
        assert moments == sorted(moments)
        assert all(moment <= NOW for moment in moments)
        assert datetime.fromisoformat(dossier.snapshot["source"]["updatedAt"]) <= NOW


def test_only_dossiers_recorded_by_acts_are_transferred(plan: list[DemoDossier]) -> None:
    transferred = [d for d in plan if any(e.kind == "transfer" for e in d.events)]
    assert transferred
    assert all(d.by_acts for d in transferred)
    assert all(e.by == "ministry" for d in transferred for e in d.events if e.kind == "accept")
