"""A Bot API server on 127.0.0.1 and the real Application polling it over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from telegram.ext import Application

from bot.answers import Answers
from bot.app import build_application, on_startup
from bot.config import BUNDLED_KNOWLEDGE, Secret, Settings
from tests.e2e.botapi import BotApiServer

TOKEN = "123456:" + "A" * 35
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
        token=Secret(TOKEN),
    )


@asynccontextmanager
async def running_bot(
    server: BotApiServer, knowledge: Path = BUNDLED_KNOWLEDGE
) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """The Application as ``run_polling`` runs it: post_init, polling, handlers."""
    application = build_application(settings_for(server, knowledge), Answers.load(knowledge))
    assert application.updater is not None
    async with application:
        await on_startup(application)
        await application.updater.start_polling(poll_interval=0, timeout=1)
        await application.start()
        try:
            yield application
        finally:
            await application.updater.stop()
            await application.stop()


@pytest.fixture
async def bot(server: BotApiServer) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    async with running_bot(server) as application:
        yield application
