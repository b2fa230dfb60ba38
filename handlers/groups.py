"""Groups and channels: nothing personal there, and questions only when addressed.

In a group the bot answers a question only when it is mentioned (@its_name) or
replied to; personal commands get one line pointing to a private chat, so no
one's dates, zone or reminders are posted where others read them.
"""

from __future__ import annotations

import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, MessageEntity, Update
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot.replies import IN_PRIVATE
from handlers.context import BotContext
from handlers.markup import send
from handlers.routing import NEW, PRIVATE

PERSONAL_COMMANDS = ("mydata", "remind", "stage", "timezone", "reminders", "forget", "cancel",
                     "settings", "calendar")  # fmt: skip


class Addressed(filters.MessageFilter):
    """A group message that mentions the bot or replies to one of its messages."""

    def filter(self, message: Message) -> bool:
        bot = message.get_bot()
        replied = message.reply_to_message
        if (
            replied is not None
            and replied.from_user is not None
            and replied.from_user.id == bot.id
        ):
            return True
        name = f"@{bot.username}".casefold()
        mentions = message.parse_entities([MessageEntity.MENTION]).values()
        return any(mention.casefold() == name for mention in mentions)


def without_mention(text: str, username: str) -> str:
    """The question with the bot's @name taken out."""
    return " ".join(re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.I).split())


async def in_private(update: Update, context: BotContext) -> None:
    """A personal command in a group: point to a private chat, reveal nothing."""
    message = update.effective_message
    if message is None:
        return
    link = f"https://t.me/{context.bot.username}"
    button = InlineKeyboardMarkup([[InlineKeyboardButton("Open a private chat", url=link)]])
    await message.reply_text(IN_PRIVATE, reply_markup=button)


async def group_question(update: Update, context: BotContext) -> None:
    """A question put to the bot in a group: answered there, as in a private chat."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    question = without_mention(message.text, context.bot.username)
    if not question:
        return
    asked = await context.services.asker.ask(question, str(message.chat_id))
    await send(message, asked.reply)


def routes() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler(PERSONAL_COMMANDS, in_private, filters=NEW & ~PRIVATE),
        MessageHandler(
            NEW & ~PRIVATE & filters.TEXT & ~filters.COMMAND & Addressed(), group_question
        ),
    ]
