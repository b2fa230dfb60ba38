"""A Bot API server on 127.0.0.1 and the real Application polling it over HTTP."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from bot.answers import Answers
from bot.clock import utc_now
from bot.config import BUNDLED_KNOWLEDGE, Secret, Settings
from bot.desk_settings import DeskSettings
from bot.sending import Budget
from handlers.app import build_application, running
from handlers.context import BotApp
from tests.e2e.botapi import BotApiServer

TOKEN = "123456:" + "A" * 35
# The installed command, as a user runs it.
JETBOT = str(Path(sys.executable).with_name("jetbot"))
USER = 1001


@pytest.fixture(autouse=True)
def timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opt in to PTB's timedelta retry_after, as its deprecation warning asks."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
async def server() -> AsyncIterator[BotApiServer]:
    async with BotApiServer(token=TOKEN) as api:
        yield api


def settings_for(server: BotApiServer, knowledge: Path = BUNDLED_KNOWLEDGE) -> Settings:
    return Settings(
        knowledge=knowledge,
        database=Path("unused.sqlite3"),
        api_base_url=server.base_url,
        file_base_url=server.base_file_url,
        token=Secret(TOKEN),
    )


@asynccontextmanager
async def running_bot(
    server: BotApiServer,
    knowledge: Path = BUNDLED_KNOWLEDGE,
    *,
    database: Path | None = None,
    clock: Callable[[], datetime] = utc_now,
    staff: frozenset[int] = frozenset(),
    budget: Budget | None = None,
    desk: DeskSettings | None = None,
) -> AsyncIterator[BotApp]:
    """The Application as ``run_polling`` runs it: post_init, polling, handlers.

    ``budget`` replaces the sending budget, e.g. to lift the one-a-second pace per chat.
    """
    settings = replace(
        settings_for(server, knowledge),
        database=database or Path(":memory:"),
        staff_ids=staff,
        desk=desk or DeskSettings(),
    )
    application = build_application(settings, Answers.load(knowledge), clock=clock, budget=budget)
    async with running(application):
        yield application


@pytest.fixture
async def bot(server: BotApiServer) -> AsyncIterator[BotApp]:
    async with running_bot(server) as application:
        yield application


async def eventually(condition: Callable[[], Awaitable[bool]], timeout: float = 10) -> None:
    """Wait until an asynchronous check holds, e.g. a database state the bot writes."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not await condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition still false after {timeout} s")
        await asyncio.sleep(0.05)


MESSAGES = """
messages:
  welcome: Welcome!
  fallback: I don't know; ask the Embassy of Japan.
"""


def small_knowledge(tmp_path: Path, yaml_text: str) -> Path:
    """A knowledge directory of one file: the required messages plus ``yaml_text``."""
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    (knowledge / "kb.yaml").write_text(MESSAGES + yaml_text, encoding="utf-8")
    return knowledge
