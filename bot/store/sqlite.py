"""The SQLite backend (aiosqlite): one shared connection, the embedded default."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import time
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from bot.store.db import SQLITE, Connection, Row, StoreError, StoreUnavailable

# How long a write waits for another process's lock before giving up: long enough
# for a checkpoint or a backup step, short enough that nobody waits on a stuck lock.
LOCK_PATIENCE = 2.0
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


def file_identity(path: str) -> tuple[int, int] | None:
    """Which file is at ``path`` (device and inode); None if none, or in memory."""
    if path == MEMORY:
        return None
    try:
        status = os.stat(path)
    except FileNotFoundError:
        return None
    return status.st_dev, status.st_ino


class SqliteDatabase:
    """One shared aiosqlite connection; writes run in ``BEGIN IMMEDIATE`` transactions.

    A lock serialises transactions because concurrent handlers share the connection.
    """

    dialect = SQLITE

    def __init__(self, db: aiosqlite.Connection, path: str) -> None:
        self.db = db
        self.location = path
        self.lock = asyncio.Lock()
        self.identity = file_identity(path)
        # Set when the file was deleted or replaced under us: nothing more is
        # confirmed, since it would be lost at the next start.
        self.lost: str | None = None

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
            # Short: each attempt waits this long in SQLite; begin() bounds the total.
            "busy_timeout = 250",
        ):
            # Closed at once: an unfinished statement would hold a read snapshot open.
            async with db.execute(f"PRAGMA {pragma}"):
                pass
        return cls(db, str(path))

    async def close(self) -> None:
        await self.db.close()

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        with self.unavailable():
            cursor = await self.db.execute(sql, params)
            count = cursor.rowcount
            await cursor.close()
            return count

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        with self.unavailable():
            await self.db.executemany(sql, rows)

    async def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        with self.unavailable():
            async with self.db.execute(sql, params) as cursor:
                return list(await cursor.fetchall())

    async def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        with self.unavailable():
            async with self.db.execute(sql, params) as cursor:
                row: Row | None = await cursor.fetchone()
                return row

    @contextlib.contextmanager
    def unavailable(self) -> Iterator[None]:
        """A locked, full, read-only or damaged database as StoreUnavailable."""
        try:
            yield
        except (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError):
            raise  # a mistake in a query, not the database's state
        except sqlite3.DatabaseError as error:
            raise StoreUnavailable(f"{self.location}: {error}") from error

    async def verify(self) -> str | None:
        """Why the database can no longer be trusted (its file gone or replaced), if so."""
        if self.lost is None and self.identity is not None:
            now = await asyncio.to_thread(file_identity, self.location)
            if now != self.identity:
                what = "deleted" if now is None else "replaced by another file"
                self.lost = f"the database file {self.location} was {what} while the bot ran"
        return self.lost

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Connection]:
        """One write transaction on the shared connection, safe against cancellation.

        aiosqlite runs a statement even if the task awaiting it is cancelled, so
        BEGIN, COMMIT and ROLLBACK are shielded and a cancelled transaction is
        always rolled back: the connection is never left inside one.
        """
        if self.lost is not None:
            raise StoreUnavailable(self.lost)
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
        deadline = time.monotonic() + LOCK_PATIENCE
        delay = 0.005
        while True:
            try:
                await self.db.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                busy = "locked" in str(error) or "busy" in str(error)
                if not busy or time.monotonic() + delay > deadline:
                    raise StoreUnavailable(f"{self.location}: {error}") from error
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.25)
