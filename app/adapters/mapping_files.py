"""Reading mapping files: those shipped in `app/adapters/mappings/` and those in the folder
`HUB_ADAPTER_MAPPINGS_DIR` names. A bad file stops the start, naming the file and the rule."""

import tomllib
from pathlib import Path

from pydantic import ValidationError

from app.adapters.mapping import MappedAdapter, Mapping

PACKAGED = Path(__file__).resolve().parent / "mappings"


class MappingFileError(Exception):
    """A mapping file that cannot be used; the message names the file and the rule."""


def load(path: Path) -> MappedAdapter:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise MappingFileError(f"{path}: cannot be read as TOML: {error}") from None
    try:
        return MappedAdapter(Mapping.model_validate(data))
    except ValidationError as invalid:
        first = invalid.errors()[0]
        rule = ".".join(str(p) for p in first["loc"]) or "(the file)"
        raise MappingFileError(f"{path}: {rule}: {first['msg']}") from None


def load_all(extra: Path | None) -> list[MappedAdapter]:
    folders = [PACKAGED] + ([extra] if extra is not None else [])
    return [load(path) for folder in folders for path in sorted(folder.glob("*.toml"))]
