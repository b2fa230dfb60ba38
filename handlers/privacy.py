"""/mydata and /forget."""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import ContextTypes

from bot import tracking_replies as say
from bot.replies import Reply, parse_callback
from bot.storage import Status
from handlers.common import send, show_in_place, tracker


async def mydata(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show everything stored about the user."""
    if update.effective_message is None or update.effective_user is None:
        return
    track = tracker(context)
    user = await track.storage.get_user(update.effective_user.id)
    reminders = await track.storage.user_reminders(
        update.effective_user.id, statuses=tuple(Status)
    )
    deliveries = await track.storage.user_deliveries(update.effective_user.id)
    await send(
        update.effective_message,
        say.mydata_reply(user, reminders, track.default_zone, deliveries),
    )


async def forget(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
    """Ask before deleting everything stored about the user."""
    if update.effective_message:
        await send(update.effective_message, say.forget_confirm())


async def forget_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The /forget confirmation buttons."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    await query.answer()
    if parse_callback(query.data)[1] == "yes":
        await tracker(context).storage.delete_user(query.from_user.id)
        text = "Done: I've deleted everything I stored about you."
    else:
        text = "Nothing was deleted."
    if isinstance(query.message, Message):
        await show_in_place(query.message, Reply(text))
