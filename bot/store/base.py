"""What every group of queries shares: the database, and rows turned into values."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.store.db import Database, Row, from_epoch, maybe_epoch
from bot.store.rows import Kind, Reminder, Status, User


class Queries:
    """A mixin of query methods over ``self.db``; SqlStore combines them."""

    db: Database

    async def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """Read rows directly; for tests and tools that inspect the tables."""
        return await self.db.fetch(sql, params)

    async def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        return await self.db.fetch_one(sql, params)

    async def scalar(self, sql: str, params: Sequence[Any] = ()) -> int:
        row = await self.db.fetch_one(sql, params)
        return int(row[0]) if row and row[0] is not None else 0


def marks(count: int) -> str:
    """``?, ?, ?`` for an IN list of ``count`` values."""
    return ", ".join("?" * count)


def user_row(row: Row) -> User:
    return User(
        user_id=row["user_id"],
        chat_id=row["chat_id"],
        timezone=row["timezone"],
        stage=row["stage"],
        stage_at=maybe_epoch(row["stage_at"]),
        stage_local=row["stage_local"],
        active=bool(row["active"]),
        created_at=from_epoch(row["created_at"]),
        last_seen_at=from_epoch(row["last_seen_at"]),
        default_reminders=bool(row["default_reminders"])
        if has(row, "default_reminders")
        else True,
    )


def has(row: Row, column: str) -> bool:
    """Whether the row has ``column``: tools and tests open databases older than the code."""
    return column in set(row.keys())


def reminder_row(row: Row) -> Reminder:
    return Reminder(
        id=row["id"],
        user_id=row["user_id"],
        chat_id=row["chat_id"],
        text=row["text"],
        due_at=from_epoch(row["due_at"]),
        local_time=row["local_time"],
        timezone=row["timezone"],
        stage=row["stage"],
        status=Status(row["status"]),
        run_at=from_epoch(row["run_at"]),
        attempts=row["attempts"],
        sent_at=maybe_epoch(row["sent_at"]),
        last_error=row["last_error"],
        kind=Kind(row["kind"]),
        broadcast_id=row["broadcast_id"],
        number=row["number"],
        slot=row["slot"],
        ticket_id=row["ticket_id"],
    )
