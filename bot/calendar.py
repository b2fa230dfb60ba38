"""The applicant's dates as an iCalendar (RFC 5545) file, for /calendar.

Built with the ``icalendar`` package (folding, escaping and the value types are its job).
Every event has a UID that stays the same from one export to the next: the stage's is
``stage-<stage id>-<user id>@jetbot``, a reminder's ``reminder-<number>-<user id>@jetbot``
(the number the user sees, which never changes), so importing a newer file updates the
events instead of adding copies. SEQUENCE is the export's time in minutes: each export
is a newer revision of every event. Times are written in UTC, which every calendar reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from icalendar import Alarm, Calendar, Event

from bot.knowledge import Stage
from bot.store import Reminder, User

PRODUCT = "-//jetbot//JET applicant bot//EN"
NAME = "JET application"
STAGE_LENGTH = timedelta(hours=1)  # a stage date is a moment; calendars want a span
REMINDER_LENGTH = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class Dated:
    """What goes into the file: the stage and its date, and the open reminders."""

    user: User
    stage: Stage | None
    reminders: Sequence[Reminder]

    @property
    def empty(self) -> bool:
        """Nothing dated: no stage date and no open reminder."""
        return (self.stage is None or self.user.stage_at is None) and not self.reminders


def build(dated: Dated, now: datetime) -> bytes:
    """The .ics file: one event for the stage date (alarms at its default reminders), one
    for each other open reminder (an alarm when it is due)."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", NAME)
    user, stage = dated.user, dated.stage
    own = [r for r in dated.reminders if stage is None or r.stage != stage.id]
    if stage is not None and user.stage_at is not None:
        defaults = [r for r in dated.reminders if r.stage == stage.id]
        calendar.add_component(stage_event(user, stage, user.stage_at, defaults, now))
    for reminder in own:
        calendar.add_component(reminder_event(user, reminder, now))
    return bytes(calendar.to_ical())


def stage_event(
    user: User, stage: Stage, at: datetime, defaults: Sequence[Reminder], now: datetime
) -> Event:
    """The stage date, with an alarm at each of its open default reminders."""
    event = base_event(f"stage-{stage.id}-{user.user_id}@jetbot", now)
    event.add("summary", f"JET: {stage.title}")
    event.add("dtstart", at)
    event.add("duration", STAGE_LENGTH)
    for reminder in defaults:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", reminder.text)
        alarm.add("trigger", reminder.due_at, parameters={"VALUE": "DATE-TIME"})
        event.add_component(alarm)
    return event


def reminder_event(user: User, reminder: Reminder, now: datetime) -> Event:
    """One of the user's own reminders, with an alarm when it is due."""
    event = base_event(f"reminder-{reminder.shown}-{user.user_id}@jetbot", now)
    event.add("summary", reminder.text)
    event.add("dtstart", reminder.due_at)
    event.add("duration", REMINDER_LENGTH)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", reminder.text)
    alarm.add("trigger", timedelta(0))
    event.add_component(alarm)
    return event


def base_event(uid: str, now: datetime) -> Event:
    """What every event carries: its stable UID and this export's revision."""
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", now)
    event.add("last-modified", now)
    event.add("sequence", int(now.timestamp() // 60))
    return event
