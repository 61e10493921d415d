"""How the demo dossiers come in: which province, procedure, agency and channel, when, from
whom, with which papers, under which code; and the first snapshot each one-stop system sends.
Then `lifecycle.Life` plays the rest, and everything after "now" is cut."""

import hashlib
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from app.demo import people
from app.demo.cast import PROVINCES, WORKS, Province
from app.demo.lifecycle import DAY, Clock, Event, Head, Life, iso
from app.domain.calendar import at
from app.domain.clock import VIETNAM, to_vietnam
from app.services.seed_data import PROCEDURES

WINDOW_DAYS = 90  # dossiers come in over the last three months
# The demo province's system records acts through the API (status changes with their actor,
# steps) for the dossiers of its last three weeks; before that it synced snapshots, as the other
# provinces do. Acts cost a few statements each, snapshots one batch: this keeps a run short.
ACTS_SINCE = timedelta(days=21)
# Verifications sent to the ministry have become more frequent lately: its inbox is not empty.
BUSY_SINCE, BUSY_TRANSFER_SHARE = timedelta(days=10), 0.35
CATALOG = {p["code"]: p for p in PROCEDURES}
ONLINE_SHARE = {"2.000908": 0.08, "1.004227": 0.3}  # else 0.55


@dataclass
class DemoDossier:
    code: str
    province: Province
    snapshot: dict[str, Any]  # the first snapshot, as the source system sends it
    events: list[Event] = field(default_factory=list)  # in time order, none after "now"
    by_acts: bool = False  # recorded as API acts; otherwise as one more snapshot

    @property
    def receiving_agency(self) -> str:
        return str(self.snapshot["receivingAgency"])


def _pick(rng: random.Random, items: Any, weights: list[int]) -> Any:
    return rng.choices(items, weights=weights)[0]


def _head(rng: random.Random, now: datetime, clock: Clock) -> Head:
    province = _pick(rng, PROVINCES, [p.weight for p in PROVINCES])
    work = _pick(rng, WORKS, [w.weight for w in WORKS])
    commune, agency = rng.choice(province.wards)
    if work.at == "land":
        agency, commune = province.land, rng.choice(people.communes(province.code))[0]
    elif rng.random() < 0.2:  # an applicant who lives elsewhere in the province
        commune = rng.choice(people.communes(province.code))[0]
    channel = "online" if rng.random() < ONLINE_SHARE.get(work.code, 0.55) else "counter"
    if channel == "counter" and rng.random() < 0.04:
        channel = "postal"
    today = to_vietnam(now).date()
    while True:
        day = today - timedelta(days=rng.randrange(WINDOW_DAYS))
        if channel == "online":  # filed on the portal, any day from 6 in the morning
            entered = datetime.combine(day, time(6), VIETNAM)
            entered += timedelta(minutes=rng.uniform(0, 17 * 60))
        elif clock.calendar.is_working_day(day):
            entered = clock.after(at(day, clock.hours.periods[0][0]), rng.uniform(0, DAY - 1))
        else:
            continue
        entered = entered.replace(microsecond=0)
        if entered < now:
            return Head(province, work, agency, commune, channel, entered)


def generate(seed: int, count: int, now: datetime, clock: Clock) -> list[DemoDossier]:
    """`count` dossiers that came in over the `WINDOW_DAYS` days before `now`, numbered per
    agency and day in the order they came in, each lived up to `now`."""
    rng = random.Random(seed)
    heads = sorted((_head(rng, now, clock) for _ in range(count)), key=lambda h: h.entered)
    numbers: Counter[tuple[str, date]] = Counter()
    dossiers = []
    for n, head in enumerate(heads, 1):
        day = to_vietnam(head.entered).date()
        numbers[head.agency, day] += 1
        code = f"{head.agency}-{day:%y%m%d}-{numbers[head.agency, day]:04d}"
        own = random.Random(f"{seed}:{code}")
        snapshot, received = first_snapshot(own, clock, head, code, n, now)
        share = BUSY_TRANSFER_SHARE if head.entered >= now - BUSY_SINCE else 0.1
        events = Life(own, clock, head, code, n, share).run(received)
        recent = head.province is PROVINCES[0] and head.entered >= now - ACTS_SINCE
        by_acts = recent or any(e.kind == "transfer" for e in events)
        kept = [e for e in events if e.at <= now]
        dossiers.append(DemoDossier(code, head.province, snapshot, kept, by_acts))
    return dossiers


def _document(
    rng: random.Random, host: str, record: str, component: str, name: str, online: bool
) -> dict[str, Any]:
    url = f"https://{host}/tep/{record}/{component.lower()}.pdf"
    return {
        "id": f"{record}-{component}",
        "kind": "submitted",
        "name": name,
        "componentCode": component,
        "url": url,
        "sha256": hashlib.sha256(url.encode()).hexdigest(),
        "size": rng.randint(80_000, 2_500_000),
        "mediaType": "application/pdf",
        "digitised": online or rng.random() < 0.6,
        "reused": rng.random() < 0.15,
    }


def first_snapshot(
    rng: random.Random, clock: Clock, head: Head, code: str, n: int, now: datetime
) -> tuple[dict[str, Any], datetime | None]:
    """The snapshot the one-stop system sends when the dossier comes in, and when it was (or
    will be) received: an online filing is received some office time after it was filed."""
    province, work, online = head.province, head.work, head.channel == "online"
    procedure = CATALOG[work.code]
    applicant = people.person(rng, province.id_prefix, to_vietnam(now).year)
    record = f"HS-{to_vietnam(head.entered):%Y}-{n:06d}"
    body: dict[str, Any] = {
        "code": code,
        "procedure": {"code": work.code, "name": procedure["name"],
                      "fieldCode": procedure["field_code"]},
        "receivingAgency": head.agency,
        "handlingAgency": head.agency,
        "channel": head.channel,
        "applicant": {
            "kind": "citizen",
            "name": applicant.name,
            "idNumber": applicant.id_number,
            "phone": applicant.phone,
            "address": people.address(rng, province.code, head.commune),
        },
        "summary": work.summary,
        "submittedAt": iso(head.entered),
        "status": "submitted" if online else "received",
        "returnMethod": "electronic" if online else "postal" if head.channel == "postal"
        else "counter",
        "documents": [
            _document(rng, province.host, record, component, name, online)
            for component, name in work.papers
        ],
        "fees": [{"name": fee["name"], "amount": fee["amount"]} for fee in procedure["fees"]],
        "source": {"system": province.system, "recordId": record, "version": 1,
                   "updatedAt": iso(head.entered)},
    }  # fmt: skip
    if online and rng.random() < 0.5:
        body["applicant"]["email"] = people.email_of(rng, applicant)
    if online:
        received = clock.after(head.entered, rng.uniform(10, 1.5 * DAY))
        return body, received
    body["receivedAt"] = iso(head.entered)
    body["dueAt"] = iso(clock.due(work.code, head.entered))
    for fee in body["fees"]:
        if fee["amount"] and work.at != "land":  # paid at the counter; land after assessment
            fee["paidAt"] = iso(head.entered)
    return body, head.entered
