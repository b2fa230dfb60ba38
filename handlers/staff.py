"""Staff commands: /reload, /stats, /unanswered, /broadcast, and the broadcast buttons.

Every one checks JETBOT_STAFF_IDS; anyone else gets the ordinary unknown-command
reply, and the attempt is logged (with the user id only).
"""

from __future__ import annotations

import logging
from functools import wraps

from telegram import Update
from telegram.ext import BaseHandler

from bot import broadcasts
from bot.replies import UNKNOWN_COMMAND, note, problem
from bot.replies import staff as say
from bot.replies.buttons import BroadcastChoice
from bot.timeparse import InputError
from handlers.context import BotContext
from handlers.markup import answer_in_place, send
from handlers.routing import Callback, command, on_button, pressed, text_after_command

logger = logging.getLogger(__name__)


def staff_only(handler: Callback) -> Callback:
    """Refuse non-staff exactly as an unknown command would be refused, and log it."""

    @wraps(handler)
    async def checked(update: Update, context: BotContext) -> None:
        user, chat = update.effective_user, update.effective_chat
        if chat is not None and chat.type != "private":
            # Figures and drafts are not for groups: staff use a private chat.
            logger.info("Ignored staff action %s in chat %s", handler.__name__, chat.id)
            if update.callback_query:
                await update.callback_query.answer()
            return
        if context.services.is_staff(user.id if user else None):
            await handler(update, context)
            return
        logger.warning(
            "Refused staff action %s from non-staff user %s",
            handler.__name__,
            user.id if user else None,
        )
        if update.callback_query:
            await update.callback_query.answer()
        elif update.effective_message:
            await send(update.effective_message, note(UNKNOWN_COMMAND))

    return checked


@staff_only
async def reload(update: Update, context: BotContext) -> None:
    """Load and validate the knowledge base now; keep the old one if it has problems."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    result = await context.services.housekeeper.reload(by=user.id)
    await send(message, note(result.describe()))


@staff_only
async def stats(update: Update, context: BotContext) -> None:
    """Usage figures."""
    if update.effective_message is None:
        return
    services = context.services
    figures = await services.store.stats(services.clock())
    await send(update.effective_message, say.stats_reply(figures))


@staff_only
async def unanswered(update: Update, context: BotContext) -> None:
    """The most frequent unanswered questions, similar wordings grouped."""
    if update.effective_message is None:
        return
    # With a button per question, to add it to the knowledge base.
    await send(update.effective_message, await context.services.curator.unanswered())


@staff_only
async def broadcast(update: Update, context: BotContext) -> None:
    """/broadcast <stage|all> <text>: a preview with the recipient count, to confirm."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.text is None:
        return
    services = context.services
    args = text_after_command(message)
    kb = services.answers.current.kb
    try:
        draft = await broadcasts.draft(services.store, user.id, args, kb, services.clock())
    except InputError as error:
        await send(message, problem(str(error)))
        return
    await send(message, say.broadcast_preview(draft))


@staff_only
async def broadcast_button(update: Update, context: BotContext) -> None:
    """Confirm or Cancel under a broadcast preview."""
    user = update.effective_user
    if (press := await pressed(update, BroadcastChoice)) is None or user is None:
        return
    query, choice = press
    store, now = context.services.store, context.services.clock()
    if choice.confirm:
        queued = await store.confirm_broadcast(choice.broadcast, user.id, now)
        if queued:
            context.services.pusher.wake()
        reply = say.broadcast_confirmed(choice.broadcast, queued)
    else:
        cancelled = await store.cancel_broadcast(choice.broadcast, user.id, now)
        reply = say.broadcast_cancelled(choice.broadcast, cancelled)
    await answer_in_place(query, reply)


def routes() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        command("reload", reload),
        command("stats", stats),
        command("unanswered", unanswered),
        command("broadcast", broadcast),
        on_button(BroadcastChoice, broadcast_button),
    ]
