"""The compose files, read as data: there is no Docker engine where the suite runs, so
`docker compose config` cannot check them; this checks what would break the topology."""

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SCALE = ROOT / "deploy" / "compose.scale.yaml"
HUB_IMAGE_SERVICES = ("migrate", "api-1", "api-2", "worker")


def _compose(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(path.read_text())
    return document


def _command(service: dict[str, Any]) -> list[str]:
    command: list[str] = service.get("command", [])
    return command


@pytest.mark.parametrize("path", [ROOT / "compose.yaml", SCALE], ids=lambda p: p.name)
def test_every_hub_variable_of_a_compose_file_is_a_setting(path: Path) -> None:
    fields = {f"HUB_{name.upper()}" for name in Settings.model_fields}
    for name, service in _compose(path)["services"].items():
        environment = service.get("environment", {})
        unknown = {k for k in environment if k.startswith("HUB_")} - fields
        assert not unknown, f"{path.name} {name}: {sorted(unknown)}"


def test_the_scale_topology_has_its_parts() -> None:
    services = _compose(SCALE)["services"]
    apis = [n for n, s in services.items() if "serve" in _command(s)]
    assert len(apis) >= 2
    assert services["worker"]["deploy"]["replicas"] >= 2
    assert _command(services["worker"])[-1] == "worker"
    assert "db-primary" in services and "db-replica" in services and "lb" in services


def test_every_dependency_and_mounted_file_exists() -> None:
    services = _compose(SCALE)["services"]
    for name, service in services.items():
        for target in service.get("depends_on", {}):
            assert target in services, f"{name} waits for a missing {target}"
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                assert (SCALE.parent / source).is_file(), f"{name} mounts a missing {source}"


def test_migrations_run_once_before_the_replicas_and_workers() -> None:
    services = _compose(SCALE)["services"]
    assert _command(services["migrate"])[-1] == "migrate"
    assert services["migrate"]["restart"] == "no"
    for name in HUB_IMAGE_SERVICES[1:]:
        assert "migrate" not in _command(services[name]), name
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }


def test_every_hub_process_shares_the_primary_and_the_signing_key() -> None:
    services = _compose(SCALE)["services"]
    environments = [services[name]["environment"] for name in HUB_IMAGE_SERVICES]
    for key in ("HUB_DATABASE_URL", "HUB_JWT_PRIVATE_KEY", "HUB_DELIVERY_WORKER"):
        assert len({e[key] for e in environments}) == 1, key
    assert "@db-primary:5432/" in environments[0]["HUB_DATABASE_URL"]
    assert environments[0]["HUB_DELIVERY_WORKER"] == "off"
    admins = [
        n for n in HUB_IMAGE_SERVICES if "HUB_ADMIN_CLIENT_SECRET" in services[n]["environment"]
    ]
    assert admins == ["api-1"], "only one replica may create the first admin"


def test_the_load_balancer_sends_to_every_api_replica_and_only_them() -> None:
    services = _compose(SCALE)["services"]
    apis = {n for n, s in services.items() if "serve" in _command(s)}
    upstream = set(
        re.findall(r"^\s*server\s+([\w-]+):8000\b", (SCALE.parent / "nginx.conf").read_text(), re.M)
    )
    assert upstream == apis
    assert set(services["lb"]["depends_on"]) == apis
