"""The agency binding as SQL: which stored dossiers a client may see. It is the rule of
`domain.access.BOUND_BY`; a dossier outside it is answered 404, never 403."""

from sqlalchemy import ColumnElement, false, or_, true

from app.domain.access import Principal, sql_like
from app.models import DossierRow

_COLUMNS = {
    "receivingAgency": DossierRow.receiving_agency,
    "handlingAgency": DossierRow.handling_agency,
}


def visible_to(who: Principal) -> ColumnElement[bool]:
    member = who.bound_by
    if member is None:
        return true()
    if not who.agencies:
        return false()
    column = _COLUMNS[member]
    return or_(*(column.like(sql_like(p)) if "*" in p else column == p for p in who.agencies))
