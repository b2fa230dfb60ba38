"""/mydata and /forget."""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import BaseHandler

from bot.replies import tracking as say
from bot.replies.buttons import Forget
from handlers.context import BotContext
from handlers.markup import send, show_in_place
from handlers.routing import on_button, personal, pressed


async def mydata(update: Update, context: BotContext) -> None:
    """Show everything stored about the user."""
    if update.effective_message is None or update.effective_user is None:
        return
    data = await context.services.tracker.my_data(update.effective_user.id)
    await send(update.effective_message, say.mydata_reply(data))


async def forget(update: Update, _: BotContext) -> None:
    """Ask before deleting everything stored about the user."""
    if update.effective_message:
        await send(update.effective_message, say.forget_confirm())


async def forget_button(update: Update, context: BotContext) -> None:
    """The /forget confirmation buttons."""
    if (press := await pressed(update, Forget)) is None:
        return
    query, choice = press
    await query.answer()
    confirmed = choice.confirm
    if confirmed:
        await context.services.forget(query.from_user.id)
    if isinstance(query.message, Message):
        await show_in_place(query.message, say.forgotten(confirmed))


def routes() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        personal("mydata", mydata),
        personal("forget", forget),
        on_button(Forget, forget_button),
    ]
