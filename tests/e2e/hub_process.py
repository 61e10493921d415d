"""The hub as a real process on 127.0.0.1, for tests that drive it from outside."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_hub(data_dir: Path, **env: str) -> Iterator[str]:
    """`lienthong serve` on the embedded database in `data_dir` (or on `database_url=`, already
    migrated); `env` are settings without their `HUB_` prefix. Yields the base URL."""
    port = free_port()
    environment = {**os.environ, "HUB_DATA_DIR": str(data_dir), "HUB_LOG_LEVEL": "WARNING"}
    environment.pop("HUB_DATABASE_URL", None)  # the embedded database unless `database_url=`
    environment.update({f"HUB_{k.upper()}": v for k, v in env.items()})
    log = (data_dir / "hub.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "serve", "--port", str(port)],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((data_dir / "hub.log").read_text())
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()
