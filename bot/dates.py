"""Dates and times the way applicants type them, read in their own time zone.

``parse_when("tomorrow 9am", now, zone)`` -> a ``When``; ``find_when`` splits a date off the
front of a reminder ("friday 14:00 Call the embassy"); ``describe`` repeats a moment in words.

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

import re
from calendar import monthrange
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.timebase import (
    MAX_YEAR,
    MIN_YEAR,
    MONTH_NAMES,
    WEEKDAY_NAMES,
    InputError,
    describe_moment,
    excerpt,
    in_words,
    local_to_utc,
    require_future,
)

REMINDER_DEFAULT_TIME = time(9, 0)
STAGE_DEFAULT_TIME = time(9, 0)
TONIGHT = time(20, 0)
# The longest phrase the grammar reads: "on sunday 14th of february 2027 at 10:30 pm".
MAX_WHEN_WORDS = 10
WHEN_EXAMPLE = "tomorrow 9am, friday 14:00, 14 Feb 10:30 or 2027-02-14"
STAGE_WHEN_EXAMPLE = "14 Feb 10:30, friday 14:00, or the day alone (14 Feb) if the time is not set"

WEEKDAY_WORDS = (
    "monday mon|tuesday tue tues|wednesday wed weds|thursday thu thur thurs|friday fri|"
    "saturday sat|sunday sun"
)
MONTH_WORDS = (
    "january jan|february feb|march mar|april apr|may|june jun|july jul|august aug|"
    "september sep sept|october oct|november nov|december dec"
)
# The first word of each is its full name, for messages.
FULL_WEEKDAYS = tuple(words.split()[0].capitalize() for words in WEEKDAY_WORDS.split("|"))
FULL_MONTHS = tuple(words.split()[0].capitalize() for words in MONTH_WORDS.split("|"))
WEEKDAYS = {
    word: number for number, words in enumerate(WEEKDAY_WORDS.split("|")) for word in words.split()
}
MONTHS = {
    word: number
    for number, words in enumerate(MONTH_WORDS.split("|"), start=1)
    for word in words.split()
}
DAY_OFFSETS = {"today": 0, "tonight": 0, "tomorrow": 1, "tmrw": 1, "tmr": 1}
# Times of day chosen for the user: reported like a default time.
PERIODS = {"morning": time(9), "afternoon": time(14), "evening": time(19), "night": TONIGHT}
NAMED_CLOCKS = {"noon": time(12), "midday": time(12), "midnight": time(0)}

ISO_DATE = re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$")
# Dashes and dots need the year: "2-3" is a range and "9.30" a time more often than a date.
NUMERIC_DATE = re.compile(
    r"^(\d{1,2})(?:/(\d{1,2})(?:/(\d{4}|\d{2}))?|([.-])(\d{1,2})\4(\d{4}|\d{2}))$"
)
DAY_NUMBER = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?$")
YEAR = re.compile(r"^\d{4}$")
CLOCK_24 = re.compile(r"^(\d{1,2}):(\d{2})$")
CLOCK_12 = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?(am|pm)$")
HOUR_BEFORE_MERIDIEM = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?$")
# Near misses: worth a pointed error rather than being read as the start of a reminder's text.
LOOKS_LIKE_TIME = re.compile(r"^\d{1,2}(?:[.h]\d{2}|h)$")
BARE_HOUR = re.compile(r"^\d{1,2}$")


@dataclass(frozen=True, slots=True)
class When:
    """A moment the user named.

    ``at`` is aware UTC; ``local`` the naive wall-clock time in the user's zone;
    ``time_given`` is False when the time was chosen for the user (a date typed alone,
    "morning"); ``wall_clock`` is False for a delay ("in 90 minutes"), whose instant,
    not its local time, is what the user meant.
    """

    at: datetime
    local: datetime
    time_given: bool
    wall_clock: bool = True


class AmbiguousDate(InputError):
    """Two or more readings of what was typed are possible: ask which, a button each.

    ``readings`` are in the order to offer them (day-first before month-first);
    ``rest`` is the text that followed the date (a reminder's), to keep while asking.
    """

    def __init__(self, typed: str, readings: Sequence[When], rest: str = "") -> None:
        self.typed = typed
        self.readings = tuple(readings)
        self.rest = rest
        options = " or ".join(in_words(reading.local) for reading in self.readings)
        examples = " or ".join(_example(reading) for reading in self.readings)
        super().__init__(
            f"'{excerpt(typed)}' could mean {options}; write the date in full, e.g. {examples}"
        )


def _example(reading: When) -> str:
    local = reading.local
    day = f"{local.day} {MONTH_NAMES[local.month - 1]} {local.year}"
    return f"{day} {local:%H:%M}" if reading.time_given else day


def describe(moment: When | datetime, zone: ZoneInfo) -> str:
    """'Sun 14 Feb 2027, 10:30 (Europe/London, UTC+00:00)': weekday, date, time and zone."""
    return describe_moment(moment.at if isinstance(moment, When) else moment, zone)


# -- the grammar: words -> a _Phrase, nothing resolved yet ------------------------------


@dataclass(frozen=True, slots=True)
class _Day:
    """What the date words said: a day offset, a weekday, or month/day readings."""

    text: str
    offset: int | None = None
    weekday: int | None = None
    after_this_week: bool = False  # "next friday"
    readings: tuple[tuple[int, int], ...] = ()  # (month, day), as typed; may be impossible
    numbers: str = ""  # the numeric date as typed, when neither part can be a month
    year: int | None = None
    tonight: bool = False


@dataclass(frozen=True, slots=True)
class _Clock:
    text: str
    hour: int
    minute: int
    meridiem: str = ""  # "am", "pm" or "" for the 24-hour clock and named times
    word: str = ""  # noon, midday, midnight, or a period of the day


@dataclass(frozen=True, slots=True)
class _Phrase:
    day: _Day | None
    clock: _Clock | None


def _norm(word: str) -> str:
    word = word.lower().rstrip(",;")
    word = word.replace("a.m.", "am").replace("p.m.", "pm")
    return word.rstrip(".")


def _phrases(words: Sequence[str]) -> Iterator[tuple[_Phrase, int]]:
    """Every reading of a phrase at the start of ``words``, with where it ends."""
    for day, after_day in [*_days(words, 0), (None, 0)]:
        for clock, end in [*_clocks(words, after_day), (None, after_day)]:
            if day or clock:
                yield _Phrase(day, clock), end
    for clock, after_clock in _clocks(words, 0):
        for day, end in _days(words, after_clock):
            yield _Phrase(day, clock), end


def _days(words: Sequence[str], start: int) -> Iterator[tuple[_Day, int]]:
    at = start + 1 if _word(words, start) == "on" else start
    word = _word(words, at)
    if word in DAY_OFFSETS:
        yield _Day(word, offset=DAY_OFFSETS[word], tonight=word == "tonight"), at + 1
    elif (length := _day_after_tomorrow(words, at)) > 0:
        yield _Day(" ".join(words[at : at + length]), offset=2), at + length
    elif word == "this" and _word(words, at + 1) in PERIODS:
        yield _Day(word, offset=0), at + 1  # "this evening": the period is the clock
    elif word in ("this", "next") and _word(words, at + 1) in WEEKDAYS:
        weekday = WEEKDAYS[words[at + 1]]
        yield (
            _Day(f"{word} {words[at + 1]}", weekday=weekday, after_this_week=word == "next"),
            (at + 2),
        )
    elif word in WEEKDAYS:
        yield _Day(word, weekday=WEEKDAYS[word]), at + 1
        for day, end in _calendar(words, at + 1):
            yield replace(day, text=f"{word} {day.text}", weekday=WEEKDAYS[word]), end
    else:
        yield from _calendar(words, at)


def _day_after_tomorrow(words: Sequence[str], at: int) -> int:
    """How many words "[the] day after tomorrow" takes at ``at``; 0 if it is not there."""
    for phrase in (("day", "after", "tomorrow"), ("the", "day", "after", "tomorrow")):
        if tuple(words[at : at + len(phrase)]) == phrase:
            return len(phrase)
    return 0


def _word(words: Sequence[str], index: int) -> str:
    return words[index] if index < len(words) else ""


def _calendar(words: Sequence[str], at: int) -> Iterator[tuple[_Day, int]]:
    """14 Feb [2027], 14th of February, Feb 14[th] [2027], 2027-02-14, 14/02[/2027]."""
    word = _word(words, at)
    if match := ISO_DATE.match(word):
        year, month, day = int(match[1]), int(match[3]), int(match[4])
        yield _Day(word, readings=((month, day),), year=year), at + 1
    elif match := NUMERIC_DATE.match(word):
        yield _numeric(word, match), at + 1
    elif (match := DAY_NUMBER.match(word)) and _word(words, at + 1) in (*MONTHS, "of"):
        month_at = at + 2 if words[at + 1] == "of" else at + 1
        if _word(words, month_at) in MONTHS:
            reading = (MONTHS[words[month_at]], int(match[1]))
            yield from _with_year(words, at, month_at + 1, reading)
    elif word in MONTHS and (match := DAY_NUMBER.match(_word(words, at + 1))):
        yield from _with_year(words, at, at + 2, (MONTHS[word], int(match[1])))


def _with_year(
    words: Sequence[str], start: int, end: int, reading: tuple[int, int]
) -> Iterator[tuple[_Day, int]]:
    if YEAR.match(_word(words, end)):
        text = " ".join(words[start : end + 1])
        yield _Day(text, readings=(reading,), year=int(words[end])), end + 1
    yield _Day(" ".join(words[start:end]), readings=(reading,)), end


def _numeric(word: str, match: re.Match[str]) -> _Day:
    """14/02/2027: a part over 12 is the day; two parts of 12 or under are two readings."""
    first = int(match[1])
    second = int(match[2] or match[5])
    year_text = match[3] or match[6]
    year = None if year_text is None else int(year_text) + (2000 if len(year_text) == 2 else 0)
    day_first, month_first = (second, first), (first, second)
    if first > 12 and second > 12:
        return _Day(word, numbers=word, year=year)
    if first > 12:
        readings: tuple[tuple[int, int], ...] = (day_first,)
    elif second > 12 or first == second:
        readings = (month_first,)
    else:
        readings = (day_first, month_first)
    return _Day(word, readings=readings, year=year)


def _clocks(words: Sequence[str], start: int) -> Iterator[tuple[_Clock, int]]:
    at = start + 1 if _word(words, start) == "at" else start
    word = _word(words, at)
    if word in NAMED_CLOCKS or word in PERIODS:
        named = NAMED_CLOCKS[word] if word in NAMED_CLOCKS else PERIODS[word]
        yield _Clock(word, named.hour, named.minute, word=word), at + 1
    elif match := CLOCK_12.match(word):
        yield _Clock(word, int(match[1]), int(match[2] or 0), match[3]), at + 1
    elif (match := HOUR_BEFORE_MERIDIEM.match(word)) and _word(words, at + 1) in ("am", "pm"):
        text = f"{word} {words[at + 1]}"
        yield _Clock(text, int(match[1]), int(match[2] or 0), words[at + 1]), at + 2
    elif match := CLOCK_24.match(word):
        yield _Clock(word, int(match[1]), int(match[2])), at + 1


def _longest(words: Sequence[str]) -> tuple[_Phrase, int] | None:
    best: tuple[_Phrase, int] | None = None
    for phrase, end in _phrases(words[:MAX_WHEN_WORDS]):
        if best is None or end > best[1]:
            best = (phrase, end)
    return best


def _near_miss(words: Sequence[str]) -> str | None:
    """A pointed hint for a time written in a way the grammar does not take."""
    word = _word(words, 0)
    if LOOKS_LIKE_TIME.match(word):
        return f"'{excerpt(word)}' is not a time I read; write e.g. 9:30, 9:30am or 21:30"
    if word == "at" and BARE_HOUR.match(_word(words, 1)):
        hour = int(words[1])
        return f"'at {hour}': am or pm? write e.g. {hour}am, {hour}pm or {hour:02d}:00"
    return None


# -- resolving a phrase: now and the zone make it a moment ---------------------------------


def _clock_time(phrase: _Phrase, default_time: time) -> tuple[time, bool]:
    """The wall-clock time meant, and whether the user gave it."""
    clock, tonight = phrase.clock, phrase.day is not None and phrase.day.tonight
    if clock is None:
        return (TONIGHT if tonight else default_time), False
    if clock.word in PERIODS:
        return PERIODS[clock.word], False
    if tonight and (clock.meridiem == "am" or clock.word in ("noon", "midday")):
        raise InputError(
            f"tonight and {clock.text} do not go together; write e.g. tonight 9pm or tomorrow 9am"
        )
    hour = _hour(clock)
    if tonight and not clock.meridiem and not clock.word and 1 <= hour <= 11:
        hour += 12  # "tonight 8:30" is 20:30
    return time(hour, clock.minute), True


def _hour(clock: _Clock) -> int:
    if clock.minute > 59 or (clock.meridiem and not 1 <= clock.hour <= 12) or clock.hour > 23:
        raise InputError(
            f"'{excerpt(clock.text)}' is not a real time; write e.g. 9am, 9:30pm or 21:30"
        )
    if clock.meridiem:
        return clock.hour % 12 + (12 if clock.meridiem == "pm" else 0)
    return clock.hour


Ahead = Callable[[date], bool]  # whether a date can still be meant (is not wholly past)


def _dates(day: _Day | None, clock: time, midnight: bool, today: datetime) -> list[date]:
    """The dates the day words may mean, before the past and the zone are checked.

    ``today`` is the user's local now: "the next occurrence not in the past" compares the
    latest moment a date could mean with it.
    """
    latest = timedelta(days=1) if midnight else timedelta(hours=clock.hour, minutes=clock.minute)

    def ahead(candidate: date) -> bool:
        return datetime.combine(candidate, time()) + latest > today

    now_date = today.date()
    if day is None:
        return [now_date if ahead(now_date) else now_date + timedelta(days=1)]
    if day.offset is not None:
        return [now_date + timedelta(days=day.offset)]
    if day.weekday is not None and not day.readings and not day.numbers:
        return _weekday_dates(day, now_date, ahead)
    return _calendar_dates(day, now_date, ahead)


def _weekday_dates(day: _Day, now_date: date, ahead: Ahead) -> list[date]:
    assert day.weekday is not None
    if day.after_this_week:
        coming = now_date + timedelta(days=(day.weekday - now_date.weekday() - 1) % 7 + 1)
        if coming.weekday() > now_date.weekday():  # later this week: that one, or next week's
            return [coming, coming + timedelta(days=7)]
        return [coming]
    coming = now_date + timedelta(days=(day.weekday - now_date.weekday()) % 7)
    return [coming if ahead(coming) else coming + timedelta(days=7)]


def _calendar_dates(day: _Day, now_date: date, ahead: Ahead) -> list[date]:
    if day.numbers:
        raise InputError(
            f"'{excerpt(day.numbers)}' has no month (both numbers are over 12); "
            "write e.g. 14/02/2027 or 14 Feb 2027"
        )
    if day.year is not None and not MIN_YEAR <= day.year <= MAX_YEAR:
        raise InputError(
            f"{day.year} is out of range; give a year from {MIN_YEAR} to {MAX_YEAR}, e.g. 2027"
        )
    found = [_calendar_date(day, month, number, now_date, ahead) for month, number in day.readings]
    if day.weekday is None:
        return found
    matching = [found_date for found_date in found if found_date.weekday() == day.weekday]
    if not matching:
        shown = found[0]
        day_month = f"{shown.day} {MONTH_NAMES[shown.month - 1]}"
        raise InputError(
            f"{day_month} {shown.year} is a {FULL_WEEKDAYS[shown.weekday()]}, not a "
            f"{FULL_WEEKDAYS[day.weekday]}; check the date, e.g. "
            f"{WEEKDAY_NAMES[shown.weekday()]} {day_month}"
        )
    return matching


def _calendar_date(day: _Day, month: int, number: int, now_date: date, ahead: Ahead) -> date:
    years = [day.year] if day.year is not None else range(now_date.year, now_date.year + 9)
    for year in years:
        try:
            found = date(year, month, number)
        except ValueError:
            continue  # 29 Feb: try the next year
        if day.year is not None or ahead(found):
            return found
    raise InputError(_impossible(month, number, day.year))


def _impossible(month: int, number: int, year: int | None) -> str:
    """Why a month and day make no date, e.g. 'February 2027 has 28 days'."""
    example = "write e.g. 14 Feb 2027, 14/02/2027 or 2027-02-14"
    if not 1 <= month <= 12:
        return f"there is no month {month}, so that is not a real date; {example}"
    name = FULL_MONTHS[month - 1]
    if year is None:
        longest = max(monthrange(sample, month)[1] for sample in (2027, 2028))  # common, leap
        return (
            f"{name} has at most {longest} days, so {number} {name} is not a real date; {example}"
        )
    days = monthrange(year, month)[1]
    return f"{name} {year} has {days} days, so {number} {name} is not a real date; {example}"


def _resolve(
    phrase: _Phrase, typed: str, now: datetime, zone: ZoneInfo, default_time: time
) -> When:
    """Weigh every reading; one possible is the answer, several are a question."""
    clock, time_given = _clock_time(phrase, default_time)
    midnight = phrase.clock is not None and phrase.clock.word == "midnight"
    today = now.astimezone(zone).replace(tzinfo=None)
    with_date = midnight and phrase.day is not None
    dates = _dates(phrase.day, clock, with_date, today)
    tonight = phrase.day is not None and phrase.day.tonight
    if with_date:
        # With a date, midnight may be its start or its end; "tonight midnight" is the end.
        ends = (1,) if tonight else (0, 1)
        dates = [found + timedelta(days=end) for found in dates for end in ends]
    outcomes = [_check(found, clock, time_given, now, zone) for found in dates]
    possible = list(dict.fromkeys(o for o in outcomes if isinstance(o, When)))
    if len(possible) == 1:
        return possible[0]
    if possible:
        raise AmbiguousDate(typed, possible)
    errors = [outcome for outcome in outcomes if isinstance(outcome, InputError)]
    raise errors[0]


def _check(
    found: date, clock: time, time_given: bool, now: datetime, zone: ZoneInfo
) -> When | InputError:
    local = datetime.combine(found, clock)
    try:
        at = local_to_utc(local, zone)
        if at <= now and not time_given:
            raise InputError(
                f"{describe_moment(at, zone)} is in the past ({clock:%H:%M} is the time I use "
                f"when none is given); add a later time, e.g. {_later_example(found, now, zone)}"
            )
        require_future(at, now, zone)
    except InputError as error:
        return error
    return When(at, local, time_given)


def _later_example(found: date, now: datetime, zone: ZoneInfo) -> str:
    local_now = now.astimezone(zone)
    if found == local_now.date() and local_now.hour < 23:
        return f"today {local_now.hour + 1:02d}:00"
    return "tomorrow 09:00"


# -- the public parsers ----------------------------------------------------------------


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
