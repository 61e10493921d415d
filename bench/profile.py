"""`make bench ARGS=--profile`: py-spy samples the server while a load runs, and the busiest
functions are summed up in var/bench/<name>-top.txt (the raw stacks sit beside it, for
flame-graph tools). Samples of an idle event loop are left out, so the shares are of the
CPU time the server spent."""

import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.server import Process

OUT = Path("var/bench")
RATE = 250  # samples a second


@contextmanager
def recording(server: Process, name: str, *, enabled: bool) -> Iterator[None]:
    if not enabled:
        yield
        return
    OUT.mkdir(parents=True, exist_ok=True)
    raw = OUT / f"{name}.stacks"
    spy = Path(sys.executable).parent / "py-spy"
    command = [str(spy), "record", "--pid", str(server.pid), "--rate", str(RATE)]
    command += ["--format", "raw", "--output", str(raw), "--nonblocking"]
    recorder = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield
    finally:
        recorder.send_signal(signal.SIGINT)
        recorder.wait(timeout=60)
        if raw.exists():
            (OUT / f"{name}-top.txt").write_text(summary(raw), encoding="utf-8")


def _frame(frame: str) -> str:
    """`function (path/to/file.py:12)` without the line, and the path from the package on."""
    function, _, where = frame.partition(" (")
    path = where.rsplit(":", 1)[0]
    for root in ("site-packages/", "/app/", "/bench/", "lib/python3"):
        if root in path:
            path = root.strip("/").split("/")[-1] + "/" + path.split(root, 1)[1]
            break
    return f"{function} ({path})"


def summary(raw: Path, top: int = 45) -> str:
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in raw.read_text(encoding="utf-8").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack:
            continue
        count = int(count_text)
        frames = [_frame(f) for f in stack.split(";") if f]
        total += count
        for frame in set(frames):
            inclusive[frame] += count
        if frames:
            own[frames[-1]] += count
    lines = [f"{total} samples at {RATE}/s ({total / RATE:.1f} s of CPU)", "", "inclusive:"]
    lines += [f"{100 * n / total:5.1f}%  {frame}" for frame, n in inclusive.most_common(top)]
    lines += ["", "own:"]
    lines += [f"{100 * n / total:5.1f}%  {frame}" for frame, n in own.most_common(top // 2)]
    return "\n".join(lines) + "\n"
