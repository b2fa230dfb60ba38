"""Read the dates, times, durations and time zones applicants type.

Every error is an InputError whose message is one line with an example, so a
handler can reply with it as is. What every time parser shares is in bot/timebase.py;
its public names stay importable from here.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.timebase import LONGEST, InputError, excerpt, local_to_utc, require_future

__all__ = [
    "LONGEST",
    "MAX_TEXT_LENGTH",
    "InputError",
    "check_text",
    "day_before_at",
    "local_to_utc",
    "parse_clock",
    "parse_duration",
    "parse_local_datetime",
    "parse_remind",
    "parse_zone",
    "require_future",
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

REMIND_EXAMPLE = (
    "/remind 2027-02-14 09:00 Bring passport, or /remind in 90 minutes Call the embassy"
)


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


@cache
def _zone_names() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}


def parse_zone(text: str) -> ZoneInfo:
    """An IANA zone name, case-insensitively: 'europe/london' -> Europe/London."""
    name = _zone_names().get(text.strip().lower().replace(" ", "_"))
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
    cleaned = text.strip()
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

    Accepts "2027-02-14 09:00 TEXT" (in the user's zone) and "in 90 minutes TEXT".
    """
    words = args.split()
    if not words:
        raise InputError(f"tell me when and what, e.g. {REMIND_EXAMPLE}")
    if words[0].lower() == "in":
        return _parse_relative(words[1:], now)
    if len(words) < 2:
        raise InputError(f"tell me a date and a time, e.g. {REMIND_EXAMPLE}")
    due = parse_local_datetime(words[0], words[1], zone)
    require_future(due, now, zone)
    return due, check_text(" ".join(words[2:])), True


def _parse_relative(words: list[str], now: datetime) -> tuple[datetime, str, bool]:
    """'90 minutes Call…', '90m Call…', '1 hour 30 minutes Call…' -> (now + d, text, False)."""
    taken = 0
    for end in range(len(words), 0, -1):
        candidate = " ".join(words[:end])
        if DURATION.match(candidate.lower()) and all(
            unit in UNITS for _, unit in DURATION_PART.findall(candidate.lower())
        ):
            taken = end
            break
    if taken == 0:
        shown = excerpt(" ".join(words[:2])) or "nothing"
        raise InputError(
            f"'{shown}' is not a duration; write e.g. /remind in 90 minutes Call the embassy"
        )
    delta = parse_duration(" ".join(words[:taken]))
    return now + delta, check_text(" ".join(words[taken:])), False


def day_before_at(moment: datetime, days: int, clock: time, zone: ZoneInfo) -> datetime:
    """The wall-clock ``clock`` in ``zone``, ``days`` days before ``moment``'s local date."""
    local_day: date = moment.astimezone(zone).date() - timedelta(days=days)
    wall = datetime.combine(local_day, clock)
    try:
        return local_to_utc(wall, zone)
    except InputError:
        # A default reminder landing in a DST gap moves to just after it.
        return local_to_utc(wall + timedelta(hours=1), zone)
