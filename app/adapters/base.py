"""The adapter interface: pure translation between one external format and the common dossier,
both ways, with the fields the format cannot carry declared. Sending and receiving are not
here: an adapter never touches the database, settings or the network."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class NativeError:
    """A broken rule, located by the native field path (`data[3].NgayHenTra`)."""

    field: str
    message: str


@dataclass
class Translation:
    """One native document translated inbound: the common dossier as a snapshot (camelCase
    members, not yet validated), the native fields nothing mapped, and the errors."""

    native_path: str
    dossier: dict[str, Any] | None
    unmapped: list[str] = field(default_factory=list)
    errors: list[NativeError] = field(default_factory=list)
    # camelCase common path -> native path, to locate schema errors in the native document
    paths: dict[str, str] = field(default_factory=dict)


class Adapter(Protocol):
    system: str
    title: str
    version: str
    media_type: str
    lossy: Sequence[str]  # what the format cannot carry outbound (adapters/lossy.py)
    precision: str  # the finest part of a timestamp that survives: day, minute or second

    def inbound(self, payload: bytes) -> list[Translation]:
        """Split a payload into native documents and translate each one."""
        ...

    def outbound(self, dossier: dict[str, Any]) -> dict[str, Any]:
        """The native document of one stored common dossier."""
        ...

    def render(self, documents: list[dict[str, Any]]) -> bytes:
        """Native documents as the format's bytes."""
        ...
