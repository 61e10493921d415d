"""Several `lienthong` processes at once for end-to-end tests: API servers (`serve`) and
delivery workers (`worker`) on a database the test gives, the fake portal (`fake-portal`), each
with its log in a file, stopped politely or killed with SIGKILL. (`hub_process.py` starts one
hub and waits for it; here processes are started first and waited for together, so that they
import and start in parallel.)

    with process_group() as group:
        api = group.add(start_api(url, logs, port=...))
        worker = group.add(start_worker(url, logs))
        wait_ready(api, worker)
        ...
        worker.kill()
"""

import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx

from tests.e2e.hub_process import ROOT, free_port, hub_environment

READY_SECONDS = 60


@dataclass
class CommandProcess:
    """A running `lienthong <command>`: its name, its log, and, for a server, its base URL."""

    name: str
    process: subprocess.Popen[bytes]
    log_path: Path
    log_file: IO[bytes] = field(repr=False)
    base: str | None = None  # an HTTP server's base URL
    ready_line: str | None = None  # a line the log shows once it works; else /readyz answers

    @property
    def pid(self) -> int:
        return self.process.pid

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def alive(self) -> bool:
        return self.process.poll() is None

    def is_ready(self) -> bool:
        if self.ready_line is not None:
            return self.ready_line in self.log()
        try:
            return httpx.get(f"{self.base}/readyz", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    def kill(self) -> None:
        """SIGKILL: no handler, no cleanup, no settling of what it holds."""
        if self.alive():
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=20)

    def stop(self, timeout: float = 20) -> None:
        """SIGTERM and wait (a worker finishes its round), SIGKILL if that takes too long."""
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log_file.close()


def _spawn(
    name: str,
    arguments: list[str],
    environment: dict[str, str],
    log_dir: Path,
    *,
    base: str | None = None,
    ready_line: str | None = None,
) -> CommandProcess:
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{name}.log"
    log_file = log_path.open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "app", *arguments],
        cwd=ROOT,
        env=environment,
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    return CommandProcess(name, process, log_path, log_file, base, ready_line)


def start_api(
    database_url: str, log_dir: Path, *, name: str = "api", port: int | None = None, **env: str
) -> CommandProcess:
    """`lienthong serve` on `database_url` (migrated by the caller when it is PostgreSQL);
    `env` as `hub_environment` takes it. The API processes of one `log_dir` share a data
    directory, so that without `jwt_private_key` they sign tokens with the one key the first
    of them generated."""
    port = port or free_port()
    environment = hub_environment(log_dir / "data", database_url, **env)
    return _spawn(
        name, ["serve", "--port", str(port)], environment, log_dir, base=f"http://127.0.0.1:{port}"
    )


def start_worker(
    database_url: str, log_dir: Path, *, name: str = "worker", **env: str
) -> CommandProcess:
    """`lienthong worker` on `database_url`."""
    environment = hub_environment(log_dir / "data", database_url, **env)
    # Printed once the worker's code is imported, just before it connects and starts polling.
    return _spawn(
        name, ["worker"], environment, log_dir, ready_line="delivery worker: sending the outbox"
    )


def start_fake_portal(
    secret: str, log_dir: Path, *, name: str = "portal", port: int | None = None
) -> CommandProcess:
    """`lienthong fake-portal`: deliveries to `<base>/callback`, receipts at `<base>/_received`."""
    port = port or free_port()
    return _spawn(
        name,
        ["fake-portal", "--port", str(port), "--secret", secret],
        hub_environment(log_dir / "data"),
        log_dir,
        base=f"http://127.0.0.1:{port}",
        ready_line="Uvicorn running on",  # uvicorn says so once it listens
    )


def wait_ready(*processes: CommandProcess, seconds: float = READY_SECONDS) -> None:
    """Until each answers (a server's /readyz) or shows its ready line; an exit or the deadline
    raises with the log."""
    deadline = time.monotonic() + seconds
    waiting = list(processes)
    while waiting:
        for p in list(waiting):
            if p.is_ready():
                waiting.remove(p)
            elif not p.alive():
                raise RuntimeError(f"{p.name} exited with {p.process.returncode}:\n{p.log()}")
        if time.monotonic() > deadline:
            logs = "\n".join(f"--- {p.name}\n{p.log()}" for p in waiting)
            raise RuntimeError(f"not ready after {seconds} s:\n{logs}")
        if waiting:
            time.sleep(0.1)


@dataclass
class ProcessGroup:
    """Processes started for one test, all stopped when it ends, whatever happens."""

    processes: list[CommandProcess] = field(default_factory=list)

    def add(self, process: CommandProcess) -> CommandProcess:
        self.processes.append(process)
        return process

    def stop_all(self) -> None:
        for process in reversed(self.processes):
            process.stop()


@contextmanager
def process_group() -> Iterator[ProcessGroup]:
    group = ProcessGroup()
    try:
        yield group
    finally:
        group.stop_all()
