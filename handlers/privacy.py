"""/mydata (a page at a time), /forget, /settings, /privacy and /calendar."""

from __future__ import annotations

from telegram import InputFile, Message, Update
from telegram.ext import BaseHandler

from bot.replies import privacy as say
from bot.replies.buttons import ChangeZone, DefaultReminders, Forget, MyDataPage
from handlers.context import BotContext
from handlers.markup import answer_below, answer_in_place, send, show_in_place
from handlers.routing import command, on_button, personal, pressed
from handlers.tracking import applicant, explains_bad_input, language


async def mydata(update: Update, context: BotContext) -> None:
    """Show everything stored about the user: live reminders a page at a time."""
    if update.effective_message is None or update.effective_user is None:
        return
    data = await context.services.tracker.my_data(update.effective_user.id)
    await send(update.effective_message, say.mydata_reply(data))


async def mydata_page(update: Update, context: BotContext) -> None:
    """Previous / Next under /mydata: that page, in place."""
    if (press := await pressed(update, MyDataPage)) is None:
        return
    query, chosen = press
    await query.answer()
    data = await context.services.tracker.my_data(query.from_user.id)
    if isinstance(query.message, Message):
        await show_in_place(query.message, say.mydata_reply(data, chosen.page))


async def forget(update: Update, _: BotContext) -> None:
    """Ask before deleting everything stored about the user."""
    if update.effective_message:
        await send(update.effective_message, say.forget_confirm())


async def forget_button(update: Update, context: BotContext) -> None:
    """The /forget confirmation buttons."""
    if (press := await pressed(update, Forget)) is None:
        return
    query, choice = press
    await query.answer()
    confirmed = choice.confirm
    if confirmed:
        await context.services.forget(query.from_user.id)
    if isinstance(query.message, Message):
        await show_in_place(query.message, say.forgotten(confirmed))


async def settings(update: Update, context: BotContext) -> None:
    """/settings: the zone and the default-reminders switch."""
    message, user = update.effective_message, await applicant(update, context)
    if message is None or user is None:
        return
    await send(message, await context.services.account.settings_reply(user))


@explains_bad_input
async def defaults_button(update: Update, context: BotContext) -> None:
    """The default-reminders switch under /settings: flip it, show the settings again."""
    user = await applicant(update, context)
    if (press := await pressed(update, DefaultReminders)) is None or user is None:
        return
    query, chosen = press
    kb = context.services.answers.current.kb
    reply = await context.services.account.switch_defaults(user, kb, chosen.on)
    await answer_in_place(query, reply)


@explains_bad_input
async def change_zone_button(update: Update, context: BotContext) -> None:
    """ "Change time zone" under /settings: the /timezone question."""
    user = await applicant(update, context)
    if (press := await pressed(update, ChangeZone)) is None or user is None:
        return
    query, _ = press
    kb = context.services.answers.current.kb
    reply = await context.services.guide.timezone(user, kb, "", language(update))
    await answer_below(query, reply)


async def privacy(update: Update, context: BotContext) -> None:
    """/privacy: who runs the bot, what is stored, for how long, how to delete it."""
    if update.effective_message:
        await send(update.effective_message, context.services.account.privacy())


async def calendar(update: Update, context: BotContext) -> None:
    """/calendar: the stage date and open reminders as an .ics file."""
    message, user = update.effective_message, await applicant(update, context)
    if message is None or user is None:
        return
    kb = context.services.answers.current.kb
    export = await context.services.account.calendar(user, kb)
    if export.file is None:
        await send(message, export.reply)
        return
    await message.reply_document(
        InputFile(export.file, filename=export.name), caption=export.reply.text
    )


def routes() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        personal("mydata", mydata),
        personal("forget", forget),
        personal("settings", settings),
        personal("calendar", calendar),
        command("privacy", privacy),
        on_button(Forget, forget_button),
        on_button(MyDataPage, mydata_page),
        on_button(DefaultReminders, defaults_button),
        on_button(ChangeZone, change_zone_button),
    ]
