"""The dossier status machine of STANDARD.md section 4, as data, and its one guarded function."""

from collections.abc import Mapping
from enum import StrEnum
from typing import Literal

from app.errors import InvalidStatusTransition


class Status(StrEnum):
    """Trạng thái hồ sơ. The DVCQG code of each is in `DVCQG_CODE`."""

    SUBMITTED = "submitted"
    RECEIVED = "received"
    REFUSED = "refused"
    PROCESSING = "processing"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    PAYMENT_REQUESTED = "payment_requested"
    WITHDRAWN = "withdrawn"
    STOPPED = "stopped"
    RESOLVED = "resolved"
    RETURNED = "returned"


S = Status

DVCQG_CODE: Mapping[Status, int] = {status: number for number, status in enumerate(Status, 1)}

LABEL_VI: Mapping[Status, str] = {
    S.SUBMITTED: "Mới đăng ký",
    S.RECEIVED: "Được tiếp nhận",
    S.REFUSED: "Không được tiếp nhận",
    S.PROCESSING: "Đang xử lý",
    S.SUPPLEMENT_REQUESTED: "Yêu cầu bổ sung giấy tờ",
    S.PAYMENT_REQUESTED: "Yêu cầu thực hiện nghĩa vụ tài chính",
    S.WITHDRAWN: "Công dân yêu cầu rút hồ sơ",
    S.STOPPED: "Dừng xử lý",
    S.RESOLVED: "Đã xử lý xong",
    S.RETURNED: "Đã trả kết quả",
}

# The allowed direct moves, exactly as the standard lists them.
TRANSITIONS: Mapping[Status, frozenset[Status]] = {
    S.SUBMITTED: frozenset({S.RECEIVED, S.REFUSED, S.WITHDRAWN, S.SUPPLEMENT_REQUESTED}),
    S.RECEIVED: frozenset(
        {
            S.PROCESSING,
            S.SUPPLEMENT_REQUESTED,
            S.PAYMENT_REQUESTED,
            S.WITHDRAWN,
            S.STOPPED,
            S.RESOLVED,
        }
    ),
    S.PROCESSING: frozenset(
        {S.SUPPLEMENT_REQUESTED, S.PAYMENT_REQUESTED, S.WITHDRAWN, S.STOPPED, S.RESOLVED}
    ),
    S.SUPPLEMENT_REQUESTED: frozenset({S.RECEIVED, S.PROCESSING, S.WITHDRAWN, S.STOPPED}),
    S.PAYMENT_REQUESTED: frozenset({S.PROCESSING, S.RESOLVED, S.WITHDRAWN, S.STOPPED}),
    S.RESOLVED: frozenset({S.RETURNED}),
    S.REFUSED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.STOPPED: frozenset(),
    S.RETURNED: frozenset(),
}

TERMINAL: frozenset[Status] = frozenset(s for s, targets in TRANSITIONS.items() if not targets)


def _closure(start: Status) -> frozenset[Status]:
    seen: set[Status] = set()
    frontier = list(TRANSITIONS[start])
    while frontier:
        status = frontier.pop()
        if status not in seen:
            seen.add(status)
            frontier.extend(TRANSITIONS[status])
    return frozenset(seen)


# Statuses reachable through one or more allowed moves (a status that can loop back,
# such as received -> supplement_requested -> received, is reachable from itself).
REACHABLE: Mapping[Status, frozenset[Status]] = {s: _closure(s) for s in Status}

Mode = Literal["direct", "snapshot"]


def is_allowed(current: Status, target: Status, mode: Mode) -> bool:
    """Whether `current -> target` is allowed: a direct move, or any reachable status for a
    snapshot. A snapshot that repeats the stored status is not a change and always allowed."""
    if mode == "snapshot":
        return target == current or target in REACHABLE[current]
    return target in TRANSITIONS[current]


def guard_transition(current: Status, target: Status, mode: Mode) -> Status:
    """The one gate every status change passes through. Returns the new status or raises
    `InvalidStatusTransition` naming the current and requested status."""
    if not is_allowed(current, target, mode):
        how = "an explicit status change" if mode == "direct" else "a snapshot"
        raise InvalidStatusTransition(current.value, target.value, how=how)
    return target
