"""The systems the hub speaks to, by name: an explicit registry, no discovery by import."""

from app.adapters.base import Adapter
from app.adapters.dvcqg import DvcqgAdapter

ADAPTERS: dict[str, Adapter] = {adapter.system: adapter for adapter in (DvcqgAdapter(),)}
