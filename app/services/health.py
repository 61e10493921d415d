"""Whether the database answers, for readiness checks."""

import asyncio

from sqlalchemy import text

from app.db import Database


async def database_answers(db: Database, within: float = 2.0) -> bool:
    try:
        async with asyncio.timeout(within), db.transaction(write=False) as session:
            await session.execute(text("SELECT 1"))
    except Exception:  # any failure to answer means "not ready", never a 500
        return False
    return True
