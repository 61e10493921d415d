"""The load generator: raw HTTP/1.1 over keep-alive connections on uvloop, responses parsed by
httptools (the parser uvicorn uses), requests encoded once up front. It costs the client a few
microseconds a request, so that a bare route, not the client, is what saturates (each result
says how much of a core the client itself used).

Two ways to load: `closed` (each connection sends its next request when the answer to the
previous one has arrived: the highest rate the server sustains) and `paced` (requests are due
at a fixed rate and each latency counts from the moment its request was due, so that a stall
is not hidden by the requests it delayed)."""

import asyncio
import os
import resource
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httptools


def get(path: str, token: str | None = None, headers: dict[str, str] | None = None) -> bytes:
    lines = [f"GET {path} HTTP/1.1", "Host: bench"]
    if token:
        lines.append(f"Authorization: Bearer {token}")
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def post(
    path: str, body: bytes, token: str | None = None, media: str = "application/json"
) -> bytes:
    lines = [
        f"POST {path} HTTP/1.1",
        "Host: bench",
        f"Content-Type: {media}",
        f"Content-Length: {len(body)}",
    ]
    if token:
        lines.append(f"Authorization: Bearer {token}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


@dataclass
class Answer:
    status: int
    size: int
    body: bytes


class Connection(asyncio.Protocol):
    """One keep-alive connection that sends a request and waits for its answer."""

    def __init__(self, keep_body: bool) -> None:
        self.keep_body = keep_body
        self.parser = httptools.HttpResponseParser(self)
        self.transport: asyncio.Transport | None = None
        self.waiter: asyncio.Future[Answer] | None = None
        self.chunks: list[bytes] = []
        self.size = 0
        self.on_bytes: Callable[[bytes], None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.parser.feed_data(data)

    def connection_lost(self, exc: Exception | None) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(exc or ConnectionError("the server closed the connection"))

    # httptools callbacks
    def on_message_begin(self) -> None:
        self.chunks = []
        self.size = 0

    def on_body(self, body: bytes) -> None:
        self.size += len(body)
        if self.keep_body:
            self.chunks.append(body)
        if self.on_bytes is not None:
            self.on_bytes(body)

    def on_message_complete(self) -> None:
        answer = Answer(self.parser.get_status_code(), self.size, b"".join(self.chunks))
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(answer)

    async def send(self, request: bytes) -> Answer:
        assert self.transport is not None
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(request)
        return await self.waiter

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


async def connect(host: str, port: int, *, keep_body: bool = False) -> Connection:
    loop = asyncio.get_running_loop()
    _, connection = await loop.create_connection(lambda: Connection(keep_body), host, port)
    return connection


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(p / 100 * len(sorted_values)) - 1))
    return sorted_values[index]


@dataclass
class Result:
    """What a load produced: answers counted in the measured window, their latencies."""

    requests: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    client_cpu: float = 0.0  # the load generator's own CPU time over the window, in cores
    server_cpu: float = 0.0  # the server's CPU time over the window, per answer, in seconds

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def ms(self, p: float) -> float:
        return percentile(self.latencies, p) * 1000

    @property
    def failures(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 400)

    def summary(self) -> dict[str, Any]:
        return {
            "rate": round(self.rate, 1),
            "p50_ms": round(self.ms(50), 2),
            "p99_ms": round(self.ms(99), 2),
            "statuses": dict(self.statuses),
            "client_cpu": round(self.client_cpu, 2),
        }


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def process_cpu(pid: int | None) -> float:
    """User and system CPU seconds another process has used (0 without one)."""
    if pid is None:
        return 0.0
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def closed(
    host: str,
    port: int,
    connections: int,
    seconds: float,
    next_request: Callable[[], bytes],
    *,
    warmup: float = 1.0,
    server_pid: int | None = None,
) -> Result:
    """Every connection sends requests back to back for `warmup` + `seconds`; the answers
    completed in the last `seconds` are counted (and the server's CPU over them)."""
    pool = [await connect(host, port) for _ in range(connections)]
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    loop = asyncio.get_running_loop()
    start = loop.time() + warmup
    stop = start + seconds

    async def worker(connection: Connection) -> None:
        while True:
            sent = loop.time()
            if sent >= stop:
                return
            answer = await connection.send(next_request())
            done = loop.time()
            if start <= sent and done <= stop:
                latencies.append(done - sent)
                statuses[answer.status] += 1

    async def cpu_at_start() -> tuple[float, float]:
        await asyncio.sleep(max(0.0, start - loop.time()))
        return _cpu(), process_cpu(server_pid)

    marker = asyncio.ensure_future(cpu_at_start())
    await asyncio.gather(*(worker(c) for c in pool))
    server_cpu = process_cpu(server_pid)
    client_start, server_start = await marker
    cpu = _cpu() - client_start
    for connection in pool:
        connection.close()
    latencies.sort()
    result = Result(len(latencies), seconds, latencies, statuses, cpu / seconds)
    result.server_cpu = (server_cpu - server_start) / max(1, result.requests)
    return result


async def paced(
    host: str,
    port: int,
    connections: int,
    rate: float,
    seconds: float,
    next_request: Callable[[], bytes],
    *,
    warmup: float = 1.0,
) -> Result:
    """Requests due at `rate` a second, spread over the connections in turn; a latency counts
    from when its request was due. The first `warmup` seconds are not counted."""
    pool = [await connect(host, port) for _ in range(connections)]
    loop = asyncio.get_running_loop()
    interval = 1.0 / rate
    total = int(rate * (warmup + seconds))
    skip = int(rate * warmup)
    origin = loop.time() + 0.05
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    cpu_at_start: list[float] = []

    async def worker(k: int, connection: Connection) -> None:
        for i in range(k, total, connections):
            due = origin + i * interval
            delay = due - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            if i == skip:
                cpu_at_start.append(_cpu())
            answer = await connection.send(next_request())
            if i >= skip:
                latencies.append(loop.time() - due)
                statuses[answer.status] += 1

    await asyncio.gather(*(worker(k, c) for k, c in enumerate(pool)))
    elapsed = loop.time() - (origin + skip * interval)
    cpu = _cpu() - (cpu_at_start[0] if cpu_at_start else _cpu())
    for connection in pool:
        connection.close()
    latencies.sort()
    return Result(len(latencies), elapsed, latencies, statuses, cpu / elapsed)


async def sequential(
    host: str, port: int, requests: list[bytes], *, keep_body: bool = False
) -> tuple[Result, list[Answer]]:
    """The requests one after the other on one connection (unloaded latency)."""
    connection = await connect(host, port, keep_body=keep_body)
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    answers: list[Answer] = []
    started = time.perf_counter()
    for request in requests:
        sent = time.perf_counter()
        answer = await connection.send(request)
        latencies.append(time.perf_counter() - sent)
        statuses[answer.status] += 1
        if keep_body:
            answers.append(answer)
    seconds = time.perf_counter() - started
    connection.close()
    latencies.sort()
    return Result(len(requests), seconds, latencies, statuses), answers
