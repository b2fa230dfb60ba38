"""The one error handler: log the failure with the update's ids, tell the user once."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot.logs import Throttled
from bot.replies import CANNOT_SAVE, SOMETHING_WENT_WRONG
from bot.store import StoreUnavailable
from handlers.context import BotContext

logger = logging.getLogger(__name__)
# A sick database fails every change for a while: said once a minute, not each time.
unsaved = Throttled(logger)


async def error_handler(update: object, context: BotContext) -> None:
    """Log the exception and apologise to the user whose update caused it."""
    if not isinstance(update, Update):
        logger.error("Exception outside an update", exc_info=context.error)
        return
    # Ids only: names, usernames and message text are personal data.
    user = update.effective_user.id if update.effective_user else None
    if isinstance(context.error, StoreUnavailable):
        unsaved.warning("store", "Could not save for user %s: %s", user, context.error)
    else:
        logger.error(
            "Exception while handling update %s from user %s", update.update_id, user,
            exc_info=context.error,
        )  # fmt: skip
    if update.effective_chat is None:
        return
    apology = CANNOT_SAVE if isinstance(context.error, StoreUnavailable) else SOMETHING_WENT_WRONG
    try:
        await context.bot.send_message(update.effective_chat.id, apology)
    except TelegramError:
        # The apology failing too (e.g. the network is down) must not loop back here.
        logger.warning("Could not tell chat %s about the error", update.effective_chat.id)
