"""Read the arguments of /remind, durations, clock times and strict zone names.

Every error is an InputError whose message is one line with an example, so a handler can
reply with it as is. Natural dates live in bot/dates.py and zones people name in
bot/zones.py; the names other modules import from here stay importable from here.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.dates import REMINDER_DEFAULT_TIME, AmbiguousDate, When, find_when, parse_when
from bot.text import as_written
from bot.timebase import (
    LONGEST,
    InputError,
    excerpt,
    iana_name,
    local_to_utc,
    require_future,
    wall_clock_in,
)

__all__ = [
    "LONGEST",
    "MAX_TEXT_LENGTH",
    "AmbiguousDate",
    "InputError",
    "When",
    "check_text",
    "day_before_at",
    "local_to_utc",
    "parse_clock",
    "parse_duration",
    "parse_local_datetime",
    "parse_remind",
    "parse_reminder",
    "parse_zone",
    "require_future",
    "split_when",
]

MAX_TEXT_LENGTH = 1000
UNITS = {
    "s": "seconds", "sec": "seconds", "secs": "seconds", "second": "seconds", "seconds": "seconds",
    "m": "minutes", "min": "minutes", "mins": "minutes", "minute": "minutes", "minutes": "minutes",
    "h": "hours", "hr": "hours", "hrs": "hours", "hour": "hours", "hours": "hours",
    "d": "days", "day": "days", "days": "days",
    "w": "weeks", "wk": "weeks", "wks": "weeks", "week": "weeks", "weeks": "weeks",
}  # fmt: skip
# "90 minutes", "90m", "1h30m", "2 hours 30 minutes"
DURATION_PART = re.compile(r"(\d+)\s*([a-z]+)")
DURATION = re.compile(r"^(?:\d+\s*[a-z]+\s*)+$")
DATE_TIME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})$")
CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")

REMIND_EXAMPLE = "/remind tomorrow 9am Bring passport, or /remind in 90 minutes Call the embassy"


def parse_duration(text: str) -> timedelta:
    """'90 minutes', '90m', '2h', '3 days', '1 week', '1h30m' -> a timedelta."""
    cleaned = text.strip().lower()
    if not DURATION.match(cleaned):
        raise InputError(
            f"'{excerpt(text)}' is not a duration; write e.g. 90 minutes, 2 hours, 3 days, "
            "1 week or 90m"
        )
    total = timedelta()
    for amount, unit in DURATION_PART.findall(cleaned):
        if unit not in UNITS:
            raise InputError(
                f"unknown unit '{excerpt(unit)}'; use seconds, minutes, hours, days or weeks "
                "(or s, m, h, d, w)"
            )
        if len(amount) > 9:  # beyond any sensible reminder, and beyond timedelta's range
            raise InputError(
                "that is more than three years away; pick a nearer time, e.g. 90 minutes"
            )
        total += timedelta(**{UNITS[unit]: int(amount)})
    if total <= timedelta(0):
        raise InputError("the duration must be more than zero, e.g. in 10 minutes")
    if total > LONGEST:
        raise InputError(
            "that is more than three years away; pick a nearer time, e.g. 90 minutes or 2 weeks"
        )
    return total


def parse_clock(text: str) -> time:
    match = CLOCK.match(text.strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise InputError(f"'{excerpt(text)}' is not a time of day; write it as HH:MM, e.g. 18:00")
    return time(int(match[1]), int(match[2]))


def parse_zone(text: str) -> ZoneInfo:
    """An IANA zone name, case-insensitively: 'europe/london' -> Europe/London.

    Strict, for settings and the knowledge base; bot.zones.resolve_zone also reads cities,
    countries, offsets and abbreviations, as users type them.
    """
    name = iana_name(text)
    if name is None:
        raise InputError(
            f"'{excerpt(text)}' is not a time zone I know; use an IANA name like Europe/London, "
            "America/New_York or Asia/Tokyo"
        )
    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError as error:  # listed but not loadable: a broken tz database
        raise InputError(f"the time zone '{name}' cannot be loaded here") from error


def parse_local_datetime(date_text: str, time_text: str, zone: ZoneInfo) -> datetime:
    """'2027-02-14', '09:00' in the user's zone -> an aware UTC datetime."""
    typed = f"{date_text.strip()} {time_text.strip()}".strip()
    match = DATE_TIME.match(typed)
    if not match:
        raise InputError(
            f"'{excerpt(typed)}' is not a date and time; write YYYY-MM-DD HH:MM, "
            "e.g. 2027-02-14 09:30"
        )
    year, month, day, hour, minute = (int(part) for part in match.groups())
    try:
        local = datetime(year, month, day, hour, minute)  # noqa: DTZ001 - zone applied below
    except ValueError as error:
        raise InputError(
            f"{excerpt(typed)} is not a real date or time ({error}); "
            "write YYYY-MM-DD HH:MM, e.g. 2027-02-14 09:30"
        ) from error
    return local_to_utc(local, zone)


def check_text(text: str) -> str:
    """A reminder's text as it will be stored and sent: control characters (a null
    byte, say) become spaces."""
    cleaned = as_written(text)
    if not cleaned:
        raise InputError(f"what should I remind you of? e.g. {REMIND_EXAMPLE}")
    if len(cleaned) > MAX_TEXT_LENGTH:
        raise InputError(
            f"the reminder text is {len(cleaned)} characters; keep it under {MAX_TEXT_LENGTH}, "
            "e.g. Bring passport"
        )
    return cleaned


def parse_remind(args: str, now: datetime, zone: ZoneInfo) -> tuple[datetime, str, bool]:
    """The arguments of /remind -> (due time in UTC, text, whether it is a wall-clock time).

    Kept for callers written before ``parse_reminder``, which also says whether a time
    was given.
    """
    when, text = parse_reminder(args, now, zone)
    return when.at, text, when.wall_clock


def parse_reminder(
    args: str, now: datetime, zone: ZoneInfo, *, default_time: time = REMINDER_DEFAULT_TIME
) -> tuple[When, str]:
    """The arguments of /remind -> (when, text).

    "<when> TEXT", where <when> is any form bot.dates reads ("tomorrow 9am", "friday",
    "14 Feb 10:30", "2027-02-14 09:00"; the longest leading phrase that reads as one), in
    the user's zone; or "in 90 minutes TEXT", a delay. An ambiguous date raises
    AmbiguousDate with the text in ``rest``, once the text is known to be usable.
    """
    words = args.split()
    if not words:
        raise InputError(f"tell me when and what, e.g. {REMIND_EXAMPLE}")
    if words[0].lower() == "in":
        due, text = _parse_relative(words[1:], now)
        local = due.astimezone(zone).replace(tzinfo=None)
        return When(due, local, time_given=True, wall_clock=False), text
    _refuse_bare_delay(words)
    phrase, rest = find_when(" ".join(words))
    if not phrase:
        raise InputError(
            f"'{excerpt(' '.join(words[:2]))}' is not a date or time; write e.g. {REMIND_EXAMPLE}"
        )
    try:
        when = parse_when(phrase, now, zone, default_time=default_time)
    except AmbiguousDate as error:
        raise AmbiguousDate(error.typed, error.readings, rest=check_text(rest)) from None
    return when, check_text(rest)


def split_when(args: str, now: datetime, zone: ZoneInfo) -> tuple[When, str]:
    """Like parse_reminder, but the text may be missing (a guided /remind asks for it)."""
    words = args.split()
    if words and words[0].lower() == "in":
        try:
            delay = parse_duration(" ".join(words[1:]))
        except InputError:
            return parse_reminder(args, now, zone)
        due = now + delay
        return When(due, due.astimezone(zone).replace(tzinfo=None), True, wall_clock=False), ""
    phrase, rest = find_when(args)
    if phrase and not rest:
        return parse_when(phrase, now, zone, default_time=REMINDER_DEFAULT_TIME), ""
    return parse_reminder(args, now, zone)


def _refuse_bare_delay(words: list[str]) -> None:
    """'/remind 2h Call' means in two hours, not at 02:00: say so instead of guessing."""
    for end in (2, 1):
        candidate = " ".join(words[:end])
        if len(words) >= end and _is_duration(candidate):
            raise InputError(
                f"'{excerpt(candidate)}' is a delay; write /remind in {excerpt(candidate)} "
                "Call the embassy, or a time, e.g. /remind tomorrow 9am Call the embassy"
            )


def _is_duration(text: str) -> bool:
    cleaned = text.lower()
    return bool(DURATION.match(cleaned)) and all(
        unit in UNITS for _, unit in DURATION_PART.findall(cleaned)
    )


def _parse_relative(words: list[str], now: datetime) -> tuple[datetime, str]:
    """'90 minutes Call…', '90m Call…', '1 hour 30 minutes Call…' -> (now + d, text)."""
    taken = 0
    for end in range(len(words), 0, -1):
        if _is_duration(" ".join(words[:end])):
            taken = end
            break
    if taken == 0:
        shown = excerpt(" ".join(words[:2])) or "nothing"
        raise InputError(
            f"'{shown}' is not a duration; write e.g. /remind in 90 minutes Call the embassy"
        )
    delta = parse_duration(" ".join(words[:taken]))
    return now + delta, check_text(" ".join(words[taken:]))


def day_before_at(moment: datetime, days: int, clock: time, zone: ZoneInfo) -> datetime:
    """The wall-clock ``clock`` in ``zone``, ``days`` days before ``moment``'s local date."""
    local_day: date = moment.astimezone(zone).date() - timedelta(days=days)
    # A default reminder landing in a DST gap moves to just after it.
    return wall_clock_in(datetime.combine(local_day, clock), zone)
