"""Wire the python-telegram-bot Application: the one place the core meets Telegram."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

from telegram import BotCommand, BotCommandScopeChat, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, Defaults, ExtBot
from telegram.request import BaseRequest

import handlers
from bot.answers import Answers
from bot.config import Secret, Settings, require_token
from bot.flood_guard import FloodGuard
from bot.housekeeping import Housekeeper
from bot.push import Blocked, FloodWait, Pusher, Rejected, Transient, Uncertain
from bot.reminders import Tracker, utc_now
from bot.replies import Reply
from bot.storage import Storage
from handlers.common import (
    ANSWERS,
    FLOOD_GUARD,
    HOUSEKEEPER,
    PUSHER,
    SETTINGS,
    TRACKER,
    keyboard,
)
from handlers.staff import STAFF_COMMANDS

logger = logging.getLogger(__name__)

CLOCK = "clock"
# A reply to one applicant that hits 429 waits retry_after and goes again rather
# than being lost; more than a few retries means Telegram is struggling anyway.
REPLY_RETRIES = 3


def build_application(
    settings: Settings,
    answers: Answers,
    *,
    request: BaseRequest | None = None,
    token: str | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> Application:  # type: ignore[type-arg]
    """The bot, talking to ``settings.api_base_url`` or to ``request`` (the console).

    ``clock`` is what "now" means to reminders; tests move it.
    """
    builder = (
        ApplicationBuilder()
        .token(token or require_token(settings).reveal())
        .base_url(settings.api_base_url)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .rate_limiter(AIORateLimiter(max_retries=REPLY_RETRIES))
        .post_init(on_startup)
        .post_stop(on_stop)
        .post_shutdown(on_shutdown)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request).updater(None)
    application = builder.build()
    application.bot_data[ANSWERS] = answers
    application.bot_data[SETTINGS] = settings
    application.bot_data[CLOCK] = clock
    handlers.register(application)
    return application


async def on_startup(application: Application) -> None:  # type: ignore[type-arg]
    """Open the database, start delivering reminders, register the command list."""
    settings: Settings = application.bot_data[SETTINGS]
    clock = application.bot_data[CLOCK]
    storage = await Storage.open(settings.database)
    tracker = Tracker(storage, settings.timezone, clock)
    pusher = Pusher(storage, TelegramSender(application.bot), clock=clock)
    tracker.listeners.append(pusher.wake)
    housekeeper = Housekeeper(
        storage,
        application.bot_data[ANSWERS],
        settings.knowledge,
        settings.staff_ids,
        settings.retention_days,
        pusher.wake,
        clock,
    )
    application.bot_data.update(
        {TRACKER: tracker, PUSHER: pusher, HOUSEKEEPER: housekeeper, FLOOD_GUARD: FloodGuard()}
    )
    pusher.start()
    housekeeper.start()
    await register_commands(application.bot, settings.staff_ids)


async def register_commands(bot: ExtBot, staff_ids: frozenset[int]) -> None:  # type: ignore[type-arg]
    """The command menu in Telegram's clients; staff see theirs too. Failures only log."""
    public = [BotCommand(name, description) for name, description in handlers.COMMANDS]
    try:
        await bot.set_my_commands(public)
    except TelegramError as error:
        logger.warning("Could not register bot commands (setMyCommands): %s", error)
    staff = public + [BotCommand(name, text[:256]) for name, text in STAFF_COMMANDS]
    for staff_id in sorted(staff_ids):
        try:
            await bot.set_my_commands(staff, scope=BotCommandScopeChat(staff_id))
        except TelegramError as error:
            # Usually: this staff member has not opened a chat with the bot yet.
            logger.warning("Could not register staff commands for %s: %s", staff_id, error)


async def on_stop(application: Application) -> None:  # type: ignore[type-arg]
    """Stop pushing while the bot can still talk; unsent claims go back to the queue."""
    housekeeper: Housekeeper | None = application.bot_data.pop(HOUSEKEEPER, None)
    if housekeeper is not None:
        await housekeeper.stop()
    pusher: Pusher | None = application.bot_data.pop(PUSHER, None)
    if pusher is not None:
        await pusher.stop()


async def on_shutdown(application: Application) -> None:  # type: ignore[type-arg]
    tracker: Tracker | None = application.bot_data.pop(TRACKER, None)
    if tracker is not None:
        await tracker.storage.close()


class TelegramSender:
    """The Pusher's way out: a Bot API sendMessage, its errors in the core's terms."""

    def __init__(self, bot: ExtBot) -> None:  # type: ignore[type-arg]
        self.bot = bot

    async def send(self, chat_id: int, reply: Reply) -> None:
        try:
            await self.bot.send_message(chat_id, reply.text, reply_markup=keyboard(reply))
        except Forbidden as error:
            raise Blocked(error.message) from error
        except RetryAfter as error:
            wait = error.retry_after
            seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            raise FloodWait(seconds) from error
        except TimedOut as error:
            raise Uncertain(error.message) from error
        except BadRequest as error:  # before NetworkError, which it subclasses
            raise Rejected(error.message) from error
        except NetworkError as error:
            raise Transient(error.message) from error
        except TelegramError as error:
            raise Rejected(error.message) from error


@asynccontextmanager
async def running(
    application: Application,  # type: ignore[type-arg]
    *,
    polling: bool = True,
) -> AsyncIterator[None]:
    """Start and stop the Application as ``run_polling`` does, hooks included.

    For callers that own the event loop: the console and the tests.
    """
    try:
        async with application:
            await on_startup(application)
            if polling and application.updater is not None:
                await application.updater.start_polling(poll_interval=0, timeout=1)
            await application.start()
            try:
                yield
            finally:
                if polling and application.updater is not None:
                    await application.updater.stop()
                await application.stop()
                await on_stop(application)
    finally:
        await on_shutdown(application)


class StartupError(Exception):
    """The bot could not go online; the message is safe to print (no token)."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def run_polling(application: Application, token: Secret) -> None:  # type: ignore[type-arg]
    """Long-poll Telegram until SIGINT/SIGTERM."""
    try:
        application.run_polling(allowed_updates=Update.ALL_TYPES)
    except InvalidToken as error:
        raise StartupError(
            "Telegram rejected TELEGRAM_BOT_TOKEN; check it with @BotFather", 2
        ) from error
    except TelegramError as error:
        # PTB's messages can quote the request, and so the token: never echo them raw.
        message = str(error).replace(token.reveal(), "[REDACTED]")
        raise StartupError(f"could not start the bot: {message}") from error
