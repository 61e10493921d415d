"""SQLAlchemy tables: the persistence shape, never returned raw to clients."""

from app.models.catalog import (
    AgencyRow,
    CalendarOverrideRow,
    DossierCodeCounterRow,
    ProcedureRow,
)
from app.models.client import ClientRow
from app.models.delivery import DeliveryRow, SubscriptionRow
from app.models.dossier import DossierRow, HistoryRow
from app.models.feed import ChangeRow, FeedSequenceRow
from app.models.idempotency import IdempotencyRow
from app.models.transfer import TransferRow

__all__ = [
    "AgencyRow",
    "CalendarOverrideRow",
    "ChangeRow",
    "ClientRow",
    "DeliveryRow",
    "DossierCodeCounterRow",
    "DossierRow",
    "FeedSequenceRow",
    "HistoryRow",
    "IdempotencyRow",
    "ProcedureRow",
    "SubscriptionRow",
    "TransferRow",
]
