"""The schema: registered migrations, applied once, upgrading a file in place."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

import bot.store.migrations
from bot.store import SqlStore, open_sqlite
from bot.store.db import Connection, Dialect
from bot.store.migrations import MIGRATIONS
from bot.store.sqlite import SqliteDatabase
from tests.store.helpers import NOW, add, columns, new, schema_objects, versions

# -- migrations ---------------------------------------------------------------------


async def test_fresh_database_is_migrated_to_latest(store: SqlStore) -> None:
    rows = await store.fetch("SELECT version, name FROM schema_version ORDER BY version")
    assert [(row[0], row[1]) for row in rows] == [(v, name) for v, name, _ in MIGRATIONS]
    assert await store.schema_version() == MIGRATIONS[-1][0]
    expected = {"users", "reminders", "workers", "schema_version", "reminders_to_send"}
    assert expected <= await schema_objects(store)


async def test_migrate_again_applies_nothing(store: SqlStore) -> None:
    assert await store.migrate() == []
    assert await versions(store) == [v for v, _, _ in MIGRATIONS]


async def test_reopening_a_file_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "bot.sqlite3"
    store = await open_sqlite(path)
    [reminder_id] = await add(store, new(due=NOW + timedelta(days=1)))
    await store.set_timezone(1, "Asia/Tokyo")
    await store.close()

    store = await open_sqlite(path)
    try:
        assert await store.migrate() == []
        assert await versions(store) == [v for v, _, _ in MIGRATIONS]
        user = await store.get_user(1)
        assert user is not None
        assert user.timezone == "Asia/Tokyo"
        reminder = await store.get_reminder(reminder_id)
        assert reminder is not None
        assert reminder.text == "Bring passport"
        assert reminder.due_at == NOW + timedelta(days=1)
    finally:
        await store.close()


async def add_nickname(db: Connection, dialect: Dialect) -> None:
    await db.execute("ALTER TABLE users ADD COLUMN nickname TEXT NOT NULL DEFAULT 'none'")


async def test_old_database_is_upgraded_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "bot.sqlite3"
    store = await open_sqlite(path)
    [reminder_id] = await add(store, new())
    await store.close()

    monkeypatch.setattr(
        bot.store.migrations, "MIGRATIONS", [*MIGRATIONS, (999, "nickname", add_nickname)]
    )
    store = await open_sqlite(path)
    try:
        assert await store.schema_version() == 999
        assert await versions(store) == [*(v for v, _, _ in MIGRATIONS), 999]
        assert "nickname" in await columns(store, "users")
        row = await store.fetch_one("SELECT nickname FROM users WHERE user_id = 1")
        assert row is not None
        assert row[0] == "none"
        assert await store.get_user(1) is not None
        assert await store.get_reminder(reminder_id) is not None
        assert await store.migrate() == []
    finally:
        await store.close()


async def test_failed_migration_is_rolled_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "bot.sqlite3"
    store = await open_sqlite(path)
    await add(store, new())
    await store.close()

    async def half_done(db: Connection, dialect: Dialect) -> None:
        await add_nickname(db, dialect)
        raise RuntimeError("migration bug")

    monkeypatch.setattr(
        bot.store.migrations, "MIGRATIONS", [*MIGRATIONS, (999, "broken", half_done)]
    )
    store = SqlStore(await SqliteDatabase.open(path))
    try:
        with pytest.raises(RuntimeError, match="migration bug"):
            await store.migrate()
        assert await store.schema_version() == MIGRATIONS[-1][0]
        assert "nickname" not in await columns(store, "users")
        assert await store.get_user(1) is not None
    finally:
        await store.close()


async def test_wal_journal_mode(tmp_path: Path) -> None:
    store = await open_sqlite(tmp_path / "bot.sqlite3")
    try:
        row = await store.fetch_one("PRAGMA journal_mode")
        assert row is not None
        assert row[0] == "wal"
        row = await store.fetch_one("PRAGMA foreign_keys")
        assert row is not None
        assert row[0] == 1
    finally:
        await store.close()


async def test_migration_7_numbers_existing_reminders_per_user(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "bot.sqlite3"
    with monkeypatch.context() as patch:
        patch.setattr(bot.store.migrations, "MIGRATIONS", [m for m in MIGRATIONS if m[0] < 7])
        store = await open_sqlite(path)
        try:
            for user_id in (1, 2, 1, 1):
                await store.touch_user(user_id, user_id + 100, NOW)
                async with store.db.transaction() as db:
                    await db.execute(
                        "INSERT INTO reminders (user_id, chat_id, text, due_at, timezone, "
                        "run_at, created_at) VALUES (?, ?, 'x', 0, 'UTC', 0, 0)",
                        (user_id, user_id + 100),
                    )
        finally:
            await store.close()
    store = await open_sqlite(path)
    try:
        rows = await store.fetch("SELECT user_id, number FROM reminders ORDER BY id")
        assert [(row[0], row[1]) for row in rows] == [(1, 1), (2, 1), (1, 2), (1, 3)]
        # The sequence continues after the numbers already given.
        [added] = await store.add_reminders([new(1)], NOW)
        reminder = await store.get_reminder(added)
        assert reminder is not None
        assert reminder.number == 4
    finally:
        await store.close()
