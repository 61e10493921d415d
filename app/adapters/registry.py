"""The systems the hub speaks to, by name: code adapters listed here, mapping-file adapters
read at start. Explicit: nothing is discovered by import."""

from pathlib import Path

from app.adapters.base import Adapter
from app.adapters.dvcqg import DvcqgAdapter
from app.adapters.mapping_files import MappingFileError, load_all


def build(extra_mappings: Path | None = None) -> dict[str, Adapter]:
    adapters: list[Adapter] = [DvcqgAdapter(), *load_all(extra_mappings)]
    registry: dict[str, Adapter] = {}
    for adapter in adapters:
        if adapter.system in registry:
            raise MappingFileError(f"two adapters are named {adapter.system!r}")
        registry[adapter.system] = adapter
    return registry
