"""Staff commands: /reload, /stats, /unanswered, /broadcast, and the broadcast buttons.

Every one checks JETBOT_STAFF_IDS; anyone else gets the ordinary unknown-command
reply, and the attempt is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from functools import wraps
from html import escape

from telegram import Message, Update
from telegram.ext import ContextTypes

from bot import broadcasts, insights
from bot.housekeeping import Housekeeper
from bot.knowledge import MAX_ANNOUNCEMENT_LENGTH
from bot.replies import UNKNOWN_COMMAND, Button, Reply, callback, parse_callback
from handlers.common import (
    HOUSEKEEPER,
    answers,
    is_staff,
    pusher,
    send,
    show_in_place,
    tracker,
)

logger = logging.getLogger(__name__)

BROADCAST = "bc"  # bc:yes:<id> | bc:no:<id>
STAFF_COMMANDS = (
    ("reload", "reload the knowledge base now (it also reloads by itself when files change)"),
    ("stats", "users, stages, questions, answers, votes, reminders"),
    ("unanswered", "the most frequent questions I could not answer"),
    ("broadcast", "/broadcast <stage|all> <text>: announce, after a preview"),
)
BROADCAST_USAGE = "⚠️ Write /broadcast <stage|all> <text>, e.g. /broadcast interview Good luck!"

Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]


def staff_only(handler: Handler) -> Handler:
    """Refuse non-staff exactly as an unknown command would be refused, and log it."""

    @wraps(handler)
    async def checked(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if is_staff(update, context):
            await handler(update, context)
            return
        user = update.effective_user.id if update.effective_user else None
        what = (
            update.callback_query.data
            if update.callback_query
            else (update.effective_message.text if update.effective_message else None)
        )
        logger.warning("Refused staff action from non-staff user %s: %r", user, what)
        if update.callback_query:
            await update.callback_query.answer()
        elif update.effective_message:
            await send(update.effective_message, Reply(UNKNOWN_COMMAND))

    return checked


def housekeeper(context: ContextTypes.DEFAULT_TYPE) -> Housekeeper:
    return context.bot_data[HOUSEKEEPER]


@staff_only
async def reload(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Load and validate the knowledge base now; keep the old one if it has problems."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    result = await housekeeper(context).reload(by=user.id)
    await send(message, Reply(escape(result.describe())))


@staff_only
async def stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Usage figures."""
    if update.effective_message is None:
        return
    track = tracker(context)
    figures = await insights.stats(track.storage, track.clock())
    await send(update.effective_message, Reply(escape(insights.format_stats(figures))))


@staff_only
async def unanswered(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The most frequent unanswered questions, similar wordings grouped."""
    if update.effective_message is None:
        return
    groups = await insights.unanswered(tracker(context).storage)
    text = insights.format_unanswered(groups)
    if groups:
        text += "\n\nExport them to label: jetbot kb unanswered --out unanswered.yaml"
    await send(update.effective_message, Reply(escape(text)))


@staff_only
async def broadcast(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/broadcast <stage|all> <text>: a preview with the recipient count, to confirm."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.text is None:
        return
    parts = message.text.split(maxsplit=2)
    if len(parts) < 3:
        await send(message, Reply(escape(BROADCAST_USAGE)))
        return
    target, text = parts[1].lower(), parts[2].strip()
    kb = answers(context).current.kb
    if target != broadcasts.ALL and kb.stage(target) is None:
        names = ", ".join([broadcasts.ALL, *(s.id for s in kb.stages)])
        await send(message, Reply(escape(f"⚠️ '{target}' is not a stage; use one of: {names}")))
        return
    if len(text) > MAX_ANNOUNCEMENT_LENGTH:
        await send(message, Reply(f"⚠️ Keep it under {MAX_ANNOUNCEMENT_LENGTH} characters."))
        return
    track = tracker(context)
    stage = None if target == broadcasts.ALL else target
    draft = await broadcasts.draft(track.storage, user.id, stage, text, track.clock())
    who = "everyone" if stage is None else f"users at stage '{stage}'"
    preview = (
        f"<b>Broadcast preview</b> — to {escape(who)}: {draft.recipients} recipient(s).\n\n"
        f"📢 {escape(text)}"
    )
    buttons = (
        (
            Button("Confirm", callback(BROADCAST, f"yes:{draft.id}")),
            Button("Cancel", callback(BROADCAST, f"no:{draft.id}")),
        ),
    )
    await send(message, Reply(preview, buttons))


@staff_only
async def broadcast_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Confirm or Cancel under a broadcast preview."""
    query, user = update.callback_query, update.effective_user
    if query is None or query.data is None or user is None:
        return
    answer, _, number = parse_callback(query.data)[1].partition(":")
    track = tracker(context)
    if not number.isdigit():
        await query.answer()
        return
    if answer == "yes":
        queued = await broadcasts.confirm(track.storage, int(number), user.id, track.clock())
        text = (
            f"Broadcast #{number} is going out to {queued} recipient(s); "
            "I'll report when it has finished."
            if queued is not None
            else f"Broadcast #{number} was already confirmed or cancelled."
        )
        if queued:
            pusher(context).wake()
    else:
        cancelled = await broadcasts.cancel(track.storage, int(number), user.id, track.clock())
        text = f"Broadcast #{number} cancelled." if cancelled else "Nothing to cancel."
    await query.answer()
    if isinstance(query.message, Message):
        await show_in_place(query.message, Reply(escape(text)))


def staff_help() -> str:
    lines = ["\n\n<b>Staff</b>"]
    lines += [f"• /{name} — {escape(description)}" for name, description in STAFF_COMMANDS]
    return "\n".join(lines)
