"""QUALITY.md R4: a follower reading the change feed in a loop while 8 writers commit out of
order sees every change exactly once, and each dossier's changes in version order.

PostgreSQL only: SQLite serialises writers, so commits cannot overtake one another there."""

import asyncio
import random
from collections import defaultdict

import pytest

from app.db import Database, is_retryable
from app.domain.access import ClientKind, Principal, Scope
from app.domain.calendar import OfficeHours
from app.schemas.dossier import DossierSnapshot
from app.services import feed
from app.services.sync import sync_snapshots
from tests.factories import code_of, snapshot

pytestmark = pytest.mark.postgres_only

WRITERS, ROUNDS, BATCH = (
    8,
    13,
    100,
)  # 8 writers, 13 rounds of 100 dossiers, each created then updated
EXPECTED = WRITERS * ROUNDS * BATCH * 2
OPERATOR = Principal("feed-test", ClientKind.ADMIN, (), frozenset(Scope))
HOURS = OfficeHours.parse("07:30-11:30,13:00-17:00")


def _batch(writer: int, round_: int, version: int) -> list[DossierSnapshot | object]:
    day = f"2511{writer + 10:02d}"
    return [
        DossierSnapshot.model_validate(
            snapshot(code=code_of(round_ * BATCH + n + 1, day=day), source_version=version)
            | ({"summary": f"Lần {version}"} if version > 3 else {})
        )
        for n in range(BATCH)
    ]


async def _write(db: Database, items: list[DossierSnapshot | object]) -> None:
    while True:
        try:
            async with db.transaction(write=True) as session:
                await sync_snapshots(session, items, HOURS, OPERATOR)  # type: ignore[arg-type]
                # Hold the transaction open a while so that commits overtake one another.
                await asyncio.sleep(random.random() / 50)
            return
        except Exception as error:
            if not is_retryable(error):
                raise


async def _writer(db: Database, writer: int) -> None:
    for round_ in range(ROUNDS):
        await _write(db, _batch(writer, round_, 3))
        await _write(db, _batch(writer, round_, 4))


async def test_a_follower_sees_every_change_once_while_eight_writers_commit(
    db: Database,
) -> None:
    random.seed(7)
    seen: list[tuple[int, str, int]] = []
    writers = asyncio.gather(*(_writer(db, w) for w in range(WRITERS)))
    after = 0
    done = False
    while True:
        done = done or writers.done()
        async with db.transaction(write=False) as session:
            rows, after = await feed.read(
                session, OPERATOR, feed.ChangeFilter(), after=after, limit=1000
            )
        seen += [(r.position, r.dossier_code, r.version) for r in rows]
        if done and not rows:
            break
        if not rows:
            await asyncio.sleep(0.005)
    await writers  # re-raises a writer's failure

    positions = [position for position, _, _ in seen]
    assert len(seen) == EXPECTED
    assert positions == list(range(1, EXPECTED + 1))  # no gap, no repeat, in order
    versions: dict[str, list[int]] = defaultdict(list)
    for _, code, version in seen:
        versions[code].append(version)
    assert len(versions) == EXPECTED // 2
    assert all(v == [1, 2] for v in versions.values())
