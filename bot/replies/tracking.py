"""What the bot says about stages, reminders, time zones and stored data."""

from __future__ import annotations

import json
from html import escape
from zoneinfo import ZoneInfo

from bot.clock import show
from bot.context import MEMORY, Context
from bot.knowledge import KnowledgeBase
from bot.replies import Reply, button, note
from bot.replies.buttons import CancelReminder, DoneReminder, Forget, SetStage, SnoozeReminder
from bot.store import Reminder, Status, User
from bot.tracking import Listing, MyData, StageChange, ZoneChange

STATUS_NOTES = {
    Status.PENDING: "",
    Status.SENDING: " (sending)",
    Status.PAUSED: " (paused: you had blocked me)",
    Status.FAILED: " (could not be delivered)",
}


def reminder_reply(reminder_id: int, text: str, late_due: str | None) -> Reply:
    """A reminder as pushed, with Snooze and Done buttons."""
    body = f"⏰ {escape(text)}"
    if late_due:
        body += f"\n\n<i>This reminder was due {escape(late_due)}; I could not send it then.</i>"
    buttons = (
        (
            button("Snooze 1 h", SnoozeReminder(reminder_id)),
            button("Done", DoneReminder(reminder_id)),
        ),
    )
    return Reply(body, buttons)


def reminder_line(reminder: Reminder, zone: ZoneInfo) -> str:
    note = STATUS_NOTES.get(reminder.status, "")
    return f"#{reminder.id} · {show(reminder.due_at, zone)} · {escape(reminder.text)}{note}"


def reminder_set_reply(reminder: Reminder) -> Reply:
    zone = ZoneInfo(reminder.timezone)
    return Reply(
        f"Reminder set for {show(reminder.due_at, zone)} ({zone.key}):\n"
        f"{escape(reminder.text)}\n\nSee all with /reminders; cancel with /cancel {reminder.id}."
    )


def reminders_reply(listing: Listing) -> Reply:
    reminders, zone = listing.reminders, listing.zone
    if not reminders:
        return Reply(
            "You have no reminders. Set one with /remind 2027-02-14 09:00 Bring passport, "
            "or /remind in 90 minutes Call the embassy."
        )
    lines = [f"Your reminders ({zone.key}):", ""]
    lines += [reminder_line(r, zone) for r in reminders]
    buttons = tuple(
        (button(f"Cancel #{r.id}", CancelReminder(r.id)),)
        for r in reminders
        if r.status is not Status.SENDING
    )
    return Reply("\n".join(lines), buttons)


def stage_menu(kb: KnowledgeBase, user: User, zone: ZoneInfo) -> Reply:
    """/stage: where the user is, with a button per stage to change it."""
    current = kb.stage(user.stage) if user.stage else None
    if current is None:
        text = "You haven't told me your stage yet. Where are you in the selection process?"
    else:
        text = f"Your stage: <b>{escape(current.title)}</b>"
        if user.stage_at is not None:
            text += f", on {show(user.stage_at, zone)} ({zone.key})"
        text += "."
    text += "\n\nTo add a date: /stage interview 2027-02-14 10:30 (your time zone: /timezone)."
    rows = tuple(
        (button(("✅ " if s.id == user.stage else "") + s.title, SetStage(s.id)),)
        for s in kb.stages
    )
    return Reply(text, rows)


def stage_change_reply(kb: KnowledgeBase, change: StageChange) -> Reply:
    """Confirms the stage, lists its reminders, and says what happens there and next."""
    zone = change.zone
    lines = [f"Your stage is now <b>{escape(change.stage.title)}</b>"]
    if change.stage_at is not None:
        lines[0] += f", on {show(change.stage_at, zone)} ({zone.key})"
    lines[0] += "."
    if change.reminders:
        lines += ["", "I'll remind you:"]
        lines += [f"• {show(r.due_at, zone)}: {escape(r.text)}" for r in change.reminders]
    if change.skipped:
        lines += ["", f"({change.skipped} earlier reminder(s) skipped: their time has passed.)"]
    topic = kb.topics.get(change.stage.topic)
    if topic is not None:
        lines += ["", f"<b>What happens at this step</b>\n{escape(topic.answer)}"]
    if change.next_stage is not None:
        lines += ["", f"<b>What comes next:</b> {escape(change.next_stage.title)}."]
    return Reply("\n".join(lines))


def timezone_reply(change: ZoneChange) -> Reply:
    text = f"Your time zone is now {change.zone.key}."
    if change.moved:
        text += f" {change.moved} reminder(s) keep their local time in it."
    return Reply(text)


def timezone_prompt(zone: ZoneInfo) -> Reply:
    return Reply(
        f"Your time zone is {zone.key}. Change it with an IANA name, "
        "e.g. /timezone Europe/London or /timezone America/New_York."
    )


def mydata_reply(data: MyData) -> Reply:
    user, reminders, default, deliveries = (
        data.user,
        data.reminders,
        data.default_zone,
        data.deliveries,
    )
    if user is None:
        return Reply("I store nothing about you.")
    zone = ZoneInfo(user.timezone) if user.timezone else default
    lines = [
        "Everything I store about you:",
        f"• Telegram user id: {user.user_id}",
        f"• Time zone: {user.timezone or f'not set (using {default.key})'}",
        f"• Stage: {escape(user.stage or 'not set')}",
        f"• Stage date: {show(user.stage_at, zone) if user.stage_at else 'not set'}",
        f"• First seen: {show(user.created_at, zone)}; last seen: {show(user.last_seen_at, zone)}",
        f"• Receiving messages: {'yes' if user.active else 'no (you had blocked me)'}",
        f"• Reminders ({len(reminders)}):",
    ]
    lines += [f"   {reminder_line(r, zone)} [{r.status.value}]" for r in reminders]
    if deliveries:
        counts = ", ".join(f"{n} {kind}(s)" for kind, n in sorted(deliveries.items()))
        lines.append(f"• Announcements sent or due to you: {counts}")
    if data.conversation is not None:
        lines.append(conversation_line(data.conversation))
    if data.tickets:
        asked = ", ".join(f"#{t.id} ({t.status.value})" for t in data.tickets)
        lines.append(f"• Questions you passed on to the office, with their answers: {asked}")
    lines += ["", "Delete all of it with /forget."]
    return Reply("\n".join(lines))


def conversation_line(stored: str) -> str:
    """What the conversation memory holds, in words."""
    minutes = int(MEMORY.total_seconds() // 60)
    context = Context.from_dict(json.loads(stored)) if stored.startswith("{") else None
    what = (
        f"your last question, “{escape(context.question)}”, about {escape(context.topic)}"
        if context is not None and context.topic
        else "what we last talked about"
    )
    return (
        f"• Our conversation, so that I understand follow-ups like “and ALTs?”: {what} "
        f"(forgotten after {minutes} minutes of silence)"
    )


def forget_confirm() -> Reply:
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
    return Reply(
        "Done: I've deleted everything I stored about you." if deleted else "Nothing was deleted."
    )


def welcome_back(resumed: int) -> Reply:
    return Reply(f"Welcome back! I've resumed your {resumed} paused reminder(s).")


CANCEL_USAGE = "Which one? e.g. /cancel 12 (numbers are in /reminders)."


def cancelled(number: int, done: bool) -> Reply:
    if done:
        return Reply(f"Cancelled reminder #{number}.")
    return note(f"⚠️ You have no open reminder #{number}; see /reminders.")


def cancel_toast(number: int, done: bool) -> str:
    """The short note on a pressed Cancel button."""
    return f"Cancelled #{number}" if done else "Already gone."


def stage_set_toast(change: StageChange) -> str:
    return f"Stage set: {change.stage.title}"


SNOOZE_GONE = "That reminder is no longer here."
SNOOZED_TOAST = "Snoozed for an hour."
DONE_TOAST = "Done ✅"


def snoozed(original_html: str, snoozed: Reminder) -> Reply:
    """The pushed reminder, edited to say until when it sleeps."""
    until = show(snoozed.due_at, ZoneInfo(snoozed.timezone))
    return Reply(f"{original_html}\n\n💤 Snoozed until {until}")


def done(original_html: str) -> Reply:
    return Reply(f"{original_html}\n\n✅ Done")
