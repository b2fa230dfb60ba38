"""What the bot says while it guides a command: the questions, their buttons, the endings."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from bot.dates import When, describe
from bot.knowledge import Stage
from bot.replies import Button, Reply, button
from bot.replies.buttons import ChooseZone, NoDate, OtherZone, PickReading, RemindWhen
from bot.timebase import excerpt
from bot.zones import ZONE_EXAMPLE, ZoneChoice, describe_zone

WHEN_EXAMPLE = "tomorrow 9am, friday 14:00, 14 Feb 10:30 or in 2 hours"
STEP_CLOSED = "That question has closed; start again, e.g. /remind or /stage."
NOTHING_TO_CANCEL = Reply(
    "Nothing to cancel. To cancel a reminder, tap its button in /reminders or send its "
    "number, e.g. /cancel 12."
)
NAMES = {"remind": "/remind", "stage": "/stage", "timezone": "/timezone"}


def chain(first: Reply, second: Reply) -> Reply:
    """Two replies as one message: the texts one after the other, every button kept."""
    return Reply(f"{first.text}\n\n{second.text}", first.buttons + second.buttons)


def ask_when() -> Reply:
    """/remind alone: when, with three buttons."""
    return Reply(
        f"When should I remind you? Tap one, or type it, e.g. {WHEN_EXAMPLE}.",
        (
            (
                button("In 1 hour", RemindWhen("hour")),
                button("Tomorrow 9:00", RemindWhen("tomorrow")),
            ),
            (button("✏️ Type a date", RemindWhen("type")),),
        ),
    )


def type_when() -> Reply:
    """After "Type a date"."""
    return Reply(f"Type when, e.g. {WHEN_EXAMPLE}. (/cancel to stop.)")


def ask_text(when: When, zone: ZoneInfo) -> Reply:
    """The moment is known; what should the reminder say?"""
    return Reply(
        f"What should I remind you of on {escape(describe(when, zone))}? "
        "Type it, e.g. Bring passport. (/cancel to stop.)"
    )


def ask_date(stage: Stage, has_date: bool) -> Reply:
    """The date question after a stage was set, with a button to leave it for now."""
    title = escape(stage.title)
    lead = (
        f"To change the date of your {title}, type" if has_date else f"When is your {title}? Type"
    )
    return Reply(
        f"{lead} it, e.g. 14 Feb 10:30, or the day alone (14 Feb) if the time is not set yet.",
        ((button("Keep the date" if has_date else "No date yet", NoDate()),),),
    )


def no_date(stage_id: str) -> Reply:
    """ "No date yet" pressed."""
    return Reply(
        "OK, no date for now. Add it when you know it, "
        f"e.g. /stage {escape(stage_id)} 14 Feb 10:30."
    )


def zone_buttons(zones: Sequence[str], now: datetime) -> tuple[tuple[Button, ...], ...]:
    """A button per zone, labelled with its offset and clock, and "Other: type a city"."""
    rows = tuple((button(describe_zone(zone, now), ChooseZone(zone)),) for zone in zones)
    return (*rows, (button("✏️ Other: type a city", OtherZone()),))


def ask_zone_first(likely: Sequence[str], now: datetime) -> Reply:
    """Before the first date of someone who never set a zone."""
    return Reply(
        "First, which time zone are you in? I need it to read your date, and I'll carry out "
        f"your command right after. Tap yours, or type a city, country or offset, e.g. "
        f"{ZONE_EXAMPLE}.",
        zone_buttons(likely, now),
    )


def zone_prompt(zone: ZoneInfo, chosen: bool, likely: Sequence[str], now: datetime) -> Reply:
    """/timezone alone: the zone now, and how to change it."""
    where = escape(describe_zone(zone, now))
    state = (
        f"Your time zone is {where}." if chosen else f"You haven't set a time zone; I use {where}."
    )
    return Reply(
        f"{state} To change it, tap one or type a city, country or UTC offset, "
        f"e.g. {ZONE_EXAMPLE}.",
        zone_buttons(likely, now),
    )


def type_zone() -> Reply:
    """After "Other: type a city"."""
    return Reply(f"Type your city, country or UTC offset, e.g. {ZONE_EXAMPLE}. (/cancel to stop.)")


def zone_choices(choice: ZoneChoice, now: datetime) -> Reply:
    """Several zones fit what was typed: a button each, with the note on how it was read."""
    note = escape(choice.note[:1].upper() + choice.note[1:])
    if not note:
        text = "Several zones fit; which one is yours?"
    elif choice.note.endswith("pick yours"):
        text = f"{note}."
    else:
        text = f"{note}. Which one is yours?"
    return Reply(text, zone_buttons(choice.zones, now))


def fixed_note(zone: str) -> str:
    """The caveat for a zone chosen by button: fixed offsets ignore daylight saving."""
    if not zone.startswith("Etc/"):
        return ""
    return (
        "a fixed offset never changes for daylight saving; if your clocks change, "
        "name your city instead, e.g. London or New York"
    )


def ask_reading(typed: str, readings: Sequence[When], zone: ZoneInfo) -> Reply:
    """An ambiguous date: a button per reading."""
    rows = tuple(
        (button(describe(reading, zone), PickReading(index)),)
        for index, reading in enumerate(readings)
    )
    return Reply(
        f"“{escape(excerpt(typed))}” can be read two ways. Which do you mean? "
        "(Or type the date with the month in words, e.g. 3 Apr 2027.)",
        rows,
    )


def step_cancelled(command: str, number: int | None) -> Reply:
    """/cancel during a step: the step goes; a reminder number given is left alone."""
    if number is None:
        return Reply("Cancelled.")
    return Reply(
        f"Cancelled the {NAMES.get(command, 'command')} in progress. Reminder #{number} is "
        f"untouched (a step in progress comes first); send /cancel {number} again to cancel it."
    )
