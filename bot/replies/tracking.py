"""What the bot says about stages, reminders, time zones and stored data."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from bot.clock import show
from bot.dates import describe
from bot.knowledge import KnowledgeBase
from bot.replies import Button, Reply, button, note
from bot.replies.buttons import (
    ButtonData,
    CancelReminder,
    DoneReminder,
    ReminderPage,
    SetStage,
    SnoozeReminder,
)
from bot.store import Reminder, Status, User
from bot.timebase import excerpt
from bot.tracking import Listing, StageChange, ZoneChange
from bot.zones import describe_zone

PAGE = 10  # reminders per page: one command is one message, however many there are
# A listing quotes this much of each reminder, so that a page always fits one message.
LISTED_TEXT = 120

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
    """One reminder in a listing: its number, time, shortened text and state."""
    note = STATUS_NOTES.get(reminder.status, "")
    text = escape(excerpt(reminder.text, LISTED_TEXT))
    return f"#{reminder.shown} · {show(reminder.due_at, zone)} · {text}{note}"


def reminder_set_reply(reminder: Reminder, time_given: bool = True) -> Reply:
    """The confirmation: the moment understood, in words with weekday, time and zone."""
    zone = ZoneInfo(reminder.timezone)
    lines = [
        f"Reminder #{reminder.shown} set for {escape(describe(reminder.due_at, zone))}:",
        escape(reminder.text),
    ]
    if not time_given:
        lines += ["", default_time_note(reminder.due_at, zone, "/remind tomorrow 14:00 …")]
    lines += ["", f"See all with /reminders; cancel with /cancel {reminder.shown}."]
    return Reply("\n".join(lines))


def default_time_note(moment: datetime, zone: ZoneInfo, example: str) -> str:
    """Says the time was chosen for the user, and how to give one."""
    local = moment.astimezone(zone)
    return f"(No time given, so I used {local:%H:%M}; give one to change it, e.g. {example}.)"


def page_of(count: int, page: int) -> int:
    """``page`` kept within the pages there are (a button may be older than a change)."""
    last = max(0, (count - 1) // PAGE)
    return min(max(page, 0), last)


def page_buttons(
    count: int, page: int, to_page: Callable[[int], ButtonData]
) -> tuple[tuple[Button, ...], ...]:
    """Previous / Next, when there is more than one page."""
    row = []
    if page > 0:
        row.append(button("◀️ Previous", to_page(page - 1)))
    if (page + 1) * PAGE < count:
        row.append(button("Next ▶️", to_page(page + 1)))
    return (tuple(row),) if row else ()


def reminders_reply(listing: Listing, page: int = 0) -> Reply:
    """One page of the open reminders, each with a cancel button; Previous / Next."""
    reminders, zone = listing.reminders, listing.zone
    if not reminders:
        return Reply(
            "You have no reminders. Set one with /remind tomorrow 9am Bring passport, "
            "or /remind in 90 minutes Call the embassy."
        )
    page = page_of(len(reminders), page)
    shown = reminders[page * PAGE : (page + 1) * PAGE]
    heading = f"Your reminders ({zone.key})"
    if len(reminders) > PAGE:
        first = page * PAGE + 1
        heading += f", {first} to {first + len(shown) - 1} of {len(reminders)}"
    lines = [f"{heading}:", ""]
    lines += [reminder_line(r, zone) for r in shown]
    buttons = tuple(
        (button(f"Cancel #{r.shown}", CancelReminder(r.id)),)
        for r in shown
        if r.status is not Status.SENDING
    )
    return Reply("\n".join(lines), buttons + page_buttons(len(reminders), page, ReminderPage))


def page_with(listing: Listing, reminder_id: int) -> int:
    """The page of the listing a reminder is on (0 if it is not there)."""
    ids = [r.id for r in listing.reminders]
    return ids.index(reminder_id) // PAGE if reminder_id in ids else 0


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
    text += "\n\nTo add a date: /stage interview 14 Feb 10:30 (your time zone: /timezone)."
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
        lines[0] += f", on {escape(describe(change.stage_at, zone))}"
    lines[0] += "."
    if change.stage_at is not None and not change.time_given:
        example = f"/stage {change.stage.id} {change.stage_at.astimezone(zone):%d %b} 10:30"
        lines += ["", default_time_note(change.stage_at, zone, example)]
    if change.reminders:
        lines += ["", "I'll remind you:"]
        lines += [
            f"• #{r.shown} {show(r.due_at, zone)}: {escape(r.text)}" for r in change.reminders
        ]
    if change.skipped:
        lines += ["", f"({change.skipped} earlier reminder(s) skipped: their time has passed.)"]
    if change.defaults_off:
        lines += ["", "(Default reminders are off; switch them on in /settings.)"]
    topic = kb.topics.get(change.stage.topic)
    if topic is not None:
        lines += ["", f"<b>What happens at this step</b>\n{escape(topic.answer)}"]
    if change.next_stage is not None:
        lines += ["", f"<b>What comes next:</b> {escape(change.next_stage.title)}."]
    return Reply("\n".join(lines))


def timezone_reply(change: ZoneChange) -> Reply:
    """The new zone with its offset and clock now, and how the typed name was read."""
    text = f"Your time zone is now {escape(describe_zone(change.zone, change.now))}."
    if change.note:
        text += f"\n({escape(change.note[:1].upper() + change.note[1:])}.)"
    if change.moved:
        text += f"\n{change.moved} reminder(s) keep their local time in it; their numbers stay."
    return Reply(text)


def welcome_back(resumed: int) -> Reply:
    return Reply(f"Welcome back! I've resumed your {resumed} paused reminder(s).")


CANCEL_USAGE = "Which one? e.g. /cancel 12 (numbers are in /reminders)."


def cancelled(number: int, reminder: Reminder | None) -> Reply:
    """/cancel 12: done, or there is no open #12."""
    if reminder is not None:
        return Reply(
            f"Cancelled reminder #{number}: {escape(excerpt(reminder.text, LISTED_TEXT))}"
        )
    return note(f"⚠️ You have no open reminder #{number}; see /reminders.")


def cancel_toast(reminder: Reminder | None) -> str:
    """The short note on a pressed Cancel button."""
    return f"Cancelled #{reminder.shown}" if reminder is not None else "Already gone."


STAGE_SET_TOAST = "Stage set."


SNOOZE_GONE = "That reminder is no longer here."
SNOOZED_TOAST = "Snoozed for an hour."
DONE_TOAST = "Done ✅"


def snoozed(original_html: str, snoozed: Reminder) -> Reply:
    """The pushed reminder, edited to say until when it sleeps."""
    until = show(snoozed.due_at, ZoneInfo(snoozed.timezone))
    return Reply(f"{original_html}\n\n💤 Snoozed until {until}")


def done(original_html: str) -> Reply:
    return Reply(f"{original_html}\n\n✅ Done")
