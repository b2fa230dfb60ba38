"""Guided commands: typed answers to a waiting step, the steps' buttons, and a new command
ending the step (bot/guide.py has the rules)."""

from __future__ import annotations

import contextlib

from telegram import Update
from telegram.ext import BaseHandler, MessageHandler, filters

from bot.replies.buttons import ChooseZone, NoDate, OpenStage, OtherZone, PickReading, RemindWhen
from bot.store import StoreError
from handlers.context import BotContext
from handlers.markup import answer_below, send
from handlers.questions import question
from handlers.routing import NEW, PRIVATE, on_button, pressed
from handlers.tracking import applicant, explains_bad_input, language


@explains_bad_input
async def answer_or_question(update: Update, context: BotContext) -> None:
    """Plain text: the answer to a waiting step, else a question."""
    message, user = update.effective_message, update.effective_user
    if message is None or message.text is None or user is None:
        return
    kb = context.services.answers.current.kb
    try:
        reply = await context.services.guide.answer(user.id, kb, message.text, language(update))
    except StoreError:
        # A sick store must not stop questions: with no step to read, it is a question.
        reply = None
    if reply is None:
        await question(update, context)
        return
    await send(message, reply)


async def end_step(update: Update, context: BotContext) -> None:
    """A new command ends the step in progress, before it runs; /cancel and /timezone
    (which may answer a zone question) decide for themselves."""
    message, user = update.effective_message, update.effective_user
    if message is None or message.text is None or user is None:
        return
    name = message.text.split(maxsplit=1)[0][1:].split("@", 1)[0].lower()
    if name in ("cancel", "timezone"):
        return
    with contextlib.suppress(StoreError):  # the command itself will say if the store is sick
        await context.services.guide.end_step(user.id)


@explains_bad_input
async def when_button(update: Update, context: BotContext) -> None:
    """In 1 hour / Tomorrow 9:00 / Type a date, under /remind."""
    user = await applicant(update, context)
    if (press := await pressed(update, RemindWhen)) is None or user is None:
        return
    query, chosen = press
    reply = await context.services.guide.remind_when(user, chosen.choice, language(update))
    await answer_below(query, reply)


@explains_bad_input
async def zone_button(update: Update, context: BotContext) -> None:
    """A zone button: set it, and carry out the command that waited for it."""
    user = await applicant(update, context)
    if (press := await pressed(update, ChooseZone)) is None or user is None:
        return
    query, chosen = press
    kb = context.services.answers.current.kb
    reply = await context.services.guide.choose_zone(user, kb, chosen.zone, language(update))
    await answer_below(query, reply)


@explains_bad_input
async def other_zone_button(update: Update, context: BotContext) -> None:
    """ "Other: type a city"."""
    user = await applicant(update, context)
    if (press := await pressed(update, OtherZone)) is None or user is None:
        return
    query, _ = press
    reply = await context.services.guide.other_zone(user)
    await answer_below(query, reply)


@explains_bad_input
async def reading_button(update: Update, context: BotContext) -> None:
    """One reading of an ambiguous date."""
    user = await applicant(update, context)
    if (press := await pressed(update, PickReading)) is None or user is None:
        return
    query, chosen = press
    kb = context.services.answers.current.kb
    reply = await context.services.guide.pick_reading(user, kb, chosen.index, language(update))
    await answer_below(query, reply)


@explains_bad_input
async def no_date_button(update: Update, context: BotContext) -> None:
    """ "No date yet" under the stage date question."""
    user = await applicant(update, context)
    if (press := await pressed(update, NoDate)) is None or user is None:
        return
    query, _ = press
    reply = await context.services.guide.no_date(user)
    await answer_below(query, reply)


async def open_stage_button(update: Update, context: BotContext) -> None:
    """ "Set my stage" under /start: the stage menu, as a new message."""
    user = await applicant(update, context)
    if (press := await pressed(update, OpenStage)) is None or user is None:
        return
    query, _ = press
    kb = context.services.answers.current.kb
    reply = await context.services.guide.stage(user, kb, "", language(update))
    await answer_below(query, reply)


TEXT = MessageHandler(NEW & PRIVATE & filters.TEXT & ~filters.COMMAND, answer_or_question)


def first_routes() -> list[tuple[BaseHandler[Update, BotContext, None], int]]:
    """Before any command runs (group -1): a new command ends the step in progress."""
    return [(MessageHandler(NEW & PRIVATE & filters.COMMAND, end_step), -1)]


def routes() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        on_button(RemindWhen, when_button),
        on_button(ChooseZone, zone_button),
        on_button(OtherZone, other_zone_button),
        on_button(PickReading, reading_button),
        on_button(NoDate, no_date_button),
        on_button(OpenStage, open_stage_button),
    ]
