"""The one error handler: log the failure with its update, tell the user once."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot import replies

logger = logging.getLogger(__name__)


async def error_handler(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the exception and apologise to the user whose update caused it."""
    details = update.to_dict() if isinstance(update, Update) else repr(update)
    logger.error("Exception while handling an update: %s", details, exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        await context.bot.send_message(update.effective_chat.id, replies.SOMETHING_WENT_WRONG)
    except TelegramError:
        # The apology failing too (e.g. the network is down) must not loop back here.
        logger.warning("Could not tell chat %s about the error", update.effective_chat.id)
