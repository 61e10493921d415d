"""Write the contract files generated from the code: `openapi.json` (the API) and
`dossier.schema.json` (the JSON Schema of the common dossier). CI diffs them against openapi/."""

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.main import create_app  # noqa: E402
from app.schemas.dossier import Dossier, DossierSnapshot  # noqa: E402
from app.settings import Settings  # noqa: E402


def documents() -> dict[str, dict[str, Any]]:
    app = create_app(Settings(_env_file=None))  # type: ignore[call-arg]
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:lienthong:schema:dossier:v1",
        "title": "Liên thông common dossier (hồ sơ), v1",
        "description": "STANDARD.md section 3. `Dossier` is what the hub answers; "
        "`DossierSnapshot` is what a source system sends.",
        "$defs": {},
        "oneOf": [{"$ref": "#/$defs/Dossier"}, {"$ref": "#/$defs/DossierSnapshot"}],
    }
    for model in (Dossier, DossierSnapshot):
        part = model.model_json_schema(ref_template="#/$defs/{model}", by_alias=True)
        schema["$defs"].update(part.pop("$defs", {}))
        schema["$defs"][model.__name__] = part
    return {"openapi.json": app.openapi(), "dossier.schema.json": schema}


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "openapi")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, document in documents().items():
        (args.out / name).write_text(render(document), encoding="utf-8")
        print(f"wrote {args.out / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
