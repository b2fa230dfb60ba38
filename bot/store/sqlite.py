"""The SQLite backend (aiosqlite): one shared connection, the embedded default."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from bot.store.db import SQLITE, Connection, Row, StoreError

BEGIN_RETRIES = 30
MEMORY = ":memory:"


def probe_sqlite(path: Path) -> None:
    """Raise StoreError unless a SQLite database at ``path`` can be opened and written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.closing(sqlite3.connect(path)) as db, db:
            db.execute("CREATE TABLE IF NOT EXISTS schema_version_probe (x)")
            db.execute("DROP TABLE schema_version_probe")
    except (OSError, sqlite3.Error) as error:
        raise StoreError(str(error)) from error


class SqliteDatabase:
    """One shared aiosqlite connection; writes run in ``BEGIN IMMEDIATE`` transactions.

    A lock serialises transactions because concurrent handlers share the connection.
    """

    dialect = SQLITE

    def __init__(self, db: aiosqlite.Connection, path: str) -> None:
        self.db = db
        self.location = path
        self.lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path | str) -> SqliteDatabase:
        if str(path) != MEMORY:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        db = await aiosqlite.connect(str(path), isolation_level=None)
        db.row_factory = aiosqlite.Row
        for pragma in (
            "journal_mode = WAL",
            "synchronous = NORMAL",
            "foreign_keys = ON",
            "busy_timeout = 5000",
        ):
            # Closed at once: an unfinished statement would hold a read snapshot open.
            async with db.execute(f"PRAGMA {pragma}"):
                pass
        return cls(db, str(path))

    async def close(self) -> None:
        await self.db.close()

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        cursor = await self.db.execute(sql, params)
        count = cursor.rowcount
        await cursor.close()
        return count

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        await self.db.executemany(sql, rows)

    async def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        async with self.db.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    async def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        async with self.db.execute(sql, params) as cursor:
            row: Row | None = await cursor.fetchone()
            return row

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Connection]:
        """One write transaction on the shared connection, safe against cancellation.

        aiosqlite runs a statement even if the task awaiting it is cancelled, so
        BEGIN, COMMIT and ROLLBACK are shielded and a cancelled transaction is
        always rolled back: the connection is never left inside one.
        """
        async with self.lock:
            begin = asyncio.ensure_future(self.begin())
            try:
                await asyncio.shield(begin)
            except BaseException:
                with contextlib.suppress(BaseException):
                    await begin
                await self.rollback()
                raise
            try:
                yield self
            except BaseException:
                await self.rollback()
                raise
            try:
                await asyncio.shield(self.db.execute("COMMIT"))
            except asyncio.CancelledError:
                raise  # the shielded COMMIT still completes
            except Exception:
                await self.rollback()
                raise

    async def rollback(self) -> None:
        if self.db.in_transaction:
            await asyncio.shield(self.db.execute("ROLLBACK"))

    async def begin(self) -> None:
        """BEGIN IMMEDIATE, retried while another connection holds the write lock.

        SQLite's busy timeout covers most waits, but in WAL mode some conflicts
        between connections are reported at once as "database is locked".
        """
        delay = 0.005
        for _ in range(BEGIN_RETRIES):
            try:
                await self.db.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) and "busy" not in str(error):
                    raise
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.5)
        await self.db.execute("BEGIN IMMEDIATE")
