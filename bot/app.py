"""Wire the python-telegram-bot Application: the one place the core meets Telegram."""

from __future__ import annotations

import logging

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, Defaults
from telegram.request import BaseRequest

import handlers
from bot.answers import Answers
from bot.config import Settings, require_token
from handlers.common import ANSWERS

logger = logging.getLogger(__name__)

# A reply to one applicant that hits 429 waits retry_after and goes again rather
# than being lost; more than a few retries means Telegram is struggling anyway.
REPLY_RETRIES = 3


def build_application(
    settings: Settings,
    answers: Answers,
    *,
    request: BaseRequest | None = None,
    token: str | None = None,
) -> Application:  # type: ignore[type-arg]
    """The bot, talking to ``settings.api_base_url`` or to ``request`` (the console)."""
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
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request).updater(None)
    application = builder.build()
    application.bot_data[ANSWERS] = answers
    handlers.register(application)
    return application


async def on_startup(application: Application) -> None:  # type: ignore[type-arg]
    """Register the command list with Telegram; a failure there must not stop the bot."""
    try:
        await application.bot.set_my_commands(
            [BotCommand(name, description) for name, description in handlers.COMMANDS]
        )
    except TelegramError as error:
        logger.warning("Could not register bot commands (setMyCommands): %s", error)


def run_polling(application: Application) -> None:  # type: ignore[type-arg]
    """Long-poll Telegram until SIGINT/SIGTERM."""
    application.run_polling(allowed_updates=Update.ALL_TYPES)
