"""Judging a snapshot against the stored one: created, updated, unchanged, stale."""

from datetime import UTC, datetime, timedelta

import pytest

from app.domain.clock import is_overdue
from app.domain.snapshots import Outcome, SnapshotState, classify
from app.domain.status import Status
from app.errors import InvalidStatusTransition

T0 = datetime(2025, 11, 27, 1, 30, tzinfo=UTC)


def state(
    status: Status = Status.PROCESSING,
    digest: str = "a",
    version: int | None = 3,
    at: datetime = T0,
    system: str = "motcua",
) -> SnapshotState:
    return SnapshotState(status, digest, system, version, at)


def test_a_first_snapshot_creates() -> None:
    assert classify(None, state()) is Outcome.CREATED


def test_same_content_is_unchanged_even_from_a_newer_source_version() -> None:
    assert classify(state(), state(version=4)) is Outcome.UNCHANGED


def test_lower_source_version_is_stale_even_when_updated_at_is_newer() -> None:
    incoming = state(digest="b", version=2, at=T0 + timedelta(hours=1))
    assert classify(state(), incoming) is Outcome.STALE


def test_without_versions_the_older_updated_at_is_stale() -> None:
    incoming = state(digest="b", version=None, at=T0 - timedelta(seconds=1))
    assert classify(state(version=None), incoming) is Outcome.STALE


def test_versions_of_different_systems_are_not_compared() -> None:
    incoming = state(digest="b", version=1, at=T0 + timedelta(minutes=5), system="other")
    assert classify(state(version=9), incoming) is Outcome.UPDATED


def test_new_content_at_a_reachable_status_updates() -> None:
    assert classify(state(), state(Status.RETURNED, "b", 4)) is Outcome.UPDATED


def test_a_snapshot_moving_backwards_is_an_invalid_transition() -> None:
    with pytest.raises(InvalidStatusTransition):
        classify(state(Status.RESOLVED), state(Status.PROCESSING, "b", 4))


@pytest.mark.parametrize(
    ("due", "finished", "paused", "expected"),
    [
        (None, None, None, False),
        (T0, None, None, True),  # open, now is past due
        (T0 + timedelta(days=1), None, None, False),
        (T0, T0 - timedelta(hours=1), None, False),  # finished in time
        (T0, T0 + timedelta(hours=1), None, True),  # finished late
        (T0, None, T0 - timedelta(hours=1), False),  # waiting for a supplement since before due
    ],
)
def test_overdue_follows_the_standard(
    due: datetime | None, finished: datetime | None, paused: datetime | None, expected: bool
) -> None:
    now = T0 + timedelta(hours=2)
    assert is_overdue(due, finished, paused, now) is expected
