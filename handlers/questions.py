"""Free-text questions, "did you mean" choices, follow-up and feedback buttons."""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import BaseHandler

from bot.replies import Reply
from bot.replies.buttons import AnswerTopic, NoneOfThese, Vote
from bot.replies.questions import GONE, THANKS_FOR_VOTING, without_votes
from handlers.context import BotContext
from handlers.markup import answer_below, buttons_of, send, set_buttons
from handlers.routing import on_button, pressed


async def question(update: Update, context: BotContext) -> None:
    """Answer a free-text question, offer choices, or say honestly where to ask."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    asked = await context.services.asker.ask(message.text, str(message.chat_id))
    await send(message, asked.reply)


async def answer_topic(update: Update, context: BotContext) -> None:
    """A "did you mean" or follow-up button: answer that topic in a new message."""
    if (press := await pressed(update, AnswerTopic)) is None:
        return
    query, chosen = press
    chat = str(query.message.chat.id) if query.message is not None else None
    reply = await context.services.asker.answer_topic(chosen.topic, chat)
    if reply is None:
        await query.answer(GONE)
        return
    await answer_below(query, reply)


async def none_of_these(update: Update, context: BotContext) -> None:
    """No "did you mean" choice fits: say honestly where to ask instead."""
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    if isinstance(query.message, Message):
        await send(query.message, context.services.asker.fallback())


async def vote(update: Update, context: BotContext) -> None:
    """Helpful? 👍 / 👎 under an answer: count it once per user, then drop the buttons."""
    if (press := await pressed(update, Vote)) is None:
        return
    query, ballot = press
    if not isinstance(query.message, Message):
        await query.answer()
        return
    message = query.message
    voter = f"{query.from_user.id}:{message.chat_id}:{message.message_id}"
    await context.services.asker.vote(ballot, voter)
    await query.answer(THANKS_FOR_VOTING)
    if message.reply_markup is not None:
        await set_buttons(message, Reply("", without_votes(buttons_of(message))))


def routes() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        on_button(AnswerTopic, answer_topic),
        on_button(NoneOfThese, none_of_these),
        on_button(Vote, vote),
    ]
