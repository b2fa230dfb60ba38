from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.dates import (
    MAX_WHEN_WORDS,
    AmbiguousDate,
    When,
    describe,
    find_when,
    parse_stage_when,
    parse_when,
)
from bot.timebase import InputError, local_to_utc

# Sunday 10 January 2027, noon in London.
NOW = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)
LONDON = ZoneInfo("Europe/London")
TOKYO = ZoneInfo("Asia/Tokyo")
NEW_YORK = ZoneInfo("America/New_York")
SYDNEY = ZoneInfo("Australia/Sydney")
AUCKLAND = ZoneInfo("Pacific/Auckland")


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A naive wall-clock time, as When.local holds it."""
    return datetime(year, month, day, hour, minute)  # noqa: DTZ001


def at_london(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """The UTC moment of a London wall-clock time."""
    return local_to_utc(local(year, month, day, hour, minute), LONDON)


def refusal(text: str, now: datetime = NOW, zone: ZoneInfo = LONDON) -> str:
    """The one-line error parse_when gives for ``text``."""
    with pytest.raises(InputError) as error:
        parse_when(text, now, zone)
    message = str(error.value)
    assert message
    assert "\n" not in message
    return message


# -- every form, read in London at NOW ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "time_given"),
    [
        # days by name
        ("today 18:00", local(2027, 1, 10, 18, 0), True),
        ("tomorrow", local(2027, 1, 11, 9, 0), False),
        ("Tomorrow 9am", local(2027, 1, 11, 9, 0), True),
        ("tmrw 9am", local(2027, 1, 11, 9, 0), True),
        ("tomorrow at 9am", local(2027, 1, 11, 9, 0), True),
        ("9am tomorrow", local(2027, 1, 11, 9, 0), True),
        ("day after tomorrow", local(2027, 1, 12, 9, 0), False),
        ("the day after tomorrow 10:00", local(2027, 1, 12, 10, 0), True),
        ("tonight", local(2027, 1, 10, 20, 0), False),
        ("tonight 9pm", local(2027, 1, 10, 21, 0), True),
        ("tonight at 8:30", local(2027, 1, 10, 20, 30), True),
        ("tonight 22:15", local(2027, 1, 10, 22, 15), True),
        ("tomorrow morning", local(2027, 1, 11, 9, 0), False),
        ("tomorrow afternoon", local(2027, 1, 11, 14, 0), False),
        ("this evening", local(2027, 1, 10, 19, 0), False),
        ("tomorrow night", local(2027, 1, 11, 20, 0), False),
        # weekdays (NOW is a Sunday)
        ("friday", local(2027, 1, 15, 9, 0), False),
        ("Fri 14:00", local(2027, 1, 15, 14, 0), True),
        ("on monday", local(2027, 1, 11, 9, 0), False),
        ("this monday", local(2027, 1, 11, 9, 0), False),
        ("on this monday at 10am", local(2027, 1, 11, 10, 0), True),
        ("next friday 14:00", local(2027, 1, 15, 14, 0), True),
        ("next sunday", local(2027, 1, 17, 9, 0), False),
        ("sunday 18:00", local(2027, 1, 10, 18, 0), True),  # today, still ahead
        ("sunday 9am", local(2027, 1, 17, 9, 0), True),  # today's has passed
        ("Weds 3pm", local(2027, 1, 13, 15, 0), True),
        # month names
        ("14 Feb 10:30", local(2027, 2, 14, 10, 30), True),
        ("14 Feb", local(2027, 2, 14, 9, 0), False),
        ("Feb 14", local(2027, 2, 14, 9, 0), False),
        ("February 14", local(2027, 2, 14, 9, 0), False),
        ("14 February 2027", local(2027, 2, 14, 9, 0), False),
        ("14th of February", local(2027, 2, 14, 9, 0), False),
        ("Feb 14th, 2027 2pm", local(2027, 2, 14, 14, 0), True),
        ("Feb. 14 10:30", local(2027, 2, 14, 10, 30), True),
        ("Sun 14 Feb", local(2027, 2, 14, 9, 0), False),
        ("Sunday, 14 February 2027 at 10:30 p.m.", local(2027, 2, 14, 22, 30), True),
        ("on 1 sept", local(2027, 9, 1, 9, 0), False),
        ("may 5", local(2027, 5, 5, 9, 0), False),
        ("1 Jan", local(2028, 1, 1, 9, 0), False),  # no year: the next one not past
        ("10 Jan 13:00", local(2027, 1, 10, 13, 0), True),  # today, still ahead
        ("10 Jan 11:00", local(2028, 1, 10, 11, 0), True),  # today's has passed
        ("29 Feb", local(2028, 2, 29, 9, 0), False),  # the next leap year
        # numbers
        ("2027-02-14", local(2027, 2, 14, 9, 0), False),
        ("2027-02-14 10:30", local(2027, 2, 14, 10, 30), True),
        ("2027-2-4 9:05", local(2027, 2, 4, 9, 5), True),
        ("2027/02/14", local(2027, 2, 14, 9, 0), False),
        ("14/02/2027", local(2027, 2, 14, 9, 0), False),
        ("2/14/2027", local(2027, 2, 14, 9, 0), False),
        ("14/02", local(2027, 2, 14, 9, 0), False),
        ("14/02/27", local(2027, 2, 14, 9, 0), False),
        ("14.02.2027", local(2027, 2, 14, 9, 0), False),
        ("14-02-2027", local(2027, 2, 14, 9, 0), False),
        ("05/05/2027", local(2027, 5, 5, 9, 0), False),  # the same either way
        ("sat 03/04/2027", local(2027, 4, 3, 9, 0), False),  # the weekday decides
        ("thu 03/04/2027", local(2027, 3, 4, 9, 0), False),
        # times alone: today if still ahead, else tomorrow
        ("9am", local(2027, 1, 11, 9, 0), True),
        ("9 am", local(2027, 1, 11, 9, 0), True),
        ("9 a.m.", local(2027, 1, 11, 9, 0), True),
        ("10:30pm", local(2027, 1, 10, 22, 30), True),
        ("10:30 PM", local(2027, 1, 10, 22, 30), True),
        ("9.30pm", local(2027, 1, 10, 21, 30), True),
        ("21:00", local(2027, 1, 10, 21, 0), True),
        ("at 21:00", local(2027, 1, 10, 21, 0), True),
        ("12:30", local(2027, 1, 10, 12, 30), True),
        ("11:59", local(2027, 1, 11, 11, 59), True),
        ("noon", local(2027, 1, 11, 12, 0), True),  # noon is now: tomorrow's
        ("midday", local(2027, 1, 11, 12, 0), True),
        ("midnight", local(2027, 1, 11, 0, 0), True),
        ("12am", local(2027, 1, 11, 0, 0), True),
        ("12pm", local(2027, 1, 11, 12, 0), True),
        ("tonight midnight", local(2027, 1, 11, 0, 0), True),
        ("today midnight", local(2027, 1, 11, 0, 0), True),  # its start is past
    ],
)
def test_forms(text: str, expected: datetime, time_given: bool) -> None:
    when = parse_when(text, NOW, LONDON)
    assert when.local == expected
    assert when.at == local_to_utc(expected, LONDON)
    assert when.at.tzinfo is UTC
    assert when.time_given is time_given
    assert when.wall_clock is True


def test_result_is_frozen() -> None:
    when = parse_when("tomorrow 9am", NOW, LONDON)
    with pytest.raises(AttributeError):
        when.time_given = False  # type: ignore[misc]


def test_same_words_in_another_zone() -> None:
    when = parse_when("tomorrow 9am", NOW, TOKYO)  # NOW is 21:00 on the 10th in Tokyo
    assert when.local == local(2027, 1, 11, 9, 0)
    assert when.at == datetime(2027, 1, 11, 0, 0, tzinfo=UTC)


def test_today_is_the_users_today() -> None:
    # 23:30 UTC on the 10th is already the 11th in Tokyo.
    late = datetime(2027, 1, 10, 23, 30, tzinfo=UTC)
    assert parse_when("today 18:00", late, TOKYO).local == local(2027, 1, 11, 18, 0)
    assert parse_when("today 20:00", late, NEW_YORK).local == local(2027, 1, 10, 20, 0)


@pytest.mark.parametrize("default", [time(9, 0), time(18, 30), time(0, 0)])
def test_default_time_is_a_parameter(default: time) -> None:
    when = parse_when("friday", NOW, LONDON, default_time=default)
    assert when.local == datetime.combine(local(2027, 1, 15).date(), default)
    assert when.time_given is False


def test_default_time_does_not_override_a_given_time() -> None:
    when = parse_when("friday 14:00", NOW, LONDON, default_time=time(18, 0))
    assert when.local == local(2027, 1, 15, 14, 0)


# -- weekdays and "next" ------------------------------------------------------------------


MONDAY = datetime(2027, 1, 11, 12, 0, tzinfo=UTC)
FRIDAY = datetime(2027, 1, 15, 12, 0, tzinfo=UTC)
SATURDAY = datetime(2027, 1, 16, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "now", "expected"),
    [
        ("friday", MONDAY, local(2027, 1, 15, 9, 0)),
        ("friday 18:00", FRIDAY, local(2027, 1, 15, 18, 0)),  # today, still ahead
        ("friday", FRIDAY, local(2027, 1, 22, 9, 0)),  # today's 09:00 has passed
        ("this friday", SATURDAY, local(2027, 1, 22, 9, 0)),
        ("next friday", FRIDAY, local(2027, 1, 22, 9, 0)),  # a week today
        ("next friday", SATURDAY, local(2027, 1, 22, 9, 0)),  # already next week
        ("next monday", MONDAY, local(2027, 1, 18, 9, 0)),
        ("next tuesday", NOW, local(2027, 1, 12, 9, 0)),  # Sunday: the week ends today
    ],
)
def test_weekdays(text: str, now: datetime, expected: datetime) -> None:
    assert parse_when(text, now, LONDON).local == expected


def test_next_weekday_later_this_week_is_asked() -> None:
    with pytest.raises(AmbiguousDate) as error:
        parse_when("next friday 14:00", MONDAY, LONDON)
    assert [r.local for r in error.value.readings] == [
        local(2027, 1, 15, 14, 0),
        local(2027, 1, 22, 14, 0),
    ]
    assert str(error.value) == (
        "'next friday 14:00' could mean Fri 15 Jan 2027, 14:00 or Fri 22 Jan 2027, 14:00; "
        "write the date in full, e.g. 15 Jan 2027 14:00 or 22 Jan 2027 14:00"
    )


def test_weekday_must_match_the_date() -> None:
    message = refusal("mon 14 Feb 2027")
    assert message == ("14 Feb 2027 is a Sunday, not a Monday; check the date, e.g. Sun 14 Feb")


def test_weekday_matching_neither_numeric_reading() -> None:
    assert "is a Saturday, not a Monday" in refusal("mon 03/04/2027")


# -- day and month in numbers --------------------------------------------------------------


def test_both_readings_possible_is_asked() -> None:
    with pytest.raises(AmbiguousDate) as error:
        parse_when("03/04/2027 10:30", NOW, LONDON)
    ambiguous = error.value
    assert isinstance(ambiguous, InputError)
    assert ambiguous.typed == "03/04/2027 10:30"
    assert ambiguous.rest == ""
    # Day-first first.
    assert [r.local for r in ambiguous.readings] == [
        local(2027, 4, 3, 10, 30),
        local(2027, 3, 4, 10, 30),
    ]
    assert all(isinstance(r, When) and r.time_given for r in ambiguous.readings)
    assert ambiguous.readings[0].at == at_london(2027, 4, 3, 10, 30)  # BST by then
    assert str(ambiguous) == (
        "'03/04/2027 10:30' could mean Sat 3 Apr 2027, 10:30 or Thu 4 Mar 2027, 10:30; "
        "write the date in full, e.g. 3 Apr 2027 10:30 or 4 Mar 2027 10:30"
    )


def test_ambiguous_without_time_or_year() -> None:
    with pytest.raises(AmbiguousDate) as error:
        parse_when("3/4", NOW, LONDON)
    assert [r.local for r in error.value.readings] == [
        local(2027, 4, 3, 9, 0),
        local(2027, 3, 4, 9, 0),
    ]
    assert not any(r.time_given for r in error.value.readings)
    assert "e.g. 3 Apr 2027 or 4 Mar 2027" in str(error.value)


def test_only_possible_reading_is_taken() -> None:
    # On 10 March, 4 March has passed: only 3 April is left.
    march = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
    assert parse_when("03/04/2027", march, LONDON).local == local(2027, 4, 3, 9, 0)


def test_no_possible_reading_reports_the_first() -> None:
    assert "Sat 3 Apr 2027, 09:00" in refusal("03/04/2027", datetime(2027, 5, 1, tzinfo=UTC))


@pytest.mark.parametrize("text", ["14/13/2027", "13/14/2027", "31/31"])
def test_numeric_date_without_a_month(text: str) -> None:
    assert refusal(text) == (
        f"'{text}' has no month (both numbers are over 12); write e.g. 14/02/2027 or 14 Feb 2027"
    )


# -- midnight ---------------------------------------------------------------------------


def test_midnight_with_a_date_is_asked() -> None:
    with pytest.raises(AmbiguousDate) as error:
        parse_when("friday midnight", NOW, LONDON)
    assert [r.local for r in error.value.readings] == [
        local(2027, 1, 15, 0, 0),
        local(2027, 1, 16, 0, 0),
    ]


def test_midnight_of_today_is_its_end() -> None:
    # On Friday, "friday midnight" can only be the coming one.
    assert parse_when("friday midnight", FRIDAY, LONDON).local == local(2027, 1, 16, 0, 0)


def test_midnight_reading_in_a_dst_gap_is_dropped() -> None:
    # Cuba's clocks skip from 00:00 to 01:00 on 14 March 2027.
    havana = ZoneInfo("America/Havana")
    now = datetime(2027, 3, 1, tzinfo=UTC)
    assert parse_when("14 Mar 2027 midnight", now, havana).local == local(2027, 3, 15, 0, 0)
    assert "does not exist in America/Havana" in refusal("2027-03-14 00:00", now, havana)


# -- daylight saving time, both hemispheres ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "zone", "now"),
    [
        ("28 Mar 2027 01:30", LONDON, NOW),  # 01:00 GMT -> 02:00 BST
        ("2027-03-14 2:30am", NEW_YORK, NOW),  # 02:00 EST -> 03:00 EDT
        ("3 Oct 2027 2:30", SYDNEY, NOW),  # 02:00 AEST -> 03:00 AEDT
        ("26 Sep 2027 02:15", AUCKLAND, NOW),  # 02:00 NZST -> 03:00 NZDT
        ("tomorrow 2:30am", NEW_YORK, datetime(2027, 3, 13, 17, 0, tzinfo=UTC)),
    ],
)
def test_time_skipped_by_the_clocks_is_refused(text: str, zone: ZoneInfo, now: datetime) -> None:
    message = refusal(text, now, zone)
    assert f"does not exist in {zone.key}: the clocks skip it for daylight saving time" in message
    assert "e.g." in message


@pytest.mark.parametrize(
    ("text", "zone", "expected"),
    [
        # A time that happens twice is its first occurrence, still on summer time.
        ("31 Oct 2027 01:30", LONDON, datetime(2027, 10, 31, 0, 30, tzinfo=UTC)),
        ("7 Nov 2027 1:30am", NEW_YORK, datetime(2027, 11, 7, 5, 30, tzinfo=UTC)),
        ("4 Apr 2027 2:30am", SYDNEY, datetime(2027, 4, 3, 15, 30, tzinfo=UTC)),
        ("4 Apr 2027 2:30", AUCKLAND, datetime(2027, 4, 3, 13, 30, tzinfo=UTC)),
        # Either side of the change the wall clock is kept.
        ("27 Mar 2027 9am", LONDON, datetime(2027, 3, 27, 9, 0, tzinfo=UTC)),
        ("29 Mar 2027 9am", LONDON, datetime(2027, 3, 29, 8, 0, tzinfo=UTC)),
        ("2 Oct 2027 9am", SYDNEY, datetime(2027, 10, 1, 23, 0, tzinfo=UTC)),
        ("4 Oct 2027 9am", SYDNEY, datetime(2027, 10, 3, 22, 0, tzinfo=UTC)),
        ("3 Apr 2027 9am", AUCKLAND, datetime(2027, 4, 2, 20, 0, tzinfo=UTC)),
        ("5 Apr 2027 9am", AUCKLAND, datetime(2027, 4, 4, 21, 0, tzinfo=UTC)),
    ],
)
def test_dst_edges(text: str, zone: ZoneInfo, expected: datetime) -> None:
    assert parse_when(text, NOW, zone).at == expected


def test_tomorrow_across_the_change_keeps_the_wall_clock() -> None:
    before_sydney_change = datetime(2027, 10, 2, 1, 0, tzinfo=UTC)  # 11:00 AEST on the 2nd
    when = parse_when("tomorrow 9am", before_sydney_change, SYDNEY)
    assert when.local == local(2027, 10, 3, 9, 0)
    assert when.at == datetime(2027, 10, 2, 22, 0, tzinfo=UTC)  # AEDT, UTC+11
    assert describe(when, SYDNEY) == "Sun 3 Oct 2027, 09:00 (Australia/Sydney, UTC+11:00)"


# -- refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31 Feb 2027", "February 2027 has 28 days, so 31 February is not a real date"),
        ("30 Feb", "February has at most 29 days, so 30 February is not a real date"),
        ("31/04/2027", "April 2027 has 30 days, so 31 April is not a real date"),
        ("2027-02-29", "February 2027 has 28 days"),
        ("2027-13-01", "there is no month 13, so that is not a real date"),
        ("0/0/2027", "is not a real date"),
        ("14 Feb 2027 25:00", "'25:00' is not a real time"),
        ("14 Feb 9:60", "'9:60' is not a real time"),
        ("13pm", "'13pm' is not a real time"),
        ("0am", "'0am' is not a real time"),
        ("tonight 9am", "tonight and 9am do not go together"),
        ("tonight noon", "tonight and noon do not go together"),
        ("2027-01-09", "Sat 9 Jan 2027, 09:00 (Europe/London, UTC+00:00) is in the past"),
        ("today 9am", "Sun 10 Jan 2027, 09:00 (Europe/London, UTC+00:00) is in the past"),
        ("2027-01-10 12:00", "is in the past"),  # now is not the future
        ("2031-01-01", "Wed 1 Jan 2031, 09:00 is more than three years away"),
        ("9999-12-31 23:30", "9999 is out of range"),
        ("0001-01-01", "1 is out of range"),
        ("soon", "'soon' is not a date or time I can read"),
        ("next week", "'next week' is not a date or time I can read"),
        ("in 2 hours", "'in 2 hours' is not a date or time I can read"),
        ("tomorrow blah", "I read 'tomorrow' but not 'blah'"),
        ("9.30", "'9.30' is not a time I read; write e.g. 9:30, 9:30am or 21:30"),
        ("tomorrow 9h30", "'9h30' is not a time I read"),
        ("at 9", "'at 9': am or pm? write e.g. 9am, 9pm or 09:00"),
        ("friday at 5", "'at 5': am or pm? write e.g. 5am, 5pm or 05:00"),
        ("", "when? write e.g. tomorrow 9am"),
        ("   ", "when? write e.g."),
    ],
)
def test_refusals(text: str, expected: str) -> None:
    message = refusal(text)
    assert expected in message
    assert "e.g." in message


def test_default_time_in_the_past_says_so() -> None:
    assert refusal("today") == (
        "Sun 10 Jan 2027, 09:00 (Europe/London, UTC+00:00) is in the past (09:00 is the time "
        "I use when none is given); add a later time, e.g. today 13:00"
    )


def test_tonight_after_eight_is_past() -> None:
    late = datetime(2027, 1, 10, 21, 0, tzinfo=UTC)
    assert "20:00 is the time I use" in refusal("tonight", late)


@pytest.mark.parametrize(
    "text",
    [
        "x" * 1000,
        "tomorrow " + "y" * 500,
        "z" * 300 + " 9am",
        "31 Feb 2027 " + "w" * 400,
    ],
)
def test_long_input_is_quoted_short(text: str) -> None:
    message = refusal(text)
    for letter in "xyzw":
        assert letter * 41 not in message
    assert len(message) < 250


# -- find_when: a date at the start of a reminder --------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tomorrow 9am call embassy", ("tomorrow 9am", "call embassy")),
        ("next friday 14:00 Send the forms", ("next friday 14:00", "Send the forms")),
        ("14 Feb 10:30 Interview", ("14 Feb 10:30", "Interview")),
        ("2027-02-14 09:00 Bring passport", ("2027-02-14 09:00", "Bring passport")),
        ("2027-02-14 Bring passport", ("2027-02-14", "Bring passport")),
        ("14/02/2027 Bring passport", ("14/02/2027", "Bring passport")),
        ("9 am Call", ("9 am", "Call")),
        ("tomorrow at the embassy", ("tomorrow", "at the embassy")),  # "at" then no time
        ("friday sat exam", ("friday", "sat exam")),  # one date only
        ("14 Feb 2 copies", ("14 Feb", "2 copies")),  # a year has four digits
        ("today 10 forms", ("today", "10 forms")),
        ("call mum", ("", "call mum")),
        ("", ("", "")),
        ("Tomorrow  9am   Call   MUM", ("Tomorrow 9am", "Call MUM")),
        ("31 Feb Pay", ("31 Feb", "Pay")),  # the shape is a date; parse_when refuses it
    ],
)
def test_find_when(text: str, expected: tuple[str, str]) -> None:
    assert find_when(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tomorrow 9.30 Call", "'9.30' is not a time I read"),
        ("tomorrow at 9 Call", "'at 9': am or pm?"),
        ("9h Call", "'9h' is not a time I read"),
    ],
)
def test_find_when_refuses_a_near_miss(text: str, expected: str) -> None:
    with pytest.raises(InputError, match=expected):
        find_when(text)


def test_find_when_reads_at_most_the_longest_phrase() -> None:
    phrase = "on sunday 14th of february 2027 at 10:30 pm"
    assert len(phrase.split()) <= MAX_WHEN_WORDS
    assert find_when(phrase + " Interview") == (phrase, "Interview")
    assert parse_when(phrase, NOW, LONDON).local == local(2027, 2, 14, 22, 30)


# -- stages ---------------------------------------------------------------------------------


def test_stage_date_with_time() -> None:
    when = parse_stage_when(["14", "Feb", "10:30"], NOW, LONDON)
    assert when.local == local(2027, 2, 14, 10, 30)
    assert when.time_given is True


def test_stage_day_known_time_not_yet() -> None:
    when = parse_stage_when("2027-02-14", NOW, LONDON)
    assert when.local == local(2027, 2, 14, 9, 0)
    assert when.time_given is False


def test_stage_default_time_is_a_parameter() -> None:
    when = parse_stage_when("14 Feb", NOW, LONDON, default_time=time(12, 0))
    assert when.local == local(2027, 2, 14, 12, 0)


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ([], "when? write e.g. 14 Feb 10:30"),
        (["14", "Feb", "10:30", "extra"], "I read '14 Feb 10:30' but not 'extra'"),
        (["2020-01-01", "10:00"], "is in the past"),
    ],
)
def test_stage_refusals_use_the_stage_example(words: list[str], expected: str) -> None:
    with pytest.raises(InputError) as error:
        parse_stage_when(words, NOW, LONDON)
    assert expected in str(error.value)
    assert "\n" not in str(error.value)


# -- describe -------------------------------------------------------------------------------


def test_describe_a_when_and_a_datetime() -> None:
    when = parse_when("14 Feb 10:30", NOW, LONDON)
    assert describe(when, LONDON) == "Sun 14 Feb 2027, 10:30 (Europe/London, UTC+00:00)"
    assert describe(when.at, TOKYO) == "Sun 14 Feb 2027, 19:30 (Asia/Tokyo, UTC+09:00)"


def test_describe_summer_time() -> None:
    when = parse_when("14 Jul 10:30", NOW, NEW_YORK)
    assert describe(when, NEW_YORK) == "Wed 14 Jul 2027, 10:30 (America/New_York, UTC-04:00)"
    assert when.at - parse_when("14 Jan 10:30", NOW, NEW_YORK).at == timedelta(days=181, hours=-1)
