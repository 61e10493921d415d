"""SQLAlchemy tables: the persistence shape, never returned raw to clients."""

from app.models.dossier import DossierRow, HistoryRow
from app.models.idempotency import IdempotencyRow

__all__ = ["DossierRow", "HistoryRow", "IdempotencyRow"]
