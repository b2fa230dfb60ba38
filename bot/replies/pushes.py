"""Unprompted messages, as they leave the outbox: reminders, announcements, notices."""

from __future__ import annotations

from datetime import datetime, timedelta
from html import escape
from zoneinfo import ZoneInfo

from bot.clock import show
from bot.replies import Reply
from bot.replies.tickets import ticket_buttons
from bot.replies.tracking import reminder_reply
from bot.store import Kind, Reminder

# A reminder this late says when it was due, so nobody mistakes it for a new date.
LATE_AFTER = timedelta(minutes=2)


def compose(delivery: Reminder, now: datetime) -> Reply:
    """The message for one outbox row, as the push sender sends it at ``now``."""
    if delivery.kind is Kind.BROADCAST:
        return Reply(f"📢 {escape(delivery.text)}")
    if delivery.kind is Kind.NOTICE:
        return Reply(escape(delivery.text))
    # Help-desk messages were worded (and escaped) when they were queued.
    if delivery.kind is Kind.TICKET:
        return Reply(delivery.text, ticket_buttons(delivery.ticket_id or 0))
    if delivery.kind is Kind.ANSWER:
        return Reply(delivery.text)
    late = now - delivery.due_at > LATE_AFTER
    due = show(delivery.due_at, ZoneInfo(delivery.timezone)) if late else None
    return reminder_reply(delivery.id, delivery.text, due)
