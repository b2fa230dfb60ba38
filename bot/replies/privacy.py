"""What the bot says about the user's own data and choices: /mydata, /forget, /settings,
/privacy."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from html import escape
from zoneinfo import ZoneInfo

from bot.clock import show
from bot.context import MEMORY, Context
from bot.replies import Reply, button
from bot.replies.buttons import ChangeZone, DefaultReminders, Forget, MyDataPage
from bot.replies.tracking import PAGE, page_buttons, page_of, reminder_line
from bot.timebase import excerpt
from bot.tracking import DIALOG_LIFETIME, MyData, StageChange
from bot.zones import describe_zone

# The remembered question, as quoted back: enough to recognise it.
QUOTED_QUESTION = 200


def mydata_reply(data: MyData, page: int = 0) -> Reply:
    """Everything stored about the user, with one page of their live reminders."""
    user, reminders, default = data.user, data.reminders, data.default_zone
    if user is None:
        return Reply("I store nothing about you.")
    zone = ZoneInfo(user.timezone) if user.timezone else default
    page = page_of(len(reminders), page)
    shown = reminders[page * PAGE : (page + 1) * PAGE]
    lines = [
        "Everything I store about you:",
        f"• Telegram user id: {user.user_id}",
        f"• Time zone: {user.timezone or f'not set (using {default.key})'}",
        f"• Stage: {escape(user.stage or 'not set')}",
        f"• Stage date: {show(user.stage_at, zone) if user.stage_at else 'not set'}",
        f"• Default reminders for your stage: {'on' if user.default_reminders else 'off'}",
        f"• First seen: {show(user.created_at, zone)}; last seen: {show(user.last_seen_at, zone)}",
        f"• Receiving messages: {'yes' if user.active else 'no (you had blocked me)'}",
        f"• Open reminders ({len(reminders)})" + (":" if reminders else ""),
    ]
    lines += [f"   {reminder_line(r, zone)} [{r.status.value}]" for r in shown]
    if len(reminders) > PAGE:
        first = page * PAGE + 1
        lines.append(f"   (showing {first} to {first + len(shown) - 1} of {len(reminders)})")
    lines.append(f"• Past reminders, sent or cancelled: {data.past}")
    if data.deliveries:
        counts = ", ".join(f"{n} {kind}(s)" for kind, n in sorted(data.deliveries.items()))
        lines.append(f"• Announcements sent or due to you: {counts}")
    if data.conversation is not None:
        lines.append(conversation_line(data.conversation))
    if data.tickets:
        asked = ", ".join(f"#{t.id} ({t.status.value})" for t in data.tickets)
        lines.append(f"• Questions you passed on to the office, with their answers: {asked}")
    if data.dialog is not None:
        lines.append(
            f"• A question of {escape(data.dialog)} waiting for your answer "
            f"(forgotten after {DIALOG_LIFETIME // timedelta(minutes=1)} minutes, or with /cancel)"
        )
    lines += ["", "Delete all of it with /forget."]
    return Reply("\n".join(lines), page_buttons(len(reminders), page, MyDataPage))


def conversation_line(stored: str) -> str:
    """What the conversation memory holds, in words."""
    minutes = int(MEMORY.total_seconds() // 60)
    context = Context.from_dict(json.loads(stored)) if stored.startswith("{") else None
    what = (
        f"your last question, “{escape(excerpt(context.question, QUOTED_QUESTION))}”, "
        f"about {escape(context.topic)}"
        if context is not None and context.topic
        else "what we last talked about"
    )
    return (
        f"• Our conversation, so that I understand follow-ups like “and ALTs?”: {what} "
        f"(forgotten after {minutes} minutes of silence)"
    )


def forget_confirm() -> Reply:
    """/forget: sure?"""
    return Reply(
        "This deletes your stage, dates, time zone, all your reminders and your questions "
        "to the office, for good. Sure?",
        (
            (
                button("Yes, delete everything", Forget(True)),
                button("No, keep it", Forget(False)),
            ),
        ),
    )


def forgotten(deleted: bool) -> Reply:
    """After the /forget buttons."""
    return Reply(
        "Done: I've deleted everything I stored about you." if deleted else "Nothing was deleted."
    )


def settings_reply(
    zone: ZoneInfo, chosen: bool, defaults_on: bool, now: datetime, change: str = ""
) -> Reply:
    """/settings: the zone and the default-reminders switch, each with its button."""
    where = escape(describe_zone(zone, now))
    lines = [
        "<b>Your settings</b>",
        f"• Time zone: {where}" + ("" if chosen else " — not chosen yet, this is my default"),
        f"• Default reminders for your stage: {'on' if defaults_on else 'off'} (when you set a "
        "stage date I remind you before it, e.g. a week and a day before)",
    ]
    if change:
        lines += ["", change]
    switch = "Default reminders: turn off" if defaults_on else "Default reminders: turn on"
    return Reply(
        "\n".join(lines),
        (
            (button("🕐 Change time zone", ChangeZone()),),
            (button(switch, DefaultReminders(not defaults_on)),),
        ),
    )


def defaults_changed(on: bool, change: StageChange | None) -> str:
    """What switching the default reminders did to the stage's reminders."""
    if not on:
        return "Default reminders are off: the open ones of your stage are cancelled."
    if change is None:
        return "Default reminders are on: they are planned when you set a stage date."
    return f"Default reminders are on: {len(change.reminders)} planned for your stage date."


def privacy_reply(operator: str, retention_days: int, dialog: timedelta) -> Reply:
    """/privacy: who runs the bot, what it stores and for how long, how to delete it."""
    memory = int(MEMORY.total_seconds() // 60)
    waiting = int(dialog.total_seconds() // 60)
    return Reply(
        "\n".join(
            [
                "<b>Privacy</b>",
                f"This bot is run by {escape(operator)}.",
                "",
                "What I store about you, until you delete it:",
                "• your Telegram user id and chat id, and when you first and last wrote;",
                "• your time zone, stage, stage date and settings;",
                "• your reminders: their text and times (past ones too, until /forget).",
                "",
                "For a short while only:",
                f"• the last thing we talked about, for {memory} minutes, so that follow-up "
                "questions make sense;",
                f"• a command waiting for your answer (e.g. /remind asking what), for "
                f"{waiting} minutes.",
                "",
                "Questions I could not answer are kept without your user id, so that the "
                f"answers can be improved; their text is deleted after {retention_days} days. "
                "Votes on answers are counted without keeping who voted.",
                "",
                "See everything with /mydata; delete everything with /forget.",
            ]
        )
    )


CALENDAR_CAPTION = Reply(
    "Your stage date and reminders, as a calendar file: open it to add them to your "
    "calendar. Send /calendar again after a change; importing the new file updates the "
    "events instead of adding copies."
)
NOTHING_TO_EXPORT = Reply(
    "There is nothing to put in a calendar yet: set your stage date (/stage interview "
    "14 Feb 10:30) or a reminder (/remind tomorrow 9am Bring passport) first."
)
