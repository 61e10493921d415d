"""Realistic dossiers, made fast and deterministically: dossier `n` is always the same one.

A year of one-stop work across the 34 provinces: ten agencies a province, the catalog's
procedures with their fees and limits, applicants with valid personal IDs and real communes,
and a spread of statuses (mostly returned, some open, some waiting for a supplement), each
with the dates, documents and rating its status implies. `snapshot(n)` is already in the
canonical form the hub stores (`records.canonical_body`); `check` proves that on a sample by
putting it through the hub's own validation and canonical rendering."""

import random
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone
from functools import cache
from typing import Any, TypeVar

from vietnam_provinces import Province, Ward

from app.domain.identifiers import ID_PROVINCE_PREFIXES
from app.schemas.dossier import DossierSnapshot
from app.services.records import canonical_body
from app.services.seed_data import PROCEDURES

AGENCIES_PER_PROVINCE = 10
DAYS = 365
# Vietnam has kept +07:00 all year since 1975: a fixed offset renders as the hub renders.
VIETNAM = timezone(timedelta(hours=7))
FIRST_DAY = datetime(2024, 12, 1, tzinfo=VIETNAM)

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
          "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]  # fmt: skip
MIDDLE = ["Văn", "Thị", "Minh", "Đức", "Ngọc", "Thanh", "Hữu", "Quốc", "Thu", "Kim"]
GIVEN = ["An", "Bình", "Hương", "Lan", "Hùng", "Dũng", "Mai", "Phương", "Tuấn", "Linh", "Hà",
         "Nam", "Trang", "Sơn", "Thảo", "Long", "Yến", "Khánh", "Quân", "Nhung"]  # fmt: skip
STREETS = ["Lê Lợi", "Trần Hưng Đạo", "Nguyễn Trãi", "Hai Bà Trưng", "Quang Trung",
           "Lý Thường Kiệt", "Phan Chu Trinh", "Bà Triệu"]  # fmt: skip
# Status and weight: a hub a year into service holds mostly finished dossiers.
STATUSES = [("returned", 55), ("resolved", 8), ("processing", 15), ("received", 6),
            ("supplement_requested", 5), ("payment_requested", 2), ("submitted", 3),
            ("refused", 2), ("withdrawn", 2), ("stopped", 2)]  # fmt: skip
_STATUS_CHOICES = [s for s, w in STATUSES for _ in range(w)]
_ID_PREFIXES = sorted(ID_PROVINCE_PREFIXES)
T = TypeVar("T")


@cache
def provinces() -> list[tuple[str, list[str]]]:
    """(province code, its commune codes) for the 34 provinces."""
    communes: dict[int, list[str]] = {}
    for ward in Ward.iter_all():
        communes.setdefault(ward.province_code.value, []).append(f"{ward.code.value:05d}")
    return [(f"{p.code.value:02d}", communes[p.code.value]) for p in Province.iter_all()]


@cache
def communes_of() -> dict[str, list[str]]:
    return dict(provinces())


@cache
def agencies() -> list[tuple[str, str]]:
    """(agency code, province code): the province's people's committee and nine others."""
    return [
        (f"000.00.{k:02d}.H{province}", province)
        for province, _ in provinces()
        for k in range(AGENCIES_PER_PROVINCE)
    ]


def _iso(moment: datetime) -> str:
    return moment.isoformat()


class _Draw:
    """Random draws from one seed, by the C `random()` only (`choice` and `randint` cost
    several Python calls each, and a million dossiers make a hundred million draws)."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed).random

    def pick(self, values: Sequence[T]) -> T:
        return values[int(self.random() * len(values))]

    def between(self, low: int, high: int) -> int:
        return low + int(self.random() * (high - low + 1))


def _limit(procedure: dict[str, Any]) -> timedelta:
    if procedure["limit_unit"] == "working_hours":
        return timedelta(hours=procedure["limit_value"] * 2)
    return timedelta(days=procedure["limit_value"] * 1.4)


def _applicant(draw: _Draw, province: str) -> dict[str, Any]:
    year = draw.between(1950, 2005)
    century = (0 if year < 2000 else 2) + draw.between(0, 1)
    number = f"{draw.pick(_ID_PREFIXES)}{century}{year % 100:02d}{draw.between(0, 999_999):06d}"
    return {
        "kind": "citizen",
        "name": f"{draw.pick(FAMILY)} {draw.pick(MIDDLE)} {draw.pick(GIVEN)}",
        "idNumber": number,
        "phone": f"09{draw.between(0, 10**8 - 1):08d}",
        "address": {
            "text": f"Số {draw.between(1, 300)} đường {draw.pick(STREETS)}",
            "provinceCode": province,
            "communeCode": draw.pick(communes_of()[province]),
        },
    }


def _document(n: int, k: int, kind: str, name: str, component: str | None) -> dict[str, Any]:
    document: dict[str, Any] = {"id": f"f-{n}-{k}", "kind": kind, "name": name}
    if component:
        document["componentCode"] = component
    document["url"] = f"https://files.example.vn/{n}/{k}.pdf"
    document.update(mediaType="application/pdf", digitised=True, reused=False)
    return document


def _place(n: int) -> tuple[str, str, datetime, int]:
    """Agency, its province, receipt day and sequence of dossier `n`."""
    every = agencies()
    agency, province = every[n % len(every)]
    j = n // len(every)
    return agency, province, FIRST_DAY + timedelta(days=j % DAYS), j // DAYS + 1


def code_of(n: int) -> str:
    """Dossier `n`'s code: agency, receipt day and sequence of that agency on that day."""
    agency, _, day, sequence = _place(n)
    return f"{agency}-{day:%y%m%d}-{sequence:05d}"


def snapshot(n: int, version: int = 1, status: str | None = None) -> dict[str, Any]:
    """Dossier `n` as its source system sends it (and as the hub stores it); a later
    `version` differs in its summary and its source's version and time."""
    draw = _Draw(n)
    agency, province, day, sequence = _place(n)
    procedure = draw.pick(PROCEDURES)
    status = status or draw.pick(_STATUS_CHOICES)
    received = day + timedelta(minutes=450 + draw.between(0, 539))
    submitted = received - timedelta(minutes=draw.between(5, 2000))
    channel = draw.pick(("online", "online", "counter", "postal"))
    body: dict[str, Any] = {
        "code": f"{agency}-{day:%y%m%d}-{sequence:05d}",
        "procedure": {
            "code": procedure["code"],
            "name": procedure["name"],
            "fieldCode": procedure["field_code"],
        },
        "receivingAgency": agency,
        "handlingAgency": agency,
        "channel": channel,
        "applicant": _applicant(draw, province),
        # Each later version says something new, so that it is an update and not `unchanged`.
        "summary": f"{procedure['name']} cho công dân"
        + (f", cập nhật lần {version - 1}" if version > 1 else ""),
        "submittedAt": _iso(submitted),
    }
    last = received
    if status not in ("submitted", "refused"):
        due = (received + _limit(procedure)).replace(hour=17, minute=0)
        body.update(receivedAt=_iso(received), dueAt=_iso(due))
    body.update(status=status, returnMethod=draw.pick(("electronic", "counter", "postal")))
    documents = [_document(n, 1, "submitted", "Tờ khai", "TK01")]
    if draw.random() < 0.6:
        documents.append(_document(n, 2, "submitted", "Bản sao giấy tờ tùy thân", "TP02"))
    supplements: list[dict[str, Any]] = []
    if status == "supplement_requested" or (status == "returned" and draw.random() < 0.1):
        asked = received + timedelta(hours=draw.between(2, 30))
        supplement = {"requestedAt": _iso(asked), "reason": "Bổ sung bản sao có chứng thực"}
        if status != "supplement_requested":
            supplement["receivedAt"] = _iso(asked + timedelta(days=1))
        supplements.append(supplement)
        last = asked
    if status in ("resolved", "returned"):
        minutes = _limit(procedure) // timedelta(minutes=1)
        resolved = received + timedelta(minutes=draw.between(minutes // 5, minutes * 13 // 10))
        body["resolvedAt"] = _iso(resolved)
        documents.append(_document(n, 9, "result", "Kết quả giải quyết", None))
        last = resolved
        if status == "returned":
            returned = resolved + timedelta(minutes=draw.between(30, 4000))
            body["returnedAt"] = _iso(returned)
            last = returned
    body["documents"] = documents
    paid_online = channel == "online"
    body["fees"] = [
        {"name": fee["name"], "amount": fee["amount"], "paidOnline": paid_online}
        for fee in procedure["fees"]
    ]
    body["supplements"] = supplements
    body["extensions"] = []
    if status == "returned" and draw.random() < 0.3:
        value = draw.pick(("very_satisfied", "satisfied", "satisfied", "dissatisfied"))
        body["rating"] = {"value": value, "at": _iso(last + timedelta(hours=2))}
    body["source"] = {
        "system": f"motcua-h{province}",
        "recordId": f"HS-{n}",
        "version": version,
        "updatedAt": _iso(last + timedelta(minutes=1 + version)),
    }
    body["ext"] = {}
    return body


def updated_at(body: dict[str, Any]) -> datetime:
    """When the hub stored this version: a few seconds after the source changed it."""
    return datetime.fromisoformat(body["source"]["updatedAt"]).astimezone(UTC) + timedelta(
        seconds=3
    )


def check(sample: range) -> None:
    """Every dossier of the sample is a valid snapshot whose canonical form is itself."""
    for n in sample:
        body = snapshot(n)
        stored = canonical_body(DossierSnapshot.model_validate(body))
        if stored != body:
            raise AssertionError(f"dossier {n} is not in canonical form: {stored} != {body}")
