"""/start, /help, browsing menus, and messages the bot cannot read."""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.replies import HELP_TEXT, NON_TEXT, UNKNOWN_COMMAND, Reply, note
from bot.replies import questions as say
from bot.replies.buttons import Browse, BrowseTopic
from bot.replies.staff import staff_help
from handlers.context import BotContext
from handlers.markup import send, show_in_place
from handlers.routing import command


async def start(update: Update, context: BotContext) -> None:
    """Greet the user and show the main menu."""
    if update.effective_message:
        await send(update.effective_message, say.main_menu(context.services.answers.current.kb))


async def help_command(update: Update, context: BotContext) -> None:
    """Say what the bot can do; staff also see their commands."""
    user = update.effective_user
    if update.effective_message:
        staff = context.services.is_staff(user.id if user else None)
        await send(update.effective_message, Reply(HELP_TEXT + (staff_help() if staff else "")))


async def browse(update: Update, context: BotContext) -> None:
    """Show a menu or a topic in place of the pressed menu message."""
    query = update.callback_query
    if query is None:
        return
    kb = context.services.answers.current.kb
    reply: Reply | None = None
    if (section := Browse.decode(query.data)) is not None:
        reply = say.browse_reply(kb, section.section)
    elif (shown := BrowseTopic.decode(query.data)) is not None and shown.topic in kb.topics:
        reply = say.browse_topic_reply(kb, kb.topics[shown.topic])
    if reply is None:
        await query.answer(say.MENU_GONE)
        reply = say.main_menu(kb)
    else:
        await query.answer()
    # Messages older than 48 hours come back "inaccessible" and cannot be edited.
    if isinstance(query.message, Message):
        await show_in_place(query.message, reply)


async def non_text(update: Update, _: BotContext) -> None:
    """Stickers, photos, voice and the like: explain that only text is read."""
    if update.effective_message:
        await send(update.effective_message, note(NON_TEXT))


async def unknown_command(update: Update, _: BotContext) -> None:
    """A command the bot does not have."""
    if update.effective_message:
        await send(update.effective_message, note(UNKNOWN_COMMAND))


def routes() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        command("start", start),
        command("help", help_command),
        CallbackQueryHandler(browse, pattern=rf"{Browse.pattern()}|{BrowseTopic.pattern()}"),
    ]
