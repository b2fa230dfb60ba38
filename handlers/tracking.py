"""/stage, /remind, /reminders, /cancel, /timezone and the reminder buttons."""

from __future__ import annotations

from functools import wraps

from telegram import Message, Update
from telegram.ext import BaseHandler

from bot.replies import problem
from bot.replies import tracking as say
from bot.replies.buttons import CancelReminder, DoneReminder, SetStage, SnoozeReminder
from bot.replies.tracking import welcome_back
from bot.store import User
from bot.timeparse import InputError
from bot.tracking import reminder_number
from handlers.context import BotContext
from handlers.markup import send, show_in_place
from handlers.routing import Callback, on_button, personal, pressed


async def applicant(update: Update, context: BotContext) -> User | None:
    """The stored user behind a private chat's update; None anywhere else.

    Recorded now, not in the background: what follows changes their data, and
    must not be confirmed if the database cannot take it.
    """
    user, chat, message = update.effective_user, update.effective_chat, update.effective_message
    if user is None or chat is None or chat.type != "private":
        return None
    seen = await context.services.tracker.seen(user.id, chat.id)
    if seen.resumed and message is not None:
        await send(message, welcome_back(seen.resumed))
    return seen.user


def explains_bad_input(handler: Callback) -> Callback:
    """Bad input gets its one-line explanation, and nothing changed."""

    @wraps(handler)
    async def explained(update: Update, context: BotContext) -> None:
        try:
            await handler(update, context)
        except InputError as error:
            if update.callback_query is not None:
                await update.callback_query.answer(str(error)[:200], show_alert=True)
            elif update.effective_message is not None:
                await send(update.effective_message, problem(str(error)))

    return explained


def arguments(context: BotContext) -> str:
    return " ".join(context.args or [])


@explains_bad_input
async def stage(update: Update, context: BotContext) -> None:
    """Show the stage with buttons, or set it: /stage interview [2027-02-14 10:30]."""
    message, user = update.effective_message, await applicant(update, context)
    if message is None or user is None:
        return
    tracker, kb = context.services.tracker, context.services.answers.current.kb
    if not context.args:
        await send(message, say.stage_menu(kb, user, tracker.zone(user)))
        return
    change = await tracker.set_stage(user, kb, context.args[0], context.args[1:])
    await send(message, say.stage_change_reply(kb, change))


@explains_bad_input
async def stage_button(update: Update, context: BotContext) -> None:
    """A stage button from /stage: set that stage (without a date)."""
    user = await applicant(update, context)
    if (press := await pressed(update, SetStage)) is None or user is None:
        return
    query, chosen = press
    kb = context.services.answers.current.kb
    change = await context.services.tracker.set_stage(user, kb, chosen.stage, [])
    await query.answer(say.stage_set_toast(change))
    if isinstance(query.message, Message):
        await send(query.message, say.stage_change_reply(kb, change))


@explains_bad_input
async def remind(update: Update, context: BotContext) -> None:
    """/remind 2027-02-14 09:00 TEXT or /remind in 90 minutes TEXT."""
    message, user = update.effective_message, await applicant(update, context)
    if message is None or user is None:
        return
    reminder = await context.services.tracker.remind(user, arguments(context))
    await send(message, say.reminder_set_reply(reminder))


async def list_reminders(update: Update, context: BotContext) -> None:
    """/reminders: the open ones, each with a cancel button."""
    message, user = update.effective_message, await applicant(update, context)
    if message is None or user is None:
        return
    await send(message, say.reminders_reply(await context.services.tracker.listing(user)))


async def cancel(update: Update, context: BotContext) -> None:
    """/cancel N."""
    message, user = update.effective_message, await applicant(update, context)
    if message is None or user is None:
        return
    number = reminder_number(arguments(context))
    if number is None:
        await send(message, problem(say.CANCEL_USAGE))
        return
    done = await context.services.tracker.cancel(user, number)
    await send(message, say.cancelled(number, done))


async def cancel_button(update: Update, context: BotContext) -> None:
    """A cancel button under /reminders: cancel, then refresh the list in place."""
    user = await applicant(update, context)
    if (press := await pressed(update, CancelReminder)) is None or user is None:
        return
    query, chosen = press
    tracker = context.services.tracker
    done = await tracker.cancel(user, chosen.reminder)
    await query.answer(say.cancel_toast(chosen.reminder, done))
    if isinstance(query.message, Message):
        await show_in_place(query.message, say.reminders_reply(await tracker.listing(user)))


@explains_bad_input
async def snooze_button(update: Update, context: BotContext) -> None:
    """Snooze 1 h under a reminder."""
    user = await applicant(update, context)
    if (press := await pressed(update, SnoozeReminder)) is None or user is None:
        return
    query, chosen = press
    snoozed = await context.services.tracker.snooze(user, chosen.reminder)
    if snoozed is None:
        await query.answer(say.SNOOZE_GONE)
        return
    await query.answer(say.SNOOZED_TOAST)
    if isinstance(query.message, Message) and query.message.text_html is not None:
        await show_in_place(query.message, say.snoozed(query.message.text_html, snoozed))


async def done_button(update: Update, _: BotContext) -> None:
    """Done under a reminder: drop its buttons."""
    query = update.callback_query
    if query is None:
        return
    await query.answer(say.DONE_TOAST)
    if isinstance(query.message, Message) and query.message.text_html is not None:
        await show_in_place(query.message, say.done(query.message.text_html))


@explains_bad_input
async def timezone(update: Update, context: BotContext) -> None:
    """/timezone Europe/London."""
    message, user = update.effective_message, await applicant(update, context)
    if message is None or user is None:
        return
    tracker = context.services.tracker
    if not context.args:
        await send(message, say.timezone_prompt(tracker.zone(user)))
        return
    kb = context.services.answers.current.kb
    change = await tracker.set_timezone(user, kb, arguments(context))
    await send(message, say.timezone_reply(change))


def routes() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        personal("stage", stage),
        personal("remind", remind),
        personal("reminders", list_reminders),
        personal("cancel", cancel),
        personal("timezone", timezone),
        on_button(SetStage, stage_button),
        on_button(CancelReminder, cancel_button),
        on_button(SnoozeReminder, snooze_button),
        on_button(DoneReminder, done_button),
    ]
