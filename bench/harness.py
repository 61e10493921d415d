"""What every measurement shares: its options, the clients and tokens it calls the hub with,
the server's memory and CPU as the kernel counts them, and the rows of the report."""

import asyncio
import time
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx
import uvloop

from bench.server import ADMIN_ID, ADMIN_SECRET, Process

T = TypeVar("T")


@dataclass(frozen=True)
class Options:
    """Sizes and durations; the defaults are the full run, `quick()` a developer's."""

    p1_batches: int = 40  # new batches of 500; half as many again are updates
    seconds: float = 10.0  # each P2 load
    small: int = 10_000  # P4's small database
    large: int = 1_000_000  # P4's large database
    changes: int = 100_000  # P3
    export: int = 100_000  # dossiers exported
    p5_minutes: float = 5.0
    profile: bool = False  # py-spy the server during P1 and P2 (var/bench/)

    @classmethod
    def quick(cls, **overrides: Any) -> "Options":
        sizes = {
            "p1_batches": 8,
            "seconds": 3.0,
            "large": 100_000,
            "changes": 20_000,
            "export": 20_000,
            "p5_minutes": 0.5,
        }
        return cls(**{**sizes, **overrides})


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Load runs on uvloop, as the server does."""
    return uvloop.run(coroutine)


# --- clients and tokens -------------------------------------------------------------------


def _token(base: str, client_id: str, secret: str) -> str:
    answer = httpx.post(
        f"{base}/api/v1/auth/token",
        data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
        timeout=60,
    )
    answer.raise_for_status()
    return str(answer.json()["access_token"])


def admin_token(server: Process) -> str:
    return _token(server.base, ADMIN_ID, ADMIN_SECRET)


def client_token(server: Process, kind: str, agencies: list[str], name: str = "") -> str:
    """A new client of this kind and binding (every scope its kind may hold), and a token."""
    created = httpx.post(
        f"{server.base}/api/v1/clients",
        json={"name": name or f"bench {kind}", "kind": kind, "agencies": agencies},
        headers={"Authorization": f"Bearer {admin_token(server)}"},
        timeout=60,
    )
    created.raise_for_status()
    body = created.json()
    return _token(server.base, body["clientId"], body["clientSecret"])


def province_token(server: Process, province: str) -> str:
    """A province's one-stop system: it sees and writes the dossiers its agencies received."""
    return client_token(server, "province", [f"*.*.*.H{province}"], f"bench province {province}")


def portal_token(server: Process) -> str:
    """The national portal: every dossier's status, and the change feed."""
    return client_token(server, "portal", [], "bench portal")


# --- the server as the kernel sees it ------------------------------------------------------


def rss_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


@dataclass
class Sampler:
    """The server's RSS every `interval` seconds while a load runs (an asyncio task)."""

    pid: int
    interval: float
    samples: list[tuple[float, int]] = field(default_factory=list)
    _task: "asyncio.Task[None] | None" = None

    async def _loop(self) -> None:
        started = time.monotonic()
        while True:
            self.samples.append((time.monotonic() - started, rss_bytes(self.pid)))
            await asyncio.sleep(self.interval)

    def start(self) -> None:
        self._task = asyncio.ensure_future(self._loop())

    async def stop(self) -> None:
        assert self._task is not None
        self.samples.append((self.samples[-1][0] + self.interval, rss_bytes(self.pid)))
        self._task.cancel()

    @property
    def peak(self) -> int:
        return max(rss for _, rss in self.samples)


def mb(size: float) -> str:
    return f"{size / 2**20:,.1f} MB"


# --- the report ---------------------------------------------------------------------------


@dataclass
class Row:
    """One line of the figures table."""

    id: str
    what: str
    measured: str
    baseline: str = ""
    ratio: str = ""
    target: str = ""
    met: bool | None = None  # None: reported, no target to meet

    def cells(self) -> list[str]:
        verdict = {True: "yes", False: "**no**", None: "reported"}[self.met]
        return [self.id, self.what, self.measured, self.baseline, self.ratio, self.target, verdict]


@dataclass
class Outcome:
    """What a measurement reports: rows of the table, and notes for the method section."""

    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)  # for later measurements to use
