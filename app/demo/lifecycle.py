"""The life of each demo dossier after it came in, simulated forward: receipt, processing
steps, supplement requests, payment, transfers to the ministry, the result, its return and the
applicant's rating (`arrivals` cuts it at "now"). What happens depends on one random generator
per dossier, seeded from the run's seed and the dossier's code, so a run is reproducible.

Deadlines come from the hub's own rules (`domain.deadlines` over the working-day calendar and
office hours), so the appointments are the ones the hub computes, and a dossier is overdue
exactly when its simulated finish falls after them."""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from app.demo import people
from app.demo.cast import MINISTRY_AGENCY, MINISTRY_UNIT, Province, Work
from app.domain.calendar import OfficeHours, WorkingCalendar, at
from app.domain.clock import to_vietnam
from app.domain.deadlines import LimitUnit, add_working_time, after_supplement, due_at
from app.domain.deadlines import working_time_between as working_time

DAY = 8 * 60  # minutes of office time in a working day


@dataclass(frozen=True)
class Clock:
    """Office time on the hub's calendar, and the procedures' processing limits."""

    calendar: WorkingCalendar
    hours: OfficeHours
    limits: dict[str, tuple[int, str]]

    def after(self, start: datetime, minutes: float) -> datetime:
        moved = add_working_time(start, timedelta(minutes=minutes), self.calendar, self.hours)
        return moved.replace(microsecond=0)

    def span(self, start: datetime, end: datetime) -> float:
        return working_time(start, end, self.calendar, self.hours).total_seconds() / 60

    def due(self, procedure: str, received: datetime) -> datetime:
        value, unit = self.limits[procedure]
        return due_at(received, value, LimitUnit(unit), self.calendar, self.hours)

    def moved(self, due: datetime, received: datetime, asked: datetime, got: datetime) -> datetime:
        """`dueAt` after a supplement, as `services.deadline_policy` moves it."""
        return after_supplement(due, max(asked, received), got, self.calendar, self.hours)


@dataclass(frozen=True)
class Event:
    """One thing that happened to a dossier after its first snapshot. `kind` is `status`,
    `step`, `extension`, `transfer`, `accept`, `reject`, `complete` (the body of the API
    command in `data`), or `result` and `rating` (members the source system adds to its next
    snapshot)."""

    at: datetime
    kind: str
    data: dict[str, Any]
    by: str = "province"  # or "ministry"


def iso(moment: datetime) -> str:
    return to_vietnam(moment).isoformat()


@dataclass(frozen=True)
class Head:
    """How a dossier came in."""

    province: Province
    work: Work
    agency: str  # the receiving agency
    commune: str  # where the applicant lives
    channel: str
    entered: datetime  # submitted online, or received at the counter


def _staff(province: Province, agency: str, role: str) -> tuple[str, str]:
    """(name, title) of the officer of an agency who does this role: the same name across its
    dossiers, whatever the run."""
    if role == "ministry":
        agency = MINISTRY_AGENCY
    rng = random.Random(f"{agency}:{role}")
    officer = people.person(rng, province.id_prefix, 2025)
    titles = {
        "desk": "Công chức Bộ phận Một cửa",
        "expert": "Công chức Tư pháp - Hộ tịch" if agency.startswith("000.00.3") else "Chuyên viên",
        "lead": "Phó Chủ tịch Ủy ban nhân dân" if agency.startswith("000.00.3") else "Phó Giám đốc",
        "ministry": "Chuyên viên",
    }
    return officer.name, titles[role]


class Life:
    """One dossier's simulation after its receipt. Phases follow each other on office time;
    each adds its events, and a wait (supplement, payment, transfer) pushes the finish back by
    its length. `n` numbers the dossier in the run (for document ids)."""

    def __init__(
        self,
        rng: random.Random,
        clock: Clock,
        head: Head,
        code: str,
        n: int,
        transfer_share: float = 0.1,
    ):
        self.rng, self.clock, self.head, self.code, self.n = rng, clock, head, code, n
        self.transfer_share = transfer_share
        self.events: list[Event] = []
        self.unit = "Văn phòng Đăng ký đất đai" if head.work.at == "land" else "Bộ phận chuyên môn"

    def actor(self, role: str) -> dict[str, str]:
        name, title = _staff(self.head.province, self.head.agency, role)
        unit = MINISTRY_UNIT if role == "ministry" else self.unit
        if role == "desk":
            unit = "Bộ phận Một cửa"
        return {"name": name, "title": title, "unit": unit}

    def add(self, moment: datetime, kind: str, data: dict[str, Any], by: str = "province") -> None:
        self.events.append(Event(moment, kind, data, by))

    def status(self, moment: datetime, status: str, role: str, **extra: str) -> None:
        self.add(moment, "status", {"status": status, "at": iso(moment),
                                    "actor": self.actor(role), **extra})  # fmt: skip

    def step(self, moment: datetime, role: str, content: str, by: str = "province") -> None:
        actor = self.actor(role)
        self.add(
            moment,
            "step",
            {"at": iso(moment), "handler": actor["name"], "title": actor["title"],
             "unit": actor["unit"], "content": content},
            by,
        )  # fmt: skip

    def run(self, received: datetime | None) -> list[Event]:
        """Every event from the receipt on (none when not received), in time order."""
        if received is not None:
            self.live(received, self.head.channel == "online")
        return sorted(self.events, key=lambda e: e.at)

    def live(self, received: datetime, online: bool) -> None:
        rng, clock = self.rng, self.clock
        if online:
            if rng.random() < 0.04:
                reason = "Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan"
                self.status(received, "refused", "desk", reason=reason)
                return
            self.status(received, "received", "desk")
        due = clock.due(self.head.work.code, received)
        limit = max(clock.span(received, due), 60)
        late = rng.random() < 0.12
        if late:  # most a day or so; a quarter stuck for weeks
            stuck = rng.random() < 0.25
            finish = clock.after(due, DAY * (rng.uniform(5, 20) if stuck else rng.uniform(0.2, 3)))
        else:
            finish = clock.after(received, limit * rng.uniform(0.25, 0.9))
        t = clock.after(received, rng.uniform(5, 30))
        self.step(t, "desk", "Tiếp nhận hồ sơ, chuyển bộ phận chuyên môn giải quyết")
        t = clock.after(t, rng.uniform(10, min(limit * 0.3, 2 * DAY)))
        finish = max(finish, clock.after(t, 30))
        self.status(t, "processing", "expert")
        fate = rng.random()
        if fate < 0.025:
            reason = "Công dân đề nghị rút hồ sơ" if fate < 0.018 else "Hồ sơ có tranh chấp"
            kind = "withdrawn" if fate < 0.018 else "stopped"
            self.status(self.between(t, finish, 0.2, 0.8), kind, "expert", reason=reason)
            return
        t, finish, due = self.waits(t, finish, due, received, limit)
        t = self.between(t, finish, 0.1, 0.6)
        self.step(t, "expert", "Thẩm định hồ sơ, dự thảo kết quả")
        if rng.random() < 0.5:
            t = self.between(t, finish, 0.3, 0.9)
            self.step(t, "lead", "Ký duyệt kết quả giải quyết")
        if finish > due and rng.random() < 0.3:
            t = self.extension(t, finish, due)
        self.close(finish, late or finish > due)

    def between(self, start: datetime, end: datetime, lo: float, hi: float) -> datetime:
        return self.clock.after(
            start, max(self.clock.span(start, end), 2) * self.rng.uniform(lo, hi)
        )

    def waits(
        self, t: datetime, finish: datetime, due: datetime, received: datetime, limit: float
    ) -> tuple[datetime, datetime, datetime]:
        """Supplement, transfer to the ministry, payment: each moves the finish back."""
        rng, clock, work = self.rng, self.clock, self.head.work
        if limit >= DAY and rng.random() < 0.15:
            asked = self.between(t, finish, 0.1, 0.4)
            self.status(asked, "supplement_requested", "expert",
                        reason="Bổ sung bản sao giấy tờ tùy thân của người yêu cầu")  # fmt: skip
            got = clock.after(asked, rng.uniform(0.5, 5) * DAY)
            self.status(got, "processing", "desk", note="Đã nhận hồ sơ bổ sung")
            due = clock.moved(due, received, asked, got)
            finish, t = clock.after(finish, clock.span(asked, got)), got
        if work.transferable and rng.random() < self.transfer_share:
            t, finish = self.transfer(self.between(t, finish, 0.05, 0.3), finish)
        if work.code == "1.004227" and rng.random() < 0.7:
            asked = self.between(t, finish, 0.2, 0.6)
            self.status(asked, "payment_requested", "expert",
                        note="Đề nghị thực hiện nghĩa vụ tài chính về đất đai")  # fmt: skip
            paid = clock.after(asked, rng.uniform(0.5, 4) * DAY)
            self.status(paid, "processing", "desk", note="Đã hoàn thành nghĩa vụ tài chính")
            finish, t = clock.after(finish, clock.span(asked, paid)), paid
        return t, finish, due

    def transfer(self, sent: datetime, finish: datetime) -> tuple[datetime, datetime]:
        rng, clock = self.rng, self.clock
        ref = f"cv-{self.n:05d}"
        self.add(sent, "transfer", {
            "toAgency": MINISTRY_AGENCY,
            "purpose": "Đề nghị xác minh thông tin hộ tịch của người yêu cầu",
            "dueAt": iso(clock.after(sent, 3 * DAY)),
            "documents": [{"id": ref, "kind": "submitted", "name": "Công văn đề nghị xác minh",
                           "url": f"https://{self.head.province.host}/cong-van/{ref}.pdf"}],
        })  # fmt: skip
        if rng.random() < 0.15:
            back = clock.after(sent, rng.uniform(30, 480))
            reason = "Thông tin cần xác minh thuộc thẩm quyền của cơ quan đăng ký cư trú"
            self.add(back, "reject", {"reason": reason}, by="ministry")
            return back, clock.after(finish, clock.span(sent, back))
        accepted = clock.after(sent, rng.uniform(20, 2 * DAY))
        self.add(accepted, "accept", {}, by="ministry")
        checked = clock.after(accepted, rng.uniform(30, DAY))
        content = "Xác minh trên Cơ sở dữ liệu hộ tịch điện tử toàn quốc"
        self.step(checked, "ministry", content, by="ministry")
        done = clock.after(checked, rng.uniform(0.5, 4) * DAY)
        answer = f"kq-{self.n:05d}"
        self.add(done, "complete", {
            "note": "Đã xác minh, thông tin hộ tịch trùng khớp",
            "documents": [{"id": answer, "kind": "result", "name": "Văn bản trả lời xác minh",
                           "url": f"https://hotich.moj.example.vn/van-ban/{answer}.pdf"}],
        }, by="ministry")  # fmt: skip
        return done, clock.after(finish, clock.span(sent, done))

    def extension(self, t: datetime, finish: datetime, due: datetime) -> datetime:
        """An apology letter and a new appointment, before the first one passes."""
        issued = max(due - timedelta(hours=2), t + timedelta(minutes=5))
        if issued >= finish:
            return t
        day = to_vietnam(finish).date()
        if self.rng.random() < 0.5:
            day = next(self.clock.calendar.working_days_after(day))
        self.add(issued, "extension", {
            "issuedAt": iso(issued), "reason": "Cần thêm thời gian xác minh hồ sơ",
            "newDueAt": iso(at(day, self.clock.hours.closing)),
        })  # fmt: skip
        return issued

    def close(self, finish: datetime, late: bool) -> None:
        rng, clock, work = self.rng, self.clock, self.head.work
        self.status(finish, "resolved", "lead", note="Đã có kết quả giải quyết")
        result_id = f"kq-{self.code[-4:]}-{self.n}"
        self.add(finish + timedelta(minutes=2), "result", {
            "id": result_id, "kind": "result", "name": work.result, "componentCode": "KQ",
            "url": f"https://{self.head.province.host}/ket-qua/{result_id}.pdf",
        })  # fmt: skip
        wait = {"online": (5, 120), "counter": (60, 3 * DAY), "postal": (DAY, 3 * DAY)}
        returned = clock.after(finish, rng.uniform(*wait[self.head.channel]))
        self.status(returned, "returned", "desk", note="Đã trả kết quả cho người yêu cầu")
        if rng.random() < 0.4:
            weights = [20, 40, 40] if late else [55, 42, 3]
            value = rng.choices(["very_satisfied", "satisfied", "dissatisfied"], weights)[0]
            comment = {"very_satisfied": "Cán bộ hướng dẫn tận tình, trả kết quả nhanh",
                       "satisfied": "Thủ tục thuận tiện",
                       "dissatisfied": "Trả kết quả chậm so với ngày hẹn"}[value]  # fmt: skip
            moment = returned + timedelta(minutes=rng.uniform(1, 600))
            self.add(moment, "rating", {"value": value, "comment": comment, "at": iso(moment)})
