"""The store on SQL: the query groups combined over one database backend."""

from __future__ import annotations

from pathlib import Path

from bot.store.db import Database, SqliteDatabase
from bot.store.migrations import migrate, schema_version
from bot.store.outbox import OutboxQueries
from bot.store.reminders import ReminderQueries
from bot.store.staff import StaffQueries
from bot.store.users import UserQueries


class SqlStore(UserQueries, ReminderQueries, OutboxQueries, StaffQueries):
    def __init__(self, db: Database) -> None:
        self.db = db

    async def close(self) -> None:
        await self.db.close()

    async def schema_version(self) -> int:
        return await schema_version(self.db)

    async def migrate(self) -> list[int]:
        """Bring the schema up to date; the versions applied."""
        return await migrate(self.db)


async def open_sqlite(path: Path | str) -> SqlStore:
    """Open (creating if needed) and upgrade a SQLite database in place."""
    store = SqlStore(await SqliteDatabase.open(path))
    try:
        await store.migrate()
    except BaseException:
        await store.close()
        raise
    return store
