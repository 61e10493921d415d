"""Path segments with rules of their own. `/dossiers/export` is a resource of its own: the
dossier `{code}` segment never takes the word `export`, so `PUT /dossiers/export` is 405 (with
`Allow: GET`) rather than a snapshot for a dossier coded "export"."""

from starlette.convertors import Convertor, register_url_convertor

RESERVED = ("export",)


class DossierCodeSegment(Convertor[str]):
    regex = "(?!(?:" + "|".join(RESERVED) + ")$)[^/]+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("dossier_code", DossierCodeSegment())
DOSSIER = "/{code:dossier_code}"
