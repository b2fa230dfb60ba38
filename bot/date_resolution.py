"""Resolving a read phrase: now and the user's zone make it a When, or an AmbiguousDate."""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.date_grammar import _Clock, _Day, _Phrase
from bot.date_words import FULL_MONTHS, FULL_WEEKDAYS, PERIODS, TONIGHT
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
