"""A fourth system added with a mapping file alone, no Python (docs/adapters.md): the hub
reads it from HUB_ADAPTER_MAPPINGS_DIR at start and speaks the new format both ways."""

import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from app.settings import Settings
from tests.auth import admin_of_hub

FOURTH = Path(__file__).resolve().parents[1] / "fixtures" / "adapters" / "fourth"
SAMPLE = json.loads((FOURTH / "sample.json").read_text(encoding="utf-8"))


@pytest.fixture
async def hub(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with admin_of_hub(settings, adapter_mappings_dir=FOURTH) as c:
        yield c


async def test_the_fourth_system_is_registered_from_its_mapping_file(
    hub: httpx.AsyncClient,
) -> None:
    systems = [a["system"] for a in (await hub.get("/adapters")).json()]
    assert systems == ["dvcqg", "legacy-xml", "lgsp-json", "hue-json"]


async def test_the_fourth_system_syncs_and_renders_its_own_format(hub: httpx.AsyncClient) -> None:
    stored = await hub.post("/adapters/hue-json/dossiers", json=SAMPLE)
    assert [r["outcome"] for r in stored.json()["results"]] == ["created"]
    dossier = (await hub.get(f"/dossiers/{SAMPLE['so_ho_so']}")).json()
    assert (dossier["status"], dossier["channel"]) == ("processing", "online")
    assert dossier["receivedAt"] == "2025-12-01T09:45:00+07:00"
    assert dossier["ext"] == {"hueJson": {"ghi_chu_noi_bo": "ưu tiên"}}
    rendered = await hub.get(f"/adapters/hue-json/dossiers/{SAMPLE['so_ho_so']}")
    assert rendered.json() == SAMPLE
