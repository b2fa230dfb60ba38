"""Upgrading a database made before the staff tools (schema version 1) in place."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

import bot.store.migrations
from bot.store import Kind, SqlStore, Status, open_sqlite
from bot.store.db import to_epoch
from bot.store.migrations import MIGRATIONS
from tests.conftest import NOW

DUE = NOW + timedelta(days=2)
STAFF_TABLES = {"broadcasts", "questions", "feedback", "audit"}


async def tables(store: SqlStore) -> set[str]:
    rows = await store.fetch("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {row[0] for row in rows}


async def columns(store: SqlStore, table: str) -> set[str]:
    return {row["name"] for row in await store.fetch(f"PRAGMA table_info({table})")}


@pytest.fixture
async def version_1_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A database file as the bot left it before migration 2 existed."""
    path = tmp_path / "old.sqlite3"
    with monkeypatch.context() as patch:
        patch.setattr(bot.store.migrations, "MIGRATIONS", [m for m in MIGRATIONS if m[0] == 1])
        store = await open_sqlite(path)
        try:
            assert await store.schema_version() == 1
            assert not STAFF_TABLES & await tables(store)
            assert "kind" not in await columns(store, "reminders")
            await store.touch_user(42, 4200, NOW)
            await store.set_timezone(42, "Asia/Tokyo")
            async with store.db.transaction() as db:
                await db.execute("UPDATE users SET stage = 'interview' WHERE user_id = 42")
                await db.execute(
                    "INSERT INTO reminders (user_id, chat_id, text, due_at, local_time, "
                    "timezone, stage, run_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (42, 4200, "Bring passport", to_epoch(DUE), "2027-01-12 21:00",
                     "Asia/Tokyo", "interview", to_epoch(DUE), to_epoch(NOW)),
                )  # fmt: skip
        finally:
            await store.close()
    return path


async def test_version_1_database_is_upgraded_in_place(version_1_file: Path) -> None:
    assert [v for v, _, _ in bot.store.migrations.MIGRATIONS][:2] == [1, 2]
    store = await open_sqlite(version_1_file)
    try:
        rows = await store.fetch("SELECT version, name FROM schema_version ORDER BY version")
        assert [(row[0], row[1]) for row in rows] == [
            (1, "users and reminders"),
            (2, "broadcasts, questions, feedback, audit"),
            *((v, name) for v, name, _ in MIGRATIONS[2:]),
        ]
        assert await store.schema_version() == MIGRATIONS[-1][0]
        assert await tables(store) >= STAFF_TABLES
        assert {"kind", "broadcast_id"} <= await columns(store, "reminders")

        user = await store.get_user(42)
        assert user is not None
        assert (user.chat_id, user.timezone, user.stage, user.active) == (
            4200,
            "Asia/Tokyo",
            "interview",
            True,
        )
        [reminder] = await store.user_reminders(42)
        assert reminder.kind is Kind.REMINDER
        assert reminder.broadcast_id is None
        assert (reminder.text, reminder.due_at, reminder.local_time, reminder.status) == (
            "Bring passport",
            DUE,
            "2027-01-12 21:00",
            Status.PENDING,
        )
        assert (reminder.timezone, reminder.stage, reminder.chat_id) == (
            "Asia/Tokyo",
            "interview",
            4200,
        )
    finally:
        await store.close()


async def test_upgraded_database_takes_the_new_rows(version_1_file: Path) -> None:
    store = await open_sqlite(version_1_file)
    try:
        async with store.db.transaction() as db:
            await db.execute(
                "INSERT INTO questions (asked_at, outcome, score, text) VALUES (?, ?, ?, ?)",
                (to_epoch(NOW), "fallback", 10.0, "what is sushi"),
            )
            await db.execute(
                "INSERT INTO broadcasts (staff_id, text, created_at) VALUES (?, ?, ?)",
                (1, "Hello", to_epoch(NOW)),
            )
        [row] = await store.fetch("SELECT status FROM broadcasts")
        assert row[0] == "draft"
    finally:
        await store.close()


async def test_upgrade_happens_once(version_1_file: Path) -> None:
    first = await open_sqlite(version_1_file)
    await first.close()
    again = await open_sqlite(version_1_file)
    try:
        assert await again.migrate() == []
        rows = await again.fetch("SELECT version FROM schema_version ORDER BY version")
        assert [row[0] for row in rows] == [v for v, _, _ in MIGRATIONS]
        assert len(await again.user_reminders(42)) == 1
    finally:
        await again.close()
