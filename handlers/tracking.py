"""/stage, /remind, /reminders, /cancel, /timezone and the reminder buttons."""

from __future__ import annotations

from functools import wraps

from telegram import Message, Update
from telegram.ext import BaseHandler

from bot.replies import problem
from bot.replies import tracking as say
from bot.replies.buttons import (
    CancelReminder,
    DoneReminder,
    ReminderPage,
    SetStage,
    SnoozeReminder,
)
from bot.replies.tracking import welcome_back
from bot.store import User
from bot.timeparse import InputError
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


def language(update: Update) -> str | None:
    """The user's Telegram language, which suggests their likely time zones."""
    return update.effective_user.language_code if update.effective_user else None


@explains_bad_input
async def stage(update: Update, context: BotContext) -> None:
    """/stage: the menu; /stage interview [14 Feb 10:30]: set it (a missing date is asked)."""
    message, user = update.effective_message, await applicant(update, context)
    if message is None or user is None:
        return
    kb = context.services.answers.current.kb
    reply = await context.services.guide.stage(user, kb, arguments(context), language(update))
    await send(message, reply)


@explains_bad_input
async def stage_button(update: Update, context: BotContext) -> None:
    """A stage button from /stage: set that stage, then ask its date."""
    user = await applicant(update, context)
    if (press := await pressed(update, SetStage)) is None or user is None:
        return
    query, chosen = press
    kb = context.services.answers.current.kb
    reply = await context.services.guide.stage_chosen(user, kb, chosen.stage, language(update))
    await query.answer(say.STAGE_SET_TOAST)
    if isinstance(query.message, Message):
        await send(query.message, reply)


@explains_bad_input
async def remind(update: Update, context: BotContext) -> None:
    """/remind tomorrow 9am TEXT, /remind in 90 minutes TEXT; without them, it asks."""
    message, user = update.effective_message, await applicant(update, context)
    if message is None or user is None:
        return
    reply = await context.services.guide.remind(user, arguments(context), language(update))
    await send(message, reply)


async def list_reminders(update: Update, context: BotContext) -> None:
    """/reminders: the first page of the open ones, each with a cancel button."""
    message, user = update.effective_message, await applicant(update, context)
    if message is None or user is None:
        return
    await send(message, say.reminders_reply(await context.services.tracker.listing(user)))


@explains_bad_input
async def cancel(update: Update, context: BotContext) -> None:
    """/cancel: the step in progress; without one, /cancel 12 cancels reminder #12."""
    message, user = update.effective_message, await applicant(update, context)
    if message is None or user is None:
        return
    await send(message, await context.services.guide.cancel(user, arguments(context)))


async def cancel_button(update: Update, context: BotContext) -> None:
    """A cancel button under /reminders: cancel, then refresh that page in place."""
    user = await applicant(update, context)
    if (press := await pressed(update, CancelReminder)) is None or user is None:
        return
    query, chosen = press
    tracker = context.services.tracker
    page = say.page_with(await tracker.listing(user), chosen.reminder)
    cancelled = await tracker.cancel(user, chosen.reminder)
    await query.answer(say.cancel_toast(cancelled))
    if isinstance(query.message, Message):
        await show_in_place(query.message, say.reminders_reply(await tracker.listing(user), page))


async def reminder_page(update: Update, context: BotContext) -> None:
    """Previous / Next under /reminders: that page, in place."""
    user = await applicant(update, context)
    if (press := await pressed(update, ReminderPage)) is None or user is None:
        return
    query, chosen = press
    await query.answer()
    listing = await context.services.tracker.listing(user)
    if isinstance(query.message, Message):
        await show_in_place(query.message, say.reminders_reply(listing, chosen.page))


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
    """/timezone London, Tokyo, UTC+9, JST…; without a zone, it asks with buttons."""
    message, user = update.effective_message, await applicant(update, context)
    if message is None or user is None:
        return
    kb = context.services.answers.current.kb
    reply = await context.services.guide.timezone(user, kb, arguments(context), language(update))
    await send(message, reply)


def routes() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        personal("stage", stage),
        personal("remind", remind),
        personal("reminders", list_reminders),
        personal("cancel", cancel),
        personal("timezone", timezone),
        on_button(SetStage, stage_button),
        on_button(CancelReminder, cancel_button),
        on_button(ReminderPage, reminder_page),
        on_button(SnoozeReminder, snooze_button),
        on_button(DoneReminder, done_button),
    ]
