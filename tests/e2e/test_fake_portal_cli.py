"""`lienthong fake-portal` as the demo runs it: a real process that takes a signed delivery."""

import subprocess
import sys

import httpx

from tests.e2e.hub_process import ROOT, free_port
from tests.fakes import deliver


def test_the_fake_portal_command_serves_signed_deliveries() -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "fake-portal", "--port", str(port), "--secret", "S"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        # uvicorn says so once it listens; an early exit ends the output instead.
        output = []
        for line in process.stdout:
            output.append(line)
            if "Uvicorn running on" in line:
                break
        assert process.poll() is None, "".join(output)
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(timeout=10) as client:
            assert deliver(client, f"{base}/callback", "S", b"{}", "1").status_code == 200
            assert deliver(client, f"{base}/callback", "T", b"{}", "2").status_code == 401
            outcomes = [r["outcome"] for r in client.get(f"{base}/_received").json()]
        assert outcomes == ["accepted", "rejected"]
    finally:
        process.terminate()
        process.wait(timeout=20)
        if process.stdout is not None:
            process.stdout.close()
