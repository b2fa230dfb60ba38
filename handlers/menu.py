"""/start, /help, browsing menus, and messages the bot cannot read."""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import ContextTypes

from bot import replies
from handlers.common import answers, is_staff, send, show_in_place
from handlers.staff import staff_help


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet the user and show the main menu."""
    if update.effective_message:
        await send(update.effective_message, replies.main_menu(answers(context).current.kb))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Say what the bot can do; staff also see their commands."""
    if update.effective_message:
        text = replies.HELP_TEXT + (staff_help() if is_staff(update, context) else "")
        await send(update.effective_message, replies.Reply(text))


async def browse(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show a menu or a topic in place of the pressed menu message."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    kb = answers(context).current.kb
    kind, value = replies.parse_callback(query.data)
    if kind == replies.BROWSE_TOPIC:
        topic = kb.topics.get(value)
        reply = replies.browse_topic_reply(kb, topic) if topic else None
    else:
        reply = replies.browse_reply(kb, value)
    if reply is None:
        await query.answer("That menu is no longer available.")
        reply = replies.main_menu(kb)
    else:
        await query.answer()
    # Messages older than 48 hours come back "inaccessible" and cannot be edited.
    if isinstance(query.message, Message):
        await show_in_place(query.message, reply)


async def non_text(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos, voice and the like: explain that only text is read."""
    if update.effective_message:
        await send(update.effective_message, replies.Reply(replies.NON_TEXT))


async def unknown_command(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
    """A command the bot does not have."""
    if update.effective_message:
        await send(update.effective_message, replies.Reply(replies.UNKNOWN_COMMAND))
