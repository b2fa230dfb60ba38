"""The bot keeps answering when things break, and keeps personal data out of groups.

Each failure is injected for real: another process locking the database, SQLite
refusing to grow (disk full) or to write at all, the database file deleted under
the running bot, and a group chat.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

from bot.replies import CANNOT_SAVE, IN_PRIVATE, plain
from handlers.context import BotApp
from tests.e2e.botapi import BotApiServer
from tests.e2e.conftest import USER, running_bot

GROUP = -100777


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Another process's exclusive lock on the database, as a backup tool might hold."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


async def ask_timed(server: BotApiServer, text: str, count: int) -> tuple[str, float]:
    started = time.monotonic()
    server.user_message(USER, text)
    messages = await server.wait_for_messages(USER, count, timeout=20)
    return plain(messages[-1]["text"]), time.monotonic() - started


def services(bot: BotApp):  # type: ignore[no-untyped-def]
    assert bot.bot_data.services is not None
    return bot.bot_data.services


async def test_a_locked_database_slows_no_answer(server: BotApiServer, tmp_path: Path) -> None:
    database = tmp_path / "bot.sqlite3"
    async with running_bot(server, database=database) as bot:
        await ask_timed(server, "/start", 1)
        await services(bot).recorder.queue.join()
        with locked(database):
            answer, took = await ask_timed(server, "what is an ALT?", 2)
            assert answer.startswith("What an ALT is")
            assert took < 2.0
            refused, _ = await ask_timed(server, "/remind in 2 hours Call the embassy", 3)
            assert refused == CANNOT_SAVE
        done, _ = await ask_timed(server, "/remind in 2 hours Call the embassy", 4)
        assert done.startswith("Reminder #1 set")
        assert len(await services(bot).store.user_reminders(USER)) == 1


async def test_a_database_that_refuses_writes_answers_questions_and_says_so(
    server: BotApiServer, tmp_path: Path
) -> None:
    """SQLite refusing every write: what a full disk or a read-only file does to it."""
    async with running_bot(server, database=tmp_path / "bot.sqlite3") as bot:
        await ask_timed(server, "/start", 1)
        await services(bot).recorder.queue.join()
        await services(bot).store.fetch("PRAGMA query_only = 1")
        for number in range(2, 12):
            answer, took = await ask_timed(server, f"what does a CIR do? ({number})", number)
            assert answer.startswith("What a CIR does")
            assert took < 2.0
        refused, _ = await ask_timed(server, "/timezone Asia/Tokyo", 12)
        assert refused == CANNOT_SAVE
        await services(bot).recorder.queue.join()
        health = await services(bot).health()
        assert "refused writes" in health.describe()


async def test_a_deleted_database_file_is_noticed_and_nothing_more_is_confirmed(
    server: BotApiServer, tmp_path: Path, caplog
) -> None:  # type: ignore[no-untyped-def]
    database = tmp_path / "bot.sqlite3"
    async with running_bot(server, database=database) as bot:
        await ask_timed(server, "/start", 1)
        database.unlink()
        for _ in range(100):
            if not (await services(bot).health()).ok:
                break
            await asyncio.sleep(0.1)
        health = await services(bot).health()
        assert f"the database file {database} was deleted" in health.describe()
        refused, _ = await ask_timed(server, "/remind in 2 hours Call the embassy", 2)
        assert refused == CANNOT_SAVE
        answer, _ = await ask_timed(server, "what is an ALT?", 3)
        assert answer.startswith("What an ALT is")
    assert f"the database file {database} was deleted" in caplog.text
    assert any(r.levelname == "CRITICAL" for r in caplog.records)


async def test_groups_get_nothing_personal_and_answers_only_when_addressed(
    server: BotApiServer, tmp_path: Path
) -> None:
    async with running_bot(server, database=tmp_path / "bot.sqlite3") as bot:
        for command in ("/mydata", "/remind in 2 hours Call", "/stage", "/reminders"):
            server.group_message(GROUP, USER, command)
        replies = await server.wait_for_messages(GROUP, 4)
        assert all(plain(m["text"]) == IN_PRIVATE for m in replies)
        assert all(
            m["reply_markup"]["inline_keyboard"][0][0]["url"].startswith("https://t.me/")
            for m in replies
        )
        server.group_message(GROUP, USER, "what is an ALT?")  # not addressed: ignored
        name = server.bot_username
        server.group_message(GROUP, USER, f"@{name} what is an ALT?")
        [*_, answer] = await server.wait_for_messages(GROUP, 5)
        assert plain(answer["text"]).startswith("What an ALT is")
        server.group_message(GROUP, USER, "and what does a CIR do?", reply_to=answer["message_id"])
        [*_, second] = await server.wait_for_messages(GROUP, 6)
        assert plain(second["text"]).startswith("What a CIR does")
        await asyncio.sleep(0.5)
        assert len(server.sent_messages(GROUP)) == 6
        store = services(bot).store
        await services(bot).recorder.queue.join()
        assert await store.get_user(USER) is None, "a group is never stored as a user's chat"
        assert await store.user_reminders(USER) == []
