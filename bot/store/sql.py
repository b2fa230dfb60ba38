"""The store on SQL: the query groups combined over one database backend."""

from __future__ import annotations

from pathlib import Path

from bot.store.budget import BudgetQueries
from bot.store.conversations import ConversationQueries
from bot.store.db import Database
from bot.store.dialogs import DialogQueries
from bot.store.instances import InstanceQueries
from bot.store.knowledge import KnowledgeQueries
from bot.store.migrations import migrate, schema_version
from bot.store.outbox import OutboxQueries
from bot.store.reminders import ReminderQueries
from bot.store.sqlite import SqliteDatabase
from bot.store.staff import StaffQueries
from bot.store.tickets import TicketQueries
from bot.store.users import UserQueries


class SqlStore(
    UserQueries,
    ReminderQueries,
    OutboxQueries,
    StaffQueries,
    ConversationQueries,
    InstanceQueries,
    BudgetQueries,
    DialogQueries,
    TicketQueries,
    KnowledgeQueries,
):
    def __init__(self, db: Database) -> None:
        self.db = db
        self.created = False  # True when opening it created the schema from nothing

    @property
    def backend(self) -> str:
        return self.db.dialect.name

    @property
    def location(self) -> str:
        return self.db.location

    async def close(self) -> None:
        await self.db.close()

    async def verify(self) -> str | None:
        return await self.db.verify()

    async def schema_version(self) -> int:
        return await schema_version(self.db)

    async def migrate(self) -> list[int]:
        """Bring the schema up to date; the versions applied."""
        applied = await migrate(self.db)
        self.created = self.created or 1 in applied
        return applied


async def opened(db: Database) -> SqlStore:
    """The store over ``db``, its schema upgraded in place."""
    store = SqlStore(db)
    try:
        await store.migrate()
    except BaseException:
        await store.close()
        raise
    return store


async def open_sqlite(path: Path | str) -> SqlStore:
    """Open (creating if needed) and upgrade a SQLite database."""
    return await opened(await SqliteDatabase.open(path))


async def open_postgres(url: str) -> SqlStore:
    """Connect to and upgrade a PostgreSQL database (``postgres://`` or ``postgresql://``)."""
    # Imported here: asyncpg costs start-up time that SQLite deployments never need.
    from bot.store.postgres import PostgresDatabase

    return await opened(await PostgresDatabase.open(url))


async def open_store(database: Path, url: str | None = None) -> SqlStore:
    """PostgreSQL when ``url`` (DATABASE_URL) is given, else the SQLite file ``database``."""
    return await open_postgres(url) if url else await open_sqlite(database)
