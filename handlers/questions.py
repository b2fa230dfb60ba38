"""Free-text questions, "did you mean" choices, follow-up and feedback buttons."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import ContextTypes

from bot import insights, replies
from handlers.common import answers, send, tracker


async def question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a free-text question, offer choices, or say honestly where to ask."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    snapshot = answers(context).current
    match = snapshot.match(message.text)
    track = tracker(context)
    await insights.record_question(track.storage, message.text, match, track.clock())
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


async def vote(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Helpful? 👍 / 👎 under an answer: count it once, then drop the vote buttons."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    helpful, _, topic_id = replies.parse_callback(query.data)[1].partition(":")
    if topic_id not in answers(context).current.kb.topics or helpful not in ("0", "1"):
        await query.answer()
        return
    track = tracker(context)
    await insights.record_vote(track.storage, topic_id, helpful == "1", track.clock())
    await query.answer("Thanks for the feedback!")
    if isinstance(query.message, Message) and query.message.reply_markup is not None:
        rows = [
            [b for b in row if not str(b.callback_data or "").startswith(f"{replies.VOTE}:")]
            for row in query.message.reply_markup.inline_keyboard
        ]
        kept = [row for row in rows if row]
        await query.message.edit_reply_markup(InlineKeyboardMarkup(kept) if kept else None)
