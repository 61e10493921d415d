"""The committed contract files are exactly what the code generates."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _exporter():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "export_openapi", ROOT / "scripts" / "export_openapi.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_openapi_documents_match_the_code() -> None:
    exporter = _exporter()
    for name, document in exporter.documents().items():
        committed = (ROOT / "openapi" / name).read_text(encoding="utf-8")
        assert committed == exporter.render(document), (
            f"openapi/{name} is out of date: run `make openapi` and commit the result"
        )
