"""Small builders shared by the feature modules' routes."""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from telegram import CallbackQuery, Message, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.replies.buttons import ButtonData
from handlers.context import BotContext

D = TypeVar("D", bound=ButtonData)
Callback = Callable[[Update, BotContext], Coroutine[Any, Any, None]]

# New messages only: an edited "/remind in 2 hours ..." must not set a second reminder.
NEW = filters.UpdateType.MESSAGE
PRIVATE = filters.ChatType.PRIVATE


def command(name: str, callback: Callback) -> CommandHandler[BotContext, None]:
    return CommandHandler(name, callback, filters=NEW)


def personal(name: str, callback: Callback) -> CommandHandler[BotContext, None]:
    """A command about the user's own data: private chats only (groups get a pointer)."""
    return CommandHandler(name, callback, filters=NEW & PRIVATE)


def on_button(
    kind: type[ButtonData], callback: Callback
) -> CallbackQueryHandler[BotContext, None]:
    return CallbackQueryHandler(callback, pattern=kind.pattern())


async def pressed(update: Update, kind: type[D]) -> tuple[CallbackQuery, D] | None:
    """The pressed button's query and payload; None (the press answered) if malformed."""
    query = update.callback_query
    if query is None:
        return None
    payload = kind.decode(query.data)
    if payload is None:
        # Forged or from an older version: nothing to do, but stop the client's spinner.
        await query.answer()
        return None
    return query, payload


COMMAND = re.compile(r"^/\S*\s*")


def text_after_command(message: Message) -> str:
    """What follows the command, line breaks kept ("/broadcast\nall ..." included)."""
    return COMMAND.sub("", message.text or "", count=1)
