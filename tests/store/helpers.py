"""Rows and readers shared by the store tests."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.store import NewReminder, SqlStore, Status

NOW = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)
ZONE = "Europe/London"


def new(
    user_id: int = 1,
    due: datetime = NOW,
    text: str = "Bring passport",
    stage: str | None = None,
) -> NewReminder:
    return NewReminder(user_id, user_id + 100, text, due, ZONE, stage=stage)


async def add(store: SqlStore, *reminders: NewReminder) -> list[int]:
    for user_id in {r.user_id for r in reminders}:
        await store.touch_user(user_id, user_id + 100, NOW)
    return await store.add_reminders(list(reminders), NOW)


async def status(store: SqlStore, reminder_id: int) -> Status:
    reminder = await store.get_reminder(reminder_id)
    assert reminder is not None
    return reminder.status


async def claimant(store: SqlStore, reminder_id: int) -> str | None:
    row = await store.fetch_one("SELECT claimed_by FROM reminders WHERE id = ?", (reminder_id,))
    assert row is not None
    return row[0]


async def versions(store: SqlStore) -> list[int]:
    rows = await store.fetch("SELECT version FROM schema_version ORDER BY version")
    return [row[0] for row in rows]


async def columns(store: SqlStore, table: str) -> list[str]:
    if store.backend == "sqlite":
        return [row["name"] for row in await store.fetch(f"PRAGMA table_info({table})")]
    rows = await store.fetch(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
        "AND table_schema = current_schema() ORDER BY ordinal_position",
        (table,),
    )
    return [row[0] for row in rows]


async def schema_objects(store: SqlStore) -> set[str]:
    """The names of the tables and indexes in the database."""
    if store.backend == "sqlite":
        return {row[0] for row in await store.fetch("SELECT name FROM sqlite_master")}
    rows = await store.fetch(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
        "UNION SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
    )
    return {row[0] for row in rows}
