"""SQLAlchemy tables: the persistence shape, never returned raw to clients."""

from app.models.catalog import (
    AgencyRow,
    CalendarOverrideRow,
    DossierCodeCounterRow,
    ProcedureRow,
)
from app.models.client import ClientRow
from app.models.dossier import DossierRow, HistoryRow
from app.models.idempotency import IdempotencyRow

__all__ = [
    "AgencyRow",
    "CalendarOverrideRow",
    "ClientRow",
    "DossierCodeCounterRow",
    "DossierRow",
    "HistoryRow",
    "IdempotencyRow",
    "ProcedureRow",
]
