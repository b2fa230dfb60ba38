"""Where applicants come from: ``t.me/<bot>?start=poster2027`` arrives as ``/start poster2027``.

An observer in a later handler group: /start itself still greets as always.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, MessageHandler, filters

from bot import sources
from handlers.context import BotContext
from handlers.routing import NEW, PRIVATE

GROUP = 1  # after the handlers that reply


async def count_source(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if message is None or message.text is None:
        return
    services = context.services
    sources.count_start(services.store, services.recorder, message.text, services.clock())


def routes() -> list[BaseHandler[Update, BotContext, None]]:
    return [MessageHandler(NEW & PRIVATE & filters.Regex(r"^/start(@\S+)?\s+\S"), count_source)]
