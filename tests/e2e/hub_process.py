"""The hub as a real process on 127.0.0.1, for tests that drive it from outside: started on the
embedded database or on a database URL, stopped politely or killed, and its CLI run alike."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def hub_environment(data_dir: Path, database_url: str | None = None, **env: str) -> dict[str, str]:
    """The environment of a hub process: the embedded database in `data_dir` unless
    `database_url` is given, and `HUB_<NAME>` for every `name=value` of `env`."""
    environment = {
        **os.environ,
        "HUB_DATA_DIR": str(data_dir),
        "HUB_LOG_LEVEL": "WARNING",
        **{f"HUB_{k.upper()}": v for k, v in env.items()},
    }
    environment.pop("HUB_DATABASE_URL", None)
    if database_url is not None:
        environment["HUB_DATABASE_URL"] = database_url
    return environment


@dataclass
class HubProcess:
    """A running `lienthong serve` and the base URL it answers on."""

    process: subprocess.Popen[bytes]
    base: str
    log: Path

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush, no lifespan end; as a power cut is to the process."""
        self.process.kill()
        self.process.wait(timeout=20)

    def stop(self) -> None:
        """SIGTERM and wait, as an orchestrator stops a replica."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=20)


def start_hub(
    data_dir: Path,
    *,
    database_url: str | None = None,
    command: tuple[str, ...] = ("serve",),
    **env: str,
) -> HubProcess:
    """Start `lienthong serve` (or another `command` that serves, such as `demo --serve`) and
    return once `/readyz` answers 200. Its output is appended to
    `data_dir/hub.log`, so that the log of a restarted hub follows the killed one's."""
    port = free_port()
    log_path = data_dir / "hub.log"
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "app", *command, "--port", str(port)],
            cwd=ROOT,
            env=hub_environment(data_dir, database_url, **env),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    hub = HubProcess(process, f"http://127.0.0.1:{port}", log_path)
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{hub.base}/readyz", timeout=1).status_code == 200:
                return hub
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            if process.poll() is None:
                hub.kill()
            raise RuntimeError(log_path.read_text())
        time.sleep(0.1)


@contextmanager
def running_hub(
    data_dir: Path,
    *,
    database_url: str | None = None,
    command: tuple[str, ...] = ("serve",),
    **env: str,
) -> Iterator[str]:
    """`lienthong serve` (or `command`) for the duration of the block; yields the base URL."""
    hub = start_hub(data_dir, database_url=database_url, command=command, **env)
    try:
        yield hub.base
    finally:
        hub.stop()


def run_cli(
    data_dir: Path, *args: str, database_url: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """`lienthong ARGS...` on the same database a hub of these arguments would use."""
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=ROOT,
        env=hub_environment(data_dir, database_url, **env),
        capture_output=True,
        text=True,
        timeout=120,
    )
