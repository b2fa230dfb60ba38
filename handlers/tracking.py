"""/stage, /remind, /reminders, /cancel, /timezone and the reminder buttons."""

from __future__ import annotations

from html import escape

from telegram import Message, Update
from telegram.ext import ContextTypes

from bot import tracking_replies as say
from bot.reminders import show
from bot.replies import Reply, parse_callback
from bot.timeparse import InputError
from handlers.common import answers, current_user, send, show_in_place, tracker


def problem(error: InputError) -> Reply:
    return Reply(f"⚠️ {escape(str(error))}")


async def activity(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Record every private update's user; one who had blocked the bot is resumed."""
    if update.effective_user is None or update.effective_chat is None:
        return
    if update.effective_chat.type != "private":
        return
    seen = await tracker(context).seen(update.effective_user.id, update.effective_chat.id)
    if seen.resumed and update.effective_message:
        await send(
            update.effective_message,
            Reply(f"Welcome back! I've resumed your {seen.resumed} paused reminder(s)."),
        )


async def stage(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show the stage with buttons, or set it: /stage interview [2027-02-14 10:30]."""
    message, user = update.effective_message, await current_user(update, context)
    if message is None or user is None:
        return
    track, kb = tracker(context), answers(context).current.kb
    if not context.args:
        await send(message, say.stage_menu(kb, user, track.zone(user)))
        return
    try:
        change = await track.set_stage(user, kb, context.args[0], context.args[1:])
    except InputError as error:
        await send(message, problem(error))
        return
    await send(message, say.stage_change_reply(kb, change, track.zone(user)))


async def stage_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A stage button from /stage: set that stage (without a date)."""
    query, user = update.callback_query, await current_user(update, context)
    if query is None or query.data is None or user is None:
        return
    track, kb = tracker(context), answers(context).current.kb
    try:
        change = await track.set_stage(user, kb, parse_callback(query.data)[1], [])
    except InputError as error:
        await query.answer(str(error), show_alert=True)
        return
    await query.answer(f"Stage set: {change.stage.title}")
    if isinstance(query.message, Message):
        await send(query.message, say.stage_change_reply(kb, change, track.zone(user)))


async def remind(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/remind 2027-02-14 09:00 TEXT or /remind in 90 minutes TEXT."""
    message, user = update.effective_message, await current_user(update, context)
    if message is None or user is None:
        return
    track = tracker(context)
    try:
        reminder = await track.remind(user, " ".join(context.args or []))
    except InputError as error:
        await send(message, problem(error))
        return
    await send(message, say.reminder_set_reply(reminder, track.zone(user)))


async def list_reminders(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/reminders: the open ones, each with a cancel button."""
    message, user = update.effective_message, await current_user(update, context)
    if message is None or user is None:
        return
    track = tracker(context)
    reminders = await track.storage.user_reminders(user.user_id)
    await send(message, say.reminders_reply(reminders, track.zone(user)))


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/cancel N."""
    message, user = update.effective_message, await current_user(update, context)
    if message is None or user is None:
        return
    args = context.args or []
    if len(args) != 1 or not args[0].lstrip("#").isdigit():
        await send(message, Reply("⚠️ Which one? e.g. /cancel 12 (numbers are in /reminders)."))
        return
    number = int(args[0].lstrip("#"))
    if await tracker(context).cancel(user, number):
        await send(message, Reply(f"Cancelled reminder #{number}."))
    else:
        await send(message, Reply(f"⚠️ You have no open reminder #{number}; see /reminders."))


async def cancel_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A cancel button under /reminders: cancel, then refresh the list in place."""
    query, user = update.callback_query, await current_user(update, context)
    if query is None or query.data is None or user is None:
        return
    track = tracker(context)
    number = parse_callback(query.data)[1]
    done = number.isdigit() and await track.cancel(user, int(number))
    await query.answer(f"Cancelled #{number}" if done else "Already gone.")
    if isinstance(query.message, Message):
        reminders = await track.storage.user_reminders(user.user_id)
        await show_in_place(query.message, say.reminders_reply(reminders, track.zone(user)))


async def snooze_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Snooze 1 h under a reminder."""
    query, user = update.callback_query, await current_user(update, context)
    if query is None or query.data is None or user is None:
        return
    track = tracker(context)
    number = parse_callback(query.data)[1]
    snoozed = await track.snooze(user, int(number)) if number.isdigit() else None
    if snoozed is None:
        await query.answer("That reminder is no longer here.")
        return
    await query.answer("Snoozed for an hour.")
    if isinstance(query.message, Message) and query.message.text_html is not None:
        note = f"\n\n💤 Snoozed until {show(snoozed.due_at, track.zone(user))}"
        await show_in_place(query.message, Reply(query.message.text_html + note))


async def done_button(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
    """Done under a reminder: drop its buttons."""
    query = update.callback_query
    if query is None:
        return
    await query.answer("Done ✅")
    if isinstance(query.message, Message) and query.message.text_html is not None:
        await show_in_place(query.message, Reply(query.message.text_html + "\n\n✅ Done"))


async def timezone(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/timezone Europe/London."""
    message, user = update.effective_message, await current_user(update, context)
    if message is None or user is None:
        return
    track = tracker(context)
    if not context.args:
        await send(
            message,
            Reply(
                f"Your time zone is {track.zone(user).key}. Change it with an IANA name, "
                "e.g. /timezone Europe/London or /timezone America/New_York."
            ),
        )
        return
    try:
        zone, moved = await track.set_timezone(
            user, answers(context).current.kb, " ".join(context.args)
        )
    except InputError as error:
        await send(message, problem(error))
        return
    await send(message, say.timezone_reply(zone, moved))
