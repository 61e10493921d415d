"""Vietnam time: the hub stores UTC and renders Asia/Ho_Chi_Minh (+07:00)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def utcnow() -> datetime:
    return datetime.now(UTC)


def to_vietnam(moment: datetime) -> datetime:
    return moment.astimezone(VIETNAM)


def is_overdue(
    due_at: datetime | None,
    finished_at: datetime | None,
    paused_at: datetime | None,
    now: datetime,
) -> bool:
    """STANDARD.md section 3: overdue when finished after `dueAt`, or not finished and past it.

    A dossier waiting for a supplement is judged at the moment the wait began, because time
    waiting for the applicant does not count (section 6); when the supplement arrives `dueAt`
    moves by the time waited and the clock runs again.
    """
    if due_at is None:
        return False
    judged_at = finished_at or paused_at or now
    return judged_at > due_at
