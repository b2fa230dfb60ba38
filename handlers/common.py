"""Shared plumbing for handlers: where core objects live, and sending a Reply."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.answers import Answers
from bot.config import Settings
from bot.push import Pusher
from bot.reminders import Tracker
from bot.replies import MESSAGE_LIMIT, Reply, split_text
from bot.storage import User

ANSWERS = "answers"
TRACKER = "tracker"
PUSHER = "pusher"


def answers(context: ContextTypes.DEFAULT_TYPE) -> Answers:
    """The live knowledge base holder that app.py put in bot_data."""
    return context.bot_data[ANSWERS]


def tracker(context: ContextTypes.DEFAULT_TYPE) -> Tracker:
    """Stages and reminders, backed by SQLite."""
    return context.bot_data[TRACKER]


async def current_user(update: Update, context: ContextTypes.DEFAULT_TYPE) -> User | None:
    """The stored user behind an update (recorded by the activity handler)."""
    if update.effective_user is None or update.effective_chat is None:
        return None
    track = tracker(context)
    user = await track.storage.get_user(update.effective_user.id)
    if user is None:  # e.g. the user just ran /forget and kept talking
        user = (await track.seen(update.effective_user.id, update.effective_chat.id)).user
    return user


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(b.label, url=b.url)
                if b.url
                else InlineKeyboardButton(b.label, callback_data=b.data)
                for b in row
            ]
            for row in reply.buttons
        ]
    )


async def send(message: Message, reply: Reply) -> None:
    """Send a reply in the chat of ``message``, split if long; buttons go on the last part."""
    parts = split_text(reply.text)
    for number, part in enumerate(parts, start=1):
        markup = keyboard(reply) if number == len(parts) else None
        await message.reply_text(part, reply_markup=markup)


async def show_in_place(message: Message, reply: Reply) -> None:
    """Replace a menu message's text and buttons, as browsing does."""
    if len(reply.text) > MESSAGE_LIMIT:
        await send(message, reply)
        return
    try:
        await message.edit_text(reply.text, reply_markup=keyboard(reply))
    except BadRequest as error:
        # A double tap asks for the same content twice; Telegram refuses the no-op edit.
        if "not modified" not in error.message:
            raise


SETTINGS = "settings"
HOUSEKEEPER = "housekeeper"
FLOOD_GUARD = "flood_guard"


def settings(context: ContextTypes.DEFAULT_TYPE) -> Settings:
    return context.bot_data[SETTINGS]


def is_staff(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    user = update.effective_user
    return user is not None and user.id in settings(context).staff_ids


def pusher(context: ContextTypes.DEFAULT_TYPE) -> Pusher:
    return context.bot_data[PUSHER]
