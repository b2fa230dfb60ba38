"""The help desk on Telegram: applicants ask a person, staff answer from their group.

- Applicants: "Ask a person" under what the bot could not answer, or /human;
  Send / Send with my name / Cancel; a reply to a message about their ticket
  (the "passed on" note, or an answer) adds to it.
- The staff chat (JETBOT_STAFF_CHAT_ID): a Telegram reply to a ticket's post is
  the answer; /tickets, /close N and the Close buttons. Only JETBOT_STAFF_IDS
  count there; anyone else in the group is ignored (and logged, by id only).
- /chatid tells staff a group's id, to configure it as the staff chat.
"""

from __future__ import annotations

import logging
import re
from functools import wraps

from telegram import Message, Update
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot.replies import UNKNOWN_COMMAND, note, problem
from bot.replies import tickets as say
from bot.replies.buttons import AskPerson, CloseTicket, DropTicket, SendTicket
from handlers import groups
from handlers.context import BotContext, BotData
from handlers.markup import answer_below, send, show_in_place
from handlers.routing import (
    NEW,
    PRIVATE,
    Callback,
    command,
    on_button,
    pressed,
    text_after_command,
)

logger = logging.getLogger(__name__)
TICKET_NUMBER = re.compile(r"#?([0-9]{1,18})")


class InStaffChat(filters.MessageFilter):
    """A message in the configured staff chat (known once the services run)."""

    def __init__(self, bot_data: BotData) -> None:
        super().__init__(name="InStaffChat")
        self.bot_data = bot_data

    def filter(self, message: Message) -> bool:
        services = self.bot_data.services
        return services is not None and services.desk.is_staff_chat(message.chat.id)


class FromStaff(filters.MessageFilter):
    """A message from a JETBOT_STAFF_IDS user."""

    def __init__(self, bot_data: BotData) -> None:
        super().__init__(name="FromStaff")
        self.bot_data = bot_data

    def filter(self, message: Message) -> bool:
        services, user = self.bot_data.services, message.from_user
        return services is not None and user is not None and services.is_staff(user.id)


class RepliesToTicket(filters.MessageFilter):
    """An applicant's reply to one of the bot's messages about their ticket."""

    def filter(self, message: Message) -> bool:
        replied = message.reply_to_message
        return (
            replied is not None
            and replied.from_user is not None
            and replied.from_user.id == message.get_bot().id
            and say.applicant_ref(replied.text) is not None
        )


def staff_here(update: Update, context: BotContext) -> bool:
    """A staff member, in a private chat or in the staff chat."""
    user, chat = update.effective_user, update.effective_chat
    services = context.services
    if user is None or chat is None or not services.is_staff(user.id):
        return False
    return chat.type == "private" or services.desk.is_staff_chat(chat.id)


def desk_staff(handler: Callback) -> Callback:
    """Staff only, in private or in the staff chat; anyone else is refused like an unknown
    command in a private chat, and ignored in a group."""

    @wraps(handler)
    async def checked(update: Update, context: BotContext) -> None:
        if staff_here(update, context):
            await handler(update, context)
            return
        user, chat = update.effective_user, update.effective_chat
        logger.warning(
            "Refused staff action %s from user %s in chat %s",
            handler.__name__, user.id if user else None, chat.id if chat else None,
        )  # fmt: skip
        if update.callback_query is not None:
            await update.callback_query.answer()
        elif chat is not None and chat.type == "private" and update.effective_message:
            await send(update.effective_message, note(UNKNOWN_COMMAND))

    return checked


# -- applicants --------------------------------------------------------------------------


async def human(update: Update, context: BotContext) -> None:
    """/human [question]: the question to pass on, to confirm; or how to ask."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    desk = context.services.desk
    await send(message, await desk.prepare(user.id, message.chat_id, text_after_command(message)))


async def ask_person(update: Update, context: BotContext) -> None:
    """The "Ask a person" button: confirm the last question the bot could not answer."""
    if (press := await pressed(update, AskPerson)) is None:
        return
    query, _ = press
    await query.answer()
    if isinstance(query.message, Message) and query.message.chat.type == "private":
        reply = await context.services.desk.prepare(query.from_user.id, query.message.chat_id)
        await send(query.message, reply)


async def send_ticket(update: Update, context: BotContext) -> None:
    """Send / Send with my name: the ticket is opened and posted to the staff chat."""
    if (press := await pressed(update, SendTicket)) is None:
        return
    query, choice = press
    await query.answer()
    user = query.from_user
    name = None
    if choice.named:
        name = user.full_name + (f" (@{user.username})" if user.username else "")
    reply = await context.services.desk.send(user.id, choice.draft, name)
    if isinstance(query.message, Message):
        await show_in_place(query.message, reply)


async def drop_ticket(update: Update, context: BotContext) -> None:
    if (press := await pressed(update, DropTicket)) is None:
        return
    query, choice = press
    await query.answer()
    reply = await context.services.desk.drop(query.from_user.id, choice.draft)
    if isinstance(query.message, Message):
        await show_in_place(query.message, reply)


async def applicant_addition(update: Update, context: BotContext) -> None:
    """A reply to a message about a ticket: added to that ticket's thread."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.reply_to_message is None:
        return
    ticket = say.applicant_ref(message.reply_to_message.text)
    if ticket is None or message.text is None:
        return
    await send(message, await context.services.desk.add(user.id, ticket, message.text))


# -- staff -------------------------------------------------------------------------------


async def staff_reply(update: Update, context: BotContext) -> None:
    """A reply in the staff chat: to a ticket's post, from staff, it is the answer."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.reply_to_message is None:
        return
    replied = message.reply_to_message
    if replied.from_user is None or replied.from_user.id != context.bot.id:
        return  # staff talking among themselves
    ticket = say.ticket_ref(replied.text)
    if ticket is None or message.text is None:
        return
    if not context.services.is_staff(user.id):
        logger.warning("Ignored a reply to ticket #%d from non-staff user %s", ticket, user.id)
        return
    await send(message, await context.services.desk.answer(user.id, ticket, message.text))


@desk_staff
async def tickets(update: Update, context: BotContext) -> None:
    """/tickets: the open ones, oldest first, with their age."""
    if update.effective_message is not None:
        await send(update.effective_message, await context.services.desk.listing())


@desk_staff
async def close(update: Update, context: BotContext) -> None:
    """/close N."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    number = TICKET_NUMBER.fullmatch(text_after_command(message).strip())
    if number is None:
        await send(message, problem(say.CLOSE_USAGE))
        return
    await send(message, await context.services.desk.close(user.id, int(number[1])))


@desk_staff
async def close_button(update: Update, context: BotContext) -> None:
    if (press := await pressed(update, CloseTicket)) is None:
        return
    query, choice = press
    reply = await context.services.desk.close(query.from_user.id, choice.ticket)
    await answer_below(query, reply)


async def chat_id(update: Update, context: BotContext) -> None:
    """/chatid, for staff: the chat's id, to set as JETBOT_STAFF_CHAT_ID."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    if not context.services.is_staff(user.id):
        logger.warning("Refused /chatid from non-staff user %s", user.id)
        if message.chat.type == "private":
            await send(message, note(UNKNOWN_COMMAND))
        return
    configured = context.services.settings.desk.staff_chat_id
    await send(message, say.chat_id_reply(message.chat_id, configured))


def routes(bot_data: BotData) -> list[BaseHandler[Update, BotContext, None]]:
    """Before every other feature: in the staff chat, a reply to the bot is an answer to a
    ticket, not a question for the bot."""
    return [
        MessageHandler(
            NEW & ~PRIVATE & InStaffChat(bot_data) & filters.REPLY & ~filters.COMMAND, staff_reply
        ),
        MessageHandler(
            NEW & PRIVATE & filters.TEXT & ~filters.COMMAND & RepliesToTicket(),
            applicant_addition,
        ),
        CommandHandler("human", human, filters=NEW & PRIVATE),
        CommandHandler("human", groups.in_private, filters=NEW & ~PRIVATE),
        command("tickets", tickets),
        command("close", close),
        command("chatid", chat_id),
        on_button(AskPerson, ask_person),
        on_button(SendTicket, send_ticket),
        on_button(DropTicket, drop_ticket),
        on_button(CloseTicket, close_button),
    ]
