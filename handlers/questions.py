"""Free-text questions, "did you mean" choices and follow-up buttons."""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import ContextTypes

from bot import replies
from handlers.common import answers, send


async def question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a free-text question, offer choices, or say honestly where to ask."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    snapshot = answers(context).current
    match = snapshot.match(message.text)
    await send(message, replies.match_reply(snapshot.kb, match))


async def answer_topic(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A "did you mean" or follow-up button: answer that topic in a new message."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    kb = answers(context).current.kb
    _, topic_id = replies.parse_callback(query.data)
    topic = kb.topics.get(topic_id)
    if topic is None:
        await query.answer("Sorry, that answer is no longer available. Try asking again.")
        return
    await query.answer()
    if isinstance(query.message, Message):
        await send(query.message, replies.answer_reply(kb, topic))


async def none_of_these(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """No "did you mean" choice fits: say honestly where to ask instead."""
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    if isinstance(query.message, Message):
        await send(query.message, replies.fallback_reply(answers(context).current.kb))
