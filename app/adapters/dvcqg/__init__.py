"""`dvcqg`: the National Public Service Portal's sync format (DongBoHoSoMC)."""

from app.adapters.dvcqg.translation import DvcqgAdapter

__all__ = ["DvcqgAdapter"]
