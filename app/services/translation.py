"""Inbound translation checked against the common schema: each native item becomes a snapshot
to store, or a rejection whose errors name native fields (`data[0].NgayHenTra`)."""

from dataclasses import dataclass

from pydantic import ValidationError

from app.adapters.base import Adapter, NativeError, Translation
from app.adapters.xml_documents import UnreadableDocument
from app.domain.snapshots import Outcome
from app.errors import FieldError, InvalidInput
from app.schemas.dossier import DossierSnapshot
from app.services.sync import ItemResult


@dataclass
class Checked:
    translation: Translation
    snapshot: DossierSnapshot | None


def _native(translation: Translation, common: str) -> str:
    """The native path of a common member, or the nearest mapped parent's."""
    path = common
    while path:
        if path in translation.paths:
            return translation.paths[path]
        path = path.rpartition(".")[0]
    return f"{translation.native_path} ({common})" if translation.native_path else common


def check(adapter: Adapter, payload: bytes) -> list[Checked]:
    """Raises `InvalidInput` (422, nothing stored) for a payload that is no document at all."""
    checked: list[Checked] = []
    try:
        translations = adapter.inbound(payload)
    except UnreadableDocument as unreadable:
        raise InvalidInput(
            f"The body cannot be read: {unreadable}", errors=[FieldError("body", str(unreadable))]
        ) from None
    for translation in translations:
        snapshot = None
        if translation.dossier is not None:
            try:
                snapshot = DossierSnapshot.model_validate(translation.dossier)
            except ValidationError as invalid:
                for error in invalid.errors():
                    common = ".".join(
                        f"[{p}]" if isinstance(p, int) else str(p) for p in error["loc"]
                    ).replace(".[", "[")
                    message = error["msg"].removeprefix("Value error, ")
                    translation.errors.append(NativeError(_native(translation, common), message))
        checked.append(Checked(translation, snapshot if not translation.errors else None))
    return checked


def as_sync_items(checked: list[Checked]) -> list[DossierSnapshot | ItemResult]:
    items: list[DossierSnapshot | ItemResult] = []
    for entry in checked:
        if entry.snapshot is not None:
            items.append(entry.snapshot)
        else:
            code = (entry.translation.dossier or {}).get("code")
            items.append(
                ItemResult(
                    code if isinstance(code, str) else None,
                    Outcome.REJECTED,
                    problem=InvalidInput.code,
                    errors=[FieldError(e.field, e.message) for e in entry.translation.errors],
                )
            )
    return items
