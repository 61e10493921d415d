"""The agency binding as SQL: which stored dossiers a client may see. It is the rule of
`domain.access.BOUND_BY`, extended by transfers: a client also sees a dossier transferred to one
of its agencies, from the moment it is sent, for good unless the transfer is rejected (what a
receiver may read after completing it: docs/feed.md). A dossier outside it is answered 404,
never 403."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, exists, false, or_, true

from app.domain.access import Principal, sql_like
from app.models import DossierRow, TransferRow

_COLUMNS = {
    "receivingAgency": DossierRow.receiving_agency,
    "handlingAgency": DossierRow.handling_agency,
}


def matching(column: Any, patterns: Sequence[str]) -> ColumnElement[bool]:
    """The column holds an agency one of the patterns covers."""
    return or_(*(column.like(sql_like(p)) if "*" in p else column == p for p in patterns))


def visible_to(who: Principal) -> ColumnElement[bool]:
    member = who.bound_by
    if member is None:
        return true()
    if not who.agencies:
        return false()
    transferred = exists().where(
        TransferRow.dossier_id == DossierRow.id,
        TransferRow.status != "rejected",
        matching(TransferRow.to_agency, who.agencies),
    )
    return or_(matching(_COLUMNS[member], who.agencies), transferred)
