"""Runs before every other handler: the per-user flood guard."""

from __future__ import annotations

import logging
import time

from telegram import Update
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.flood_guard import NOTE, FloodGuard, Verdict
from bot.replies import Reply
from handlers.common import FLOOD_GUARD, is_staff, send

logger = logging.getLogger(__name__)


async def flood_guard(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Over 20 messages a minute: one polite note, then silence for the rest of the minute."""
    if update.effective_user is None or is_staff(update, context):
        return
    guard: FloodGuard = context.bot_data[FLOOD_GUARD]
    verdict = guard.check(update.effective_user.id, time.monotonic())
    if verdict is Verdict.ALLOW:
        return
    if verdict is Verdict.WARN:
        logger.warning("User %s is over the message limit; ignoring for a minute",
                       update.effective_user.id)  # fmt: skip
        if update.effective_message:
            await send(update.effective_message, Reply(NOTE))
    if update.callback_query:
        await update.callback_query.answer()
    raise ApplicationHandlerStop
