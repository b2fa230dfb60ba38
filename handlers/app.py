"""Wire the python-telegram-bot Application to the core: builder, hooks, polling."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from telegram import BotCommand, BotCommandScopeChat, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import ApplicationBuilder, Defaults, ExtBot
from telegram.request import BaseRequest

from bot.answers import Answers
from bot.clock import Clock, utc_now
from bot.config import Secret, Settings, require_token
from bot.instances import AlreadyPolling
from bot.replies.staff import STAFF_COMMANDS
from bot.sending import Budget
from bot.services import Services
from handlers import wiring
from handlers.context import CONTEXT_TYPES, BotApp
from handlers.limiter import BudgetLimiter
from handlers.processor import PerChatProcessor
from handlers.sender import TelegramSender

logger = logging.getLogger(__name__)


def build_application(
    settings: Settings,
    answers: Answers,
    *,
    request: BaseRequest | None = None,
    token: str | None = None,
    clock: Clock = utc_now,
    polling_lease: bool = False,
    budget: Budget | None = None,
) -> BotApp:
    """The bot, talking to ``settings.api_base_url`` or to ``request`` (the console).

    ``clock`` is what "now" means to reminders; tests move it. With
    ``polling_lease``, start-up fails while another instance polls the token.
    """

    async def on_startup(application: BotApp) -> None:
        """Open the store, start delivering the outbox, register the command list."""
        sender = TelegramSender(application.bot)
        services = await Services.open(settings, answers, sender, clock, budget)
        application.bot_data.services = services
        if polling_lease:
            await services.claim_polling()
        services.start()
        await register_commands(application.bot, settings.staff_ids)

    builder = (
        ApplicationBuilder()
        .token(token or require_token(settings).reveal())
        .base_url(settings.api_base_url)
        .base_file_url(settings.file_base_url)
        .context_types(CONTEXT_TYPES)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .rate_limiter(BudgetLimiter(lambda: budget_of(application)))
        .job_queue(None)
        .concurrent_updates(PerChatProcessor())
        .post_init(on_startup)
        .post_stop(stop_services)
        .post_shutdown(close_services)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request).updater(None)
    application: BotApp = builder.build()
    wiring.register(application)
    return application


def budget_of(application: BotApp) -> Budget | None:
    services = application.bot_data.services
    return services.budget if services is not None else None


async def stop_services(application: BotApp) -> None:
    """Stop pushing while the bot can still talk; unsent claims go back to the outbox."""
    if application.bot_data.services is not None:
        await application.bot_data.services.stop()


async def close_services(application: BotApp) -> None:
    services, application.bot_data.services = application.bot_data.services, None
    if services is not None:
        await services.close()


async def register_commands(bot: ExtBot[Any], staff_ids: frozenset[int]) -> None:
    """The command menu in Telegram's clients; staff see theirs too. Failures only log."""
    public = [BotCommand(name, description) for name, description in wiring.COMMANDS]
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


@asynccontextmanager
async def running(application: BotApp, *, polling: bool = True) -> AsyncIterator[None]:
    """Start and stop the Application as ``run_polling`` does, hooks included.

    For callers that own the event loop: the console and the tests.
    """
    try:
        async with application:
            if application.post_init is not None:
                await application.post_init(application)
            if polling and application.updater is not None:
                await application.updater.start_polling(poll_interval=0, timeout=1)
            await application.start()
            try:
                yield
            finally:
                if polling and application.updater is not None:
                    await application.updater.stop()
                await application.stop()
                await stop_services(application)
    finally:
        await close_services(application)


class StartupError(Exception):
    """The bot could not go online; the message is safe to print (no token)."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def run_polling(application: BotApp, token: Secret, api: str = "") -> None:
    """Long-poll Telegram until SIGINT/SIGTERM."""
    with startup_errors(token, api):
        application.run_polling(allowed_updates=Update.ALL_TYPES, bootstrap_retries=0)


class QuietBootstrap(logging.Filter):
    """PTB logs a failed start-up (its "bootstrap") with a long traceback, then raises;
    ``startup_errors`` turns the raise into one line, so the record adds only noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "(Bootstrap" not in record.getMessage()


@contextmanager
def startup_errors(token: Secret, api: str = "") -> Iterator[None]:
    """What stops the bot from going online, as one line that never holds the token."""
    quiet = QuietBootstrap()
    ptb = logging.getLogger("telegram.ext")
    ptb.addFilter(quiet)
    try:
        yield
    except InvalidToken as error:
        raise StartupError(
            "Telegram rejected TELEGRAM_BOT_TOKEN; check it with @BotFather", 2
        ) from error
    except AlreadyPolling as error:
        raise StartupError(str(error), 3) from error
    except OSError as error:  # e.g. the webhook's port is taken
        raise StartupError(f"could not start the bot: {error}") from error
    except NetworkError as error:  # TimedOut too: no network, refused, DNS, proxy
        where = f" at {api}" if api else ""
        reason = redact(str(error), token)
        raise StartupError(
            f"could not reach Telegram{where} ({reason}); check the network connection, "
            "any proxy or firewall, and TELEGRAM_API_BASE_URL"
        ) from error
    except TelegramError as error:
        raise StartupError(f"could not start the bot: {redact(str(error), token)}") from error
    finally:
        ptb.removeFilter(quiet)


def redact(message: str, token: Secret) -> str:
    """PTB's messages can quote the request, and so the token: never echo them raw."""
    return message.replace(token.reveal(), "[REDACTED]")
