"""Dates and times the way applicants type them, read in their own time zone.

``parse_when("tomorrow 9am", now, zone)`` -> a ``When``; ``find_when`` splits a date off the
front of a reminder ("friday 14:00 Call the embassy"); ``describe`` repeats a moment in words.
The parts live beside it: the words in bot/date_words.py, the grammar in bot/date_grammar.py,
resolving what was read in bot/date_resolution.py; their public names are importable from here.

Why a small hand-written grammar and no library: measured (Python 3.11, ``python -X
importtime``, cumulative) on 26 forms applicants type, at Sun 10 Jan 2027 12:00 in London.
A form counts as right when the date, the time, the default time for a date typed alone,
and the refusal of an impossible or ambiguous date are all right ("lenient": any time of
day accepted for a date typed alone):

=============  =====  ========  ===============  =========================================
library        right  lenient   import           what went wrong
=============  =====  ========  ===============  =========================================
dateparser     13/26  24/26     105-150 ms;      03/04/2027 silently 4 March; "noon" in
                                220-250 ms to    the past; reading a reminder's text:
                                its first parse  "do" is next Sunday, "a" a year from now,
                                                 "12" is 12 December, "may" is May
parsedatetime  8/26   16/26     35-55 ms         "this monday" is last Monday, "9am" and
                                                 "noon" already past, 25:00 accepted,
                                                 "next week sometime" is a date
dateutil       15/26  15/26     50-70 ms         no "tomorrow", "next friday", "noon";
                                                 fuzzy mode drops words ("tomorrow 9am
                                                 call" is today 09:00); dayfirst guesses
                                                 03/04/2027 silently
pendulum       4/26   8/26      50-80 ms         ISO 8601 only, and no "now" to be
                                                 relative to
this module    26/26  26/26     30-35 ms, most
                                of it dataclasses
                                (the bot imports
                                it anyway); 12 ms
                                its own
=============  =====  ========  ===============  =========================================

None of them says whether a time was typed (so "the default time was used" cannot be
reported), none refuses an ambiguous 03/04/2027, and none finds where a date ends and a
reminder's text begins without trying every prefix (dateparser takes ~1 ms a try, and
reads plain words as dates). A strict grammar of the forms people really type is shorter
than the glue any of them would need, and it refuses instead of guessing.

The rules:

- Day and month in numbers: 14/02/2027, 2/14/2027, 14.02.2027, 14-02-2027 (the year may
  be left out with slashes only, and may be two digits: 27 is 2027). A part over 12 is the
  day. When both are 12 or under and differ (03/04/2027), both readings are weighed: those
  that are possible (not past, within three years, not skipped by the clocks) are kept;
  one left is taken, two raise ``AmbiguousDate`` so the caller can ask. A year first
  (2027-02-14, 2027/02/14) is always year-month-day.
- A date without a year is its next occurrence that is not in the past.
- A weekday ("friday", "on friday", "this friday") is the next such day whose time is
  still ahead, today included. "next friday" said when the coming Friday is later this
  Monday-to-Sunday week is ambiguous in English (that Friday, or the one after), so both
  are offered; said later in the week (Saturday, or on a Friday) it is the coming Friday.
- A weekday written next to a date ("Sun 14 Feb") must be that date's weekday; with an
  ambiguous numeric date it picks the reading that matches.
- A time alone is today if it is still ahead, else tomorrow.
- A date alone gets ``default_time`` (09:00 unless the caller says otherwise) and
  ``When.time_given`` is False; so do "morning" 09:00, "afternoon" 14:00, "evening" 19:00,
  "night" and "tonight" 20:00, which are times chosen for the user.
- 12-hour clock: 9am, 9 am, 9:30pm, 9.30pm, 9 a.m.; 12am is 00:00, 12pm is 12:00.
  24-hour clock: 21:00, 9:05. A bare hour ("at 9") is refused: am or pm? "tonight" with an
  hour from 1 to 11 and no am/pm reads it as pm.
- "midnight" alone is the next one (the start of tomorrow); with a date it could be
  either end of that day, so both are weighed as above; "tonight midnight" is the end of
  today.
- Refused with one line and an example: impossible dates (31 Feb, 25:00, 13pm), the past,
  more than three years ahead, a wall-clock time the clocks skip (DST). A time the clocks
  go through twice is taken at its first occurrence.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time
from zoneinfo import ZoneInfo

from bot.date_grammar import (
    BARE_HOUR,
    CLOCK_12,
    CLOCK_24,
    DAY_NUMBER,
    HOUR_BEFORE_MERIDIEM,
    ISO_DATE,
    LOOKS_LIKE_TIME,
    MAX_WHEN_WORDS,
    NUMERIC_DATE,
    YEAR,
    _longest,
    _near_miss,
    _norm,
)
from bot.date_resolution import Ahead, AmbiguousDate, When, _resolve
from bot.date_words import (
    DAY_OFFSETS,
    FULL_MONTHS,
    FULL_WEEKDAYS,
    MONTH_WORDS,
    MONTHS,
    NAMED_CLOCKS,
    PERIODS,
    TONIGHT,
    WEEKDAY_WORDS,
    WEEKDAYS,
)
from bot.timebase import InputError, describe_moment, excerpt

__all__ = [
    "BARE_HOUR",
    "CLOCK_12",
    "CLOCK_24",
    "DAY_NUMBER",
    "DAY_OFFSETS",
    "FULL_MONTHS",
    "FULL_WEEKDAYS",
    "HOUR_BEFORE_MERIDIEM",
    "ISO_DATE",
    "LOOKS_LIKE_TIME",
    "MAX_WHEN_WORDS",
    "MONTHS",
    "MONTH_WORDS",
    "NAMED_CLOCKS",
    "NUMERIC_DATE",
    "PERIODS",
    "REMINDER_DEFAULT_TIME",
    "STAGE_DEFAULT_TIME",
    "STAGE_WHEN_EXAMPLE",
    "TONIGHT",
    "WEEKDAYS",
    "WEEKDAY_WORDS",
    "WHEN_EXAMPLE",
    "YEAR",
    "Ahead",
    "AmbiguousDate",
    "When",
    "describe",
    "find_when",
    "parse_stage_when",
    "parse_when",
]

REMINDER_DEFAULT_TIME = time(9, 0)
STAGE_DEFAULT_TIME = time(9, 0)
WHEN_EXAMPLE = "tomorrow 9am, friday 14:00, 14 Feb 10:30 or 2027-02-14"
STAGE_WHEN_EXAMPLE = "14 Feb 10:30, friday 14:00, or the day alone (14 Feb) if the time is not set"


def describe(moment: When | datetime, zone: ZoneInfo) -> str:
    """'Sun 14 Feb 2027, 10:30 (Europe/London, UTC+00:00)': weekday, date, time and zone."""
    return describe_moment(moment.at if isinstance(moment, When) else moment, zone)


def parse_when(
    text: str, now: datetime, zone: ZoneInfo, *, default_time: time = REMINDER_DEFAULT_TIME
) -> When:
    """All of ``text`` as a date and/or time in ``zone`` (see the module's rules)."""
    return _parse_all(text, now, zone, default_time, WHEN_EXAMPLE)


def parse_stage_when(
    text: str | Sequence[str],
    now: datetime,
    zone: ZoneInfo,
    *,
    default_time: time = STAGE_DEFAULT_TIME,
) -> When:
    """The date of a stage, as in /stage interview 14 Feb 10:30 (or the day alone)."""
    joined = text if isinstance(text, str) else " ".join(text)
    return _parse_all(joined, now, zone, default_time, STAGE_WHEN_EXAMPLE)


def find_when(text: str) -> tuple[str, str]:
    """Split the longest leading date/time phrase off ``text``: (phrase, rest).

    ("", text) when ``text`` does not start with one. Only the words' shape is read
    here; ``parse_when`` on the phrase says whether it is a usable moment. A time written
    in a form the grammar refuses ("tomorrow 9.30 Call") is an error rather than the
    start of the rest.
    """
    words = text.split()
    best = _longest([_norm(word) for word in words])
    taken = best[1] if best else 0
    hint = _near_miss([_norm(word) for word in words[taken:]])
    if hint:
        raise InputError(hint)
    return " ".join(words[:taken]), " ".join(words[taken:])


def _parse_all(text: str, now: datetime, zone: ZoneInfo, default_time: time, example: str) -> When:
    words = text.split()
    if not words:
        raise InputError(f"when? write e.g. {example}")
    normalised = [_norm(word) for word in words]
    best = _longest(normalised)
    if best is None or best[1] < len(words):
        raise InputError(_not_read(words, normalised, best[1] if best else 0, example))
    return _resolve(best[0], " ".join(words), now, zone, default_time)


def _not_read(words: Sequence[str], normalised: Sequence[str], taken: int, example: str) -> str:
    hint = _near_miss(normalised[taken:])
    if hint:
        return hint
    if taken:
        read, rest = " ".join(words[:taken]), " ".join(words[taken:])
        return f"I read '{excerpt(read)}' but not '{excerpt(rest)}'; write e.g. {example}"
    return f"'{excerpt(' '.join(words))}' is not a date or time I can read; write e.g. {example}"
