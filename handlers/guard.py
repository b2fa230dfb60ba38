"""What runs before every other handler: the flood guard, then recording who is active."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop, BaseHandler, TypeHandler

from bot.flood_guard import Verdict
from bot.replies import FLOODING, TAPPING, note
from bot.replies.tracking import welcome_back
from handlers.context import BotContext
from handlers.markup import send

logger = logging.getLogger(__name__)


async def flood_guard(update: Update, context: BotContext) -> None:
    """Over 20 messages a minute: one polite note, then silence for the rest of the minute.

    Button taps have their own, generous limit (browsing a menu is one tap after another)
    and are never answered with a message: at most a short note on the tap itself.
    """
    user = update.effective_user
    if user is None or context.services.is_staff(user.id):
        return
    query = update.callback_query
    if query is not None:
        if context.services.tap_guard.check(user.id) is Verdict.ALLOW:
            return
        await query.answer(TAPPING)
        raise ApplicationHandlerStop
    verdict = context.services.flood_guard.check(user.id)
    if verdict is Verdict.ALLOW:
        return
    if verdict is Verdict.WARN:
        logger.warning("User %s is over the message limit; ignoring for a minute", user.id)
        if update.effective_message:
            await send(update.effective_message, note(FLOODING))
    raise ApplicationHandlerStop


async def activity(update: Update, context: BotContext) -> None:
    """Record every private update's user, in the background: answering does not wait.

    One who had blocked the bot is resumed, and told so.
    """
    user, chat, message = update.effective_user, update.effective_chat, update.effective_message
    if user is None or chat is None or chat.type != "private":
        return

    async def welcome(resumed: int) -> None:
        if message is not None:
            await send(message, welcome_back(resumed))

    context.services.remember_seen(user.id, chat.id, welcome)


def routes() -> list[tuple[BaseHandler[Update, BotContext, None], int]]:
    """Groups run in order for every update: -3 drops floods, -2 records who is active
    (-1 is left for what must happen before a command, e.g. ending a guided step)."""
    return [(TypeHandler(Update, flood_guard), -3), (TypeHandler(Update, activity), -2)]
