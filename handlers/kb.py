"""The knowledge base from Telegram, for staff: uploads, /kb, and questions into knowledge.

A staff member sends a .yaml knowledge file or a .zip of the knowledge directory
in a private chat; it is downloaded through the Bot API's file endpoint
(TELEGRAM_FILE_BASE_URL), checked, and shown with what it changes; Apply makes
it the newest version. Anyone else's documents get the usual "text only" note.
"""

from __future__ import annotations

import logging

from telegram import InputFile, Message, Update
from telegram.constants import ChatAction
from telegram.error import TelegramError
from telegram.ext import BaseHandler, MessageHandler, filters

from bot.curation import Export
from bot.replies import note
from bot.replies.buttons import Curate, KbChoice, NewTopic, PickTopic, TicketToKb
from handlers.context import BotContext, BotData
from handlers.markup import send, show_in_place
from handlers.routing import NEW, PRIVATE, command, on_button, pressed, text_after_command
from handlers.tickets import FromStaff, desk_staff

logger = logging.getLogger(__name__)
DOWNLOAD_FAILED = "I could not download that file from Telegram; please send it again."


async def upload(update: Update, context: BotContext) -> None:
    """A staff member's document: check it and preview the change."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.document is None:
        return
    document, curator = message.document, context.services.curator
    name = document.file_name or "upload"
    refused = await curator.refuse_upload(user.id, name, document.file_size)
    if refused is not None:
        await send(message, refused)
        return
    await message.reply_chat_action(ChatAction.TYPING)
    try:
        file = await context.bot.get_file(document.file_id)
        data = bytes(await file.download_as_bytearray())
    except TelegramError as error:
        logger.warning("Could not download an upload from staff member %s: %s", user.id, error)
        await send(message, note(DOWNLOAD_FAILED))
        return
    await send(message, await curator.upload(user.id, name, data))


@desk_staff
async def kb(update: Update, context: BotContext) -> None:
    """/kb, /kb export, /kb rollback N."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    result = await context.services.curator.kb_command(user.id, text_after_command(message))
    if isinstance(result, Export):
        document = InputFile(result.data, filename=result.filename)
        await message.reply_document(document, caption=result.caption)
    else:
        await send(message, result)


@desk_staff
async def confirm(update: Update, context: BotContext) -> None:
    """Apply or Cancel under a preview."""
    if (press := await pressed(update, KbChoice)) is None:
        return
    query, choice = press
    await query.answer()
    reply = await context.services.curator.confirm(
        query.from_user.id, choice.draft, choice.confirm
    )
    if isinstance(query.message, Message):
        await show_in_place(query.message, reply)


@desk_staff
async def from_ticket(update: Update, context: BotContext) -> None:
    """ "Add to knowledge base" under a staff answer: which topic covers the question?"""
    if (press := await pressed(update, TicketToKb)) is None:
        return
    query, choice = press
    await query.answer()
    if isinstance(query.message, Message):
        await send(query.message, await context.services.curator.from_ticket(choice.ticket))


@desk_staff
async def curate(update: Update, context: BotContext) -> None:
    """A numbered button under /unanswered: which topic covers that question?"""
    if (press := await pressed(update, Curate)) is None:
        return
    query, choice = press
    await query.answer()
    if isinstance(query.message, Message):
        reply = await context.services.curator.offer_topics(choice.suggestion)
        await send(query.message, reply)


@desk_staff
async def pick_topic(update: Update, context: BotContext) -> None:
    if (press := await pressed(update, PickTopic)) is None:
        return
    query, choice = press
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.reply_chat_action(ChatAction.TYPING)
        curator = context.services.curator
        reply = await curator.pick(query.from_user.id, choice.suggestion, choice.choice)
        await send(query.message, reply)


@desk_staff
async def new_topic(update: Update, context: BotContext) -> None:
    if (press := await pressed(update, NewTopic)) is None:
        return
    query, choice = press
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.reply_chat_action(ChatAction.TYPING)
        reply = await context.services.curator.new_topic(query.from_user.id, choice.suggestion)
        await send(query.message, reply)


def routes(bot_data: BotData) -> list[BaseHandler[Update, BotContext, None]]:
    return [
        MessageHandler(NEW & PRIVATE & filters.Document.ALL & FromStaff(bot_data), upload),
        command("kb", kb),
        on_button(KbChoice, confirm),
        on_button(TicketToKb, from_ticket),
        on_button(Curate, curate),
        on_button(PickTopic, pick_topic),
        on_button(NewTopic, new_topic),
    ]
