"""`lienthong import FILE.ndjson`: loads an export into a hub, reports the outcomes, and a
rerun after an interruption writes only what is missing."""

from pathlib import Path

import orjson
import pytest

from app import importer
from app.cli import main
from app.settings import Settings
from tests.factories import code_of, snapshot


def _write(path: Path, lines: list[bytes]) -> Path:
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def _lines(count: int) -> list[bytes]:
    return [orjson.dumps(snapshot(code=code_of(n))) for n in range(1, count + 1)]


async def test_an_interrupted_import_resumes_where_it_stopped(
    settings: Settings, tmp_path: Path
) -> None:
    lines = _lines(12)
    half = await importer.run(
        settings, _write(tmp_path / "half.ndjson", lines[:5]), 1, progress=False
    )
    whole = await importer.run(settings, _write(tmp_path / "all.ndjson", lines), 1, progress=False)

    assert half.outcomes == {"created": 5}
    assert whole.outcomes == {"unchanged": 5, "created": 7}
    assert whole.rejected == []


async def test_bad_lines_are_reported_by_number_and_the_rest_is_stored(
    settings: Settings, tmp_path: Path
) -> None:
    bad = orjson.dumps(snapshot(code=code_of(3), channel="fax"))
    path = _write(tmp_path / "mixed.ndjson", [*_lines(2), b"{not json", bad])

    summary = await importer.run(settings, path, 1, progress=False)

    assert summary.outcomes == {"created": 2, "rejected": 2}
    assert [line for line, _ in summary.rejected] == [3, 4]
    assert "channel" in summary.rejected[1][1]


@pytest.mark.parametrize("engine", ["sqlite"])
def test_the_command_prints_a_summary_and_fails_on_rejected_lines(
    settings: Settings,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HUB_DATABASE_URL", settings.effective_database_url)
    monkeypatch.setenv("HUB_DATA_DIR", str(tmp_path))
    good = _write(tmp_path / "good.ndjson", _lines(3))
    bad = _write(tmp_path / "bad.ndjson", [b"[]"])

    assert main(["import", str(good)]) == 0
    assert "imported 3 lines: 3 created" in capsys.readouterr().out
    assert main(["import", str(bad)]) == 1
    assert "line 1:" in capsys.readouterr().out
