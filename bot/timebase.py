"""What every date, time and zone parser here shares.

The error type, quoting what a user typed in a one-line reply, turning a wall-clock
time into UTC, the "in the future and not too far" rule, and showing a moment in words.
bot/timeparse.py re-exports the public names, where the rest of the bot imports them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from bot.text import printable

LONGEST = timedelta(days=3 * 366)
MIN_YEAR, MAX_YEAR = 1970, 2999
# Long enough to recognise what was typed, short enough that a reply never echoes a paste.
MAX_EXCERPT = 40
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class InputError(ValueError):
    """What the user typed is not a usable date, duration, zone or text.

    The message is one line with an example, so a handler can reply with it as is.
    """


def excerpt(text: str, limit: int = MAX_EXCERPT) -> str:
    """What the user typed, fit to quote: one line, no control characters, at most ``limit``."""
    flat = printable(text)
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def offset_text(offset: timedelta | None) -> str:
    """timedelta(hours=-5) -> 'UTC-05:00'; timedelta(hours=5, minutes=30) -> 'UTC+05:30'."""
    minutes = int((offset or timedelta()).total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, minutes = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def in_words(local: datetime) -> str:
    """A wall-clock time as people read it, the same in every locale: 'Sun 14 Feb 2027, 10:30'."""
    weekday, month = WEEKDAY_NAMES[local.weekday()], MONTH_NAMES[local.month - 1]
    return f"{weekday} {local.day} {month} {local.year}, {local:%H:%M}"


def describe_moment(moment: datetime, zone: ZoneInfo) -> str:
    """'Sun 14 Feb 2027, 10:30 (Europe/London, UTC+00:00)': what a confirmation repeats."""
    local = moment.astimezone(zone)
    return f"{in_words(local)} ({zone.key}, {offset_text(local.utcoffset())})"


def local_to_utc(local: datetime, zone: ZoneInfo) -> datetime:
    """A wall-clock time in ``zone`` as UTC; a time skipped by a DST change is an error.

    A time that happens twice (clocks going back) is taken at its first occurrence.
    """
    if not MIN_YEAR <= local.year <= MAX_YEAR:
        raise InputError(
            f"{local:%Y-%m-%d} is out of range; give a date between {MIN_YEAR} and {MAX_YEAR}, "
            "e.g. 2027-02-14"
        )
    aware = local.replace(tzinfo=zone, fold=0)
    utc = aware.astimezone(UTC)
    if utc.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise InputError(
            f"{local:%Y-%m-%d %H:%M} does not exist in {zone.key}: the clocks skip it "
            f"for daylight saving time; pick another time, e.g. {local:%Y-%m-%d} 12:00"
        )
    return utc


def require_future(moment: datetime, now: datetime, zone: ZoneInfo) -> None:
    """Refuse a moment that is not after ``now`` or is more than three years after it."""
    if moment <= now:
        raise InputError(
            f"{describe_moment(moment, zone)} is in the past; pick a future time, "
            f"e.g. {now.astimezone(zone) + timedelta(days=1):%Y-%m-%d %H:%M}"
        )
    if moment - now > LONGEST:
        raise InputError(
            f"{in_words(moment.astimezone(zone))} is more than three years away; "
            f"pick a nearer date, e.g. {now.astimezone(zone) + timedelta(days=30):%Y-%m-%d %H:%M}"
        )


def wall_clock_in(local: datetime, zone: ZoneInfo) -> datetime:
    """A local time in ``zone`` as UTC, moved past a DST gap if it falls in one."""
    try:
        return local_to_utc(local, zone)
    except InputError:
        return local_to_utc(local + timedelta(hours=1), zone)


@cache
def iana_names() -> dict[str, str]:
    """The IANA zone names this machine can load, by their lower-case spelling."""
    return {name.lower(): name for name in available_timezones()}


def iana_name(typed: str) -> str | None:
    """The IANA name ``typed`` spells in any case, spaces for underscores: 'europe/london'."""
    return iana_names().get(typed.strip().lower().replace(" ", "_"))
