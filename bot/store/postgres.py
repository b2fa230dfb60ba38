"""The PostgreSQL backend (asyncpg): a connection pool, for hosted platforms and
several instances sharing one database.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from asyncpg.pool import PoolConnectionProxy

from bot.store.db import POSTGRES, Connection, Row, StoreError, StoreUnavailable

POOL_SIZE = 10
ACQUIRE_TIMEOUT = 10.0  # seconds to wait for a free connection before giving up
# Quoted strings are skipped; every other ? is a placeholder.
PLACEHOLDER = re.compile(r"'(?:[^']|'')*'|\?")
# What "the database is not there" looks like: the host refuses, the server is
# starting or stopping, or it has no connection slot left.
UNAVAILABLE = (
    OSError,  # TimeoutError among them
    asyncpg.QueryCanceledError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.CannotConnectNowError,
    asyncpg.InsufficientResourcesError,
)


@lru_cache(maxsize=512)
def numbered(sql: str) -> str:
    """``?`` placeholders as PostgreSQL's ``$1, $2, ...``."""
    count = 0

    def number(match: re.Match[str]) -> str:
        nonlocal count
        if match[0] != "?":
            return match[0]
        count += 1
        return f"${count}"

    return PLACEHOLDER.sub(number, sql)


def changed(status: str) -> int:
    """Rows changed, from a status tag such as 'UPDATE 3' or 'INSERT 0 1'."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


def without_password(url: str) -> str:
    """The URL as it may be shown: user, host and database, never the password."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    user = f"{parts.username}:***@" if parts.username else "***@"
    return urlunsplit((parts.scheme, f"{user}{host}{port}", parts.path, "", ""))


@contextmanager
def unavailable(where: str) -> Iterator[None]:
    """An unreachable or overloaded server as StoreUnavailable."""
    try:
        yield
    except UNAVAILABLE as error:
        raise StoreUnavailable(f"{where}: {type(error).__name__}: {error}") from error


class PostgresConnection:
    """One pooled connection, inside a transaction."""

    def __init__(self, connection: asyncpg.Connection | PoolConnectionProxy, where: str) -> None:
        self.connection = connection
        self.where = where

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        with unavailable(self.where):
            return changed(await self.connection.execute(numbered(sql), *params))

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        with unavailable(self.where):
            await self.connection.executemany(numbered(sql), list(rows))

    async def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        with unavailable(self.where):
            return list(await self.connection.fetch(numbered(sql), *params))

    async def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        with unavailable(self.where):
            row: Row | None = await self.connection.fetchrow(numbered(sql), *params)
            return row


class PostgresDatabase:
    dialect = POSTGRES

    def __init__(self, pool: asyncpg.Pool, url: str) -> None:
        self.pool = pool
        self.location = without_password(url)

    @classmethod
    async def open(cls, url: str, *, size: int = POOL_SIZE) -> PostgresDatabase:
        try:
            pool = await asyncpg.create_pool(url, min_size=1, max_size=size)
        except (*UNAVAILABLE, asyncpg.PostgresError) as error:
            # The driver's message names host and database, never the password.
            raise StoreError(f"{without_password(url)}: {error}") from error
        return cls(pool, url)

    async def close(self) -> None:
        await self.pool.close()

    async def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        with unavailable(self.location):
            async with self.pool.acquire(timeout=ACQUIRE_TIMEOUT) as connection:
                return list(await connection.fetch(numbered(sql), *params))

    async def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        with unavailable(self.location):
            async with self.pool.acquire(timeout=ACQUIRE_TIMEOUT) as connection:
                row: Row | None = await connection.fetchrow(numbered(sql), *params)
                return row

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Connection]:
        with unavailable(self.location):
            async with (
                self.pool.acquire(timeout=ACQUIRE_TIMEOUT) as connection,
                connection.transaction(),
            ):
                yield PostgresConnection(connection, self.location)

    async def verify(self) -> str | None:
        return None  # a server's data does not vanish under a client
