"""The date grammar: words -> a _Phrase (day and clock as typed), nothing resolved yet."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from bot.date_words import DAY_OFFSETS, MONTHS, NAMED_CLOCKS, PERIODS, WEEKDAYS
from bot.timebase import excerpt

# The longest phrase the grammar reads: "on sunday 14th of february 2027 at 10:30 pm".
MAX_WHEN_WORDS = 10

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
