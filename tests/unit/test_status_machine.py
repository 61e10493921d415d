"""The status machine of STANDARD.md section 4, checked over every pair of statuses."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.status import (
    DVCQG_CODE,
    REACHABLE,
    TERMINAL,
    TRANSITIONS,
    Status,
    guard_transition,
    is_allowed,
)
from app.errors import InvalidStatusTransition

S = Status

# The standard's list, written out again independently of the table under test.
STANDARD_MOVES = {
    (S.SUBMITTED, S.RECEIVED),
    (S.SUBMITTED, S.REFUSED),
    (S.SUBMITTED, S.WITHDRAWN),
    (S.SUBMITTED, S.SUPPLEMENT_REQUESTED),
    (S.RECEIVED, S.PROCESSING),
    (S.RECEIVED, S.SUPPLEMENT_REQUESTED),
    (S.RECEIVED, S.PAYMENT_REQUESTED),
    (S.RECEIVED, S.WITHDRAWN),
    (S.RECEIVED, S.STOPPED),
    (S.RECEIVED, S.RESOLVED),
    (S.PROCESSING, S.SUPPLEMENT_REQUESTED),
    (S.PROCESSING, S.PAYMENT_REQUESTED),
    (S.PROCESSING, S.WITHDRAWN),
    (S.PROCESSING, S.STOPPED),
    (S.PROCESSING, S.RESOLVED),
    (S.SUPPLEMENT_REQUESTED, S.RECEIVED),
    (S.SUPPLEMENT_REQUESTED, S.PROCESSING),
    (S.SUPPLEMENT_REQUESTED, S.WITHDRAWN),
    (S.SUPPLEMENT_REQUESTED, S.STOPPED),
    (S.PAYMENT_REQUESTED, S.PROCESSING),
    (S.PAYMENT_REQUESTED, S.RESOLVED),
    (S.PAYMENT_REQUESTED, S.WITHDRAWN),
    (S.PAYMENT_REQUESTED, S.STOPPED),
    (S.RESOLVED, S.RETURNED),
}
ALL_PAIRS = list(itertools.product(Status, Status))


def _reachable_by_search(start: Status, goal: Status) -> bool:
    frontier, seen = [start], set()
    while frontier:
        here = frontier.pop()
        for there in Status:
            if (here, there) in STANDARD_MOVES and there not in seen:
                if there == goal:
                    return True
                seen.add(there)
                frontier.append(there)
    return False


@pytest.mark.parametrize(("current", "target"), ALL_PAIRS, ids=lambda s: s.value)
def test_direct_move_is_allowed_exactly_when_the_standard_lists_it(
    current: Status, target: Status
) -> None:
    assert is_allowed(current, target, "direct") == ((current, target) in STANDARD_MOVES)


@pytest.mark.parametrize(("current", "target"), ALL_PAIRS, ids=lambda s: s.value)
def test_snapshot_may_jump_ahead_exactly_to_reachable_statuses(
    current: Status, target: Status
) -> None:
    expected = current == target or _reachable_by_search(current, target)
    assert is_allowed(current, target, "snapshot") == expected


@pytest.mark.parametrize(("current", "target"), ALL_PAIRS, ids=lambda s: s.value)
def test_guard_raises_naming_both_statuses_when_the_move_is_not_allowed(
    current: Status, target: Status
) -> None:
    if (current, target) in STANDARD_MOVES:
        assert guard_transition(current, target, "direct") is target
        return
    with pytest.raises(InvalidStatusTransition) as raised:
        guard_transition(current, target, "direct")
    assert raised.value.current == current.value
    assert raised.value.requested == target.value
    assert current.value in raised.value.detail and target.value in raised.value.detail


def test_terminal_statuses_are_refused_withdrawn_stopped_and_returned() -> None:
    assert {S.REFUSED, S.WITHDRAWN, S.STOPPED, S.RETURNED} == TERMINAL


@pytest.mark.parametrize("terminal", sorted(TERMINAL))
def test_nothing_leaves_a_terminal_status_even_by_snapshot(terminal: Status) -> None:
    for target in Status:
        assert is_allowed(terminal, target, "snapshot") == (target == terminal)


def test_dvcqg_codes_follow_the_standard_table() -> None:
    assert [DVCQG_CODE[s] for s in Status] == list(range(1, 11))
    assert DVCQG_CODE[S.RETURNED] == 10 and DVCQG_CODE[S.PROCESSING] == 4


def test_every_status_is_reachable_from_submitted() -> None:
    assert REACHABLE[S.SUBMITTED] | {S.SUBMITTED} == set(Status)


@given(st.lists(st.sampled_from(list(Status)), min_size=2, max_size=8))
def test_a_chain_of_direct_moves_is_always_a_valid_snapshot_jump(path: list[Status]) -> None:
    chain_is_direct = all(is_allowed(a, b, "direct") for a, b in itertools.pairwise(path))
    if chain_is_direct:
        assert is_allowed(path[0], path[-1], "snapshot")


def test_the_table_covers_every_status() -> None:
    assert set(TRANSITIONS) == set(Status)
