from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.knowledge import StageReminder
from bot.timeparse import (
    MAX_TEXT_LENGTH,
    AmbiguousDate,
    InputError,
    day_before_at,
    local_to_utc,
    parse_clock,
    parse_duration,
    parse_local_datetime,
    parse_remind,
    parse_reminder,
    parse_zone,
    split_when,
)
from bot.tracking import default_due

NOW = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)
LONDON = ZoneInfo("Europe/London")
TOKYO = ZoneInfo("Asia/Tokyo")
NEW_YORK = ZoneInfo("America/New_York")


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A wall-clock time with no zone yet: what local_to_utc takes."""
    return datetime(year, month, day, hour, minute)  # noqa: DTZ001


def message(error: pytest.ExceptionInfo[InputError]) -> str:
    text = str(error.value)
    assert text
    assert "\n" not in text
    return text


# -- parse_duration ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("90 minutes", timedelta(minutes=90)),
        ("1 minute", timedelta(minutes=1)),
        ("90m", timedelta(minutes=90)),
        ("90 m", timedelta(minutes=90)),
        ("2h", timedelta(hours=2)),
        ("3d", timedelta(days=3)),
        ("1w", timedelta(weeks=1)),
        ("30s", timedelta(seconds=30)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        ("2 hours 30 minutes", timedelta(hours=2, minutes=30)),
        ("1 hour 30 minutes", timedelta(hours=1, minutes=30)),
        ("1 second", timedelta(seconds=1)),
        ("45 seconds", timedelta(seconds=45)),
        ("10 sec", timedelta(seconds=10)),
        ("10 secs", timedelta(seconds=10)),
        ("5 min", timedelta(minutes=5)),
        ("5 mins", timedelta(minutes=5)),
        ("1 hour", timedelta(hours=1)),
        ("3 hr", timedelta(hours=3)),
        ("3 hrs", timedelta(hours=3)),
        ("1 day", timedelta(days=1)),
        ("7 days", timedelta(days=7)),
        ("1 week", timedelta(weeks=1)),
        ("2 weeks", timedelta(weeks=2)),
        ("1 wk", timedelta(weeks=1)),
        ("2 wks", timedelta(weeks=2)),
        ("90 MINUTES", timedelta(minutes=90)),
        ("2H", timedelta(hours=2)),
        ("1 Week 2 Days", timedelta(days=9)),
        ("  3 days  ", timedelta(days=3)),
        ("1098 days", timedelta(days=1098)),
    ],
)
def test_parse_duration(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "0 minutes",
        "0h0m",
        "ten minutes",
        "minutes",
        "90",
        "5 fortnights",
        "4 years",
        "1100 days",
        "-5 minutes",
        "1.5 hours",
        "90 minutes!",
    ],
)
def test_parse_duration_refuses(text: str) -> None:
    with pytest.raises(InputError) as error:
        parse_duration(text)
    # One line, with an example of a duration that works.
    assert "minutes" in message(error)


def test_parse_duration_unknown_unit_is_named() -> None:
    with pytest.raises(InputError, match="unknown unit 'fortnights'"):
        parse_duration("5 fortnights")


@pytest.mark.parametrize("text", ["1099 days", "157 weeks", "26353 hours"])
def test_parse_duration_over_three_years(text: str) -> None:
    with pytest.raises(InputError, match="more than three years"):
        parse_duration(text)


# -- parse_remind: absolute ---------------------------------------------------------


def test_parse_remind_absolute_in_zone() -> None:
    due, text, wall_clock = parse_remind("2027-02-14 09:00 Bring passport", NOW, TOKYO)
    assert due == utc(2027, 2, 14, 0, 0)
    assert due.tzinfo is not None
    assert text == "Bring passport"
    assert wall_clock is True


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        (ZoneInfo("UTC"), utc(2027, 2, 14, 9, 0)),
        (LONDON, utc(2027, 2, 14, 9, 0)),
        (TOKYO, utc(2027, 2, 14, 0, 0)),
        (NEW_YORK, utc(2027, 2, 14, 14, 0)),
        (ZoneInfo("Asia/Kolkata"), utc(2027, 2, 14, 3, 30)),
    ],
)
def test_parse_remind_absolute_zones(zone: ZoneInfo, expected: datetime) -> None:
    due, _, _ = parse_remind("2027-02-14 09:00 Bring passport", NOW, zone)
    assert due == expected


def test_parse_remind_keeps_inner_spacing_of_text_as_words() -> None:
    _, text, _ = parse_remind("2027-02-14 09:00   Bring   the   passport  ", NOW, LONDON)
    assert text == "Bring the passport"


def test_parse_remind_single_digit_parts() -> None:
    due, _, _ = parse_remind("2027-2-4 9:05 Call", NOW, LONDON)
    assert due == utc(2027, 2, 4, 9, 5)


def test_parse_remind_natural_dates() -> None:
    due, text, wall_clock = parse_remind("tomorrow 9am Call the embassy", NOW, LONDON)
    assert (due, text, wall_clock) == (utc(2027, 1, 11, 9, 0), "Call the embassy", True)


@pytest.mark.parametrize(
    ("args", "local_time", "text", "time_given"),
    [
        ("tomorrow 9am call embassy", local(2027, 1, 11, 9, 0), "call embassy", True),
        ("next friday 14:00 Send forms", local(2027, 1, 15, 14, 0), "Send forms", True),
        ("14 Feb 10:30 Interview", local(2027, 2, 14, 10, 30), "Interview", True),
        ("2027-02-14 Bring passport", local(2027, 2, 14, 9, 0), "Bring passport", False),
        ("14/02/2027 Bring passport", local(2027, 2, 14, 9, 0), "Bring passport", False),
        ("2/14/2027 Bring passport", local(2027, 2, 14, 9, 0), "Bring passport", False),
        ("10:30am Coffee", local(2027, 1, 11, 10, 30), "Coffee", True),
        ("friday at the embassy", local(2027, 1, 15, 9, 0), "at the embassy", False),
        ("tonight Pack", local(2027, 1, 10, 20, 0), "Pack", False),
    ],
)
def test_parse_reminder(args: str, local_time: datetime, text: str, time_given: bool) -> None:
    when, parsed_text = parse_reminder(args, NOW, LONDON)
    assert when.local == local_time
    assert when.at == local_to_utc(local_time, LONDON)
    assert when.time_given is time_given
    assert when.wall_clock is True
    assert parsed_text == text


def test_parse_reminder_default_time_is_a_parameter() -> None:
    when, _ = parse_reminder("friday Call", NOW, LONDON, default_time=time(17, 0))
    assert when.local == local(2027, 1, 15, 17, 0)


def test_parse_reminder_relative_is_not_wall_clock() -> None:
    when, text = parse_reminder("in 90 minutes Call", NOW, TOKYO)
    assert when.at == NOW + timedelta(minutes=90)
    assert when.local == local(2027, 1, 10, 22, 30)  # shown in the user's zone
    assert (when.wall_clock, when.time_given, text) == (False, True, "Call")


def test_parse_reminder_ambiguous_date_keeps_the_text() -> None:
    with pytest.raises(AmbiguousDate) as error:
        parse_reminder("03/04/2027 10:30 Renew   passport", NOW, LONDON)
    assert error.value.rest == "Renew passport"
    assert [r.local for r in error.value.readings] == [
        local(2027, 4, 3, 10, 30),
        local(2027, 3, 4, 10, 30),
    ]
    assert isinstance(error.value, InputError)


def test_parse_reminder_ambiguous_date_without_text_asks_for_the_text_first() -> None:
    with pytest.raises(InputError) as error:
        parse_reminder("03/04/2027 10:30", NOW, LONDON)
    assert not isinstance(error.value, AmbiguousDate)
    assert "what should I remind you of" in message(error)


def test_parse_remind_long_text_after_a_date_is_not_echoed() -> None:
    with pytest.raises(InputError) as error:
        parse_remind("nonsense " + "q" * 2000, NOW, LONDON)
    assert "q" * 41 not in message(error)


# -- parse_remind: relative ---------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "delta", "text"),
    [
        ("in 90 minutes Call the embassy", timedelta(minutes=90), "Call the embassy"),
        ("in 90m Call", timedelta(minutes=90), "Call"),
        ("in 1 hour 30 minutes X", timedelta(hours=1, minutes=30), "X"),
        ("in 1h30m Pack", timedelta(hours=1, minutes=30), "Pack"),
        ("in 2 days Send forms", timedelta(days=2), "Send forms"),
        ("In 3 Hours Check mail", timedelta(hours=3), "Check mail"),
        ("in 1 week Book a flight", timedelta(weeks=1), "Book a flight"),
    ],
)
def test_parse_remind_relative(args: str, delta: timedelta, text: str) -> None:
    due, parsed_text, wall_clock = parse_remind(args, NOW, TOKYO)
    assert due == NOW + delta
    assert parsed_text == text
    assert wall_clock is False


def test_parse_remind_relative_ignores_zone() -> None:
    results = {parse_remind("in 90 minutes X", NOW, zone)[0] for zone in (LONDON, TOKYO)}
    assert results == {NOW + timedelta(minutes=90)}


# -- parse_remind: errors ---------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("2027-01-09 09:00 Too late", "in the past"),
        ("2027-01-10 12:00 Right now", "in the past"),
        ("2027-02-30 09:00 No such day", "not a real date"),
        ("2027-02-14 25:00 No such hour", "'25:00' is not a real time"),
        ("2027-13-01 09:00 No such month", "not a real date"),
        ("2027-02-14 09:60 No such minute", "'09:60' is not a real time"),
        ("2027-02-14 09:00", "what should I remind you of"),
        ("2027-02-14 09:00    ", "what should I remind you of"),
        ("in 90 minutes", "what should I remind you of"),
        ("2027-02-14", "what should I remind you of"),
        ("tomorrow 9am", "what should I remind you of"),
        ("Bring passport", "'Bring passport' is not a date or time"),
        ("soon Call", "'soon Call' is not a date or time"),
        ("2h Call", "'2h' is a delay; write /remind in 2h Call the embassy"),
        ("90 minutes Call", "'90 minutes' is a delay; write /remind in 90 minutes"),
        ("tomorrow 9.30 Call", "'9.30' is not a time I read"),
        ("friday at 5 Call", "'at 5': am or pm?"),
        ("31 Feb Pay rent", "31 February is not a real date"),
        ("today 9am Past", "is in the past"),
        ("in soon X", "'soon X' is not a duration"),
        ("in", "is not a duration"),
        ("in ten minutes X", "is not a duration"),
        ("in 0 minutes X", "more than zero"),
        ("in 4 years X", "is not a duration"),
        ("in 1100 days X", "three years"),
        ("2031-01-01 09:00 Far away", "three years"),
        ("", "tell me when and what"),
        ("   ", "tell me when and what"),
    ],
)
def test_parse_remind_refuses(args: str, expected: str) -> None:
    with pytest.raises(InputError) as error:
        parse_remind(args, NOW, LONDON)
    assert expected in message(error)


def test_parse_remind_past_error_shows_local_time() -> None:
    with pytest.raises(InputError) as error:
        parse_remind("2027-01-10 09:00 X", NOW, TOKYO)  # 00:00Z, before NOW
    assert "Sun 10 Jan 2027, 09:00 (Asia/Tokyo, UTC+09:00) is in the past" in message(error)


def test_parse_remind_missing_text_gives_example() -> None:
    with pytest.raises(InputError) as error:
        parse_remind("in 90 minutes", NOW, LONDON)
    assert "/remind in 90 minutes Call the embassy" in message(error)


@pytest.mark.parametrize("prefix", ["2027-02-14 09:00", "in 2 hours"])
def test_parse_remind_text_length_limit(prefix: str) -> None:
    longest = "x" * MAX_TEXT_LENGTH
    assert parse_remind(f"{prefix} {longest}", NOW, LONDON)[1] == longest
    with pytest.raises(InputError) as error:
        parse_remind(f"{prefix} {longest}y", NOW, LONDON)
    assert f"{MAX_TEXT_LENGTH + 1} characters" in message(error)


def test_max_text_length_is_1000() -> None:
    assert MAX_TEXT_LENGTH == 1000


# -- parse_zone ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Europe/London", "Europe/London"),
        ("europe/london", "Europe/London"),
        ("EUROPE/LONDON", "Europe/London"),
        ("  asia/tokyo ", "Asia/Tokyo"),
        ("america/new_york", "America/New_York"),
        ("America/New York", "America/New_York"),
        ("utc", "UTC"),
    ],
)
def test_parse_zone(text: str, key: str) -> None:
    zone = parse_zone(text)
    assert isinstance(zone, ZoneInfo)
    assert zone.key == key


@pytest.mark.parametrize("text", ["Mars/Olympus_Mons", "London", "", "+09:00", "../etc/passwd"])
def test_parse_zone_unknown(text: str) -> None:
    with pytest.raises(InputError) as error:
        parse_zone(text)
    assert "Europe/London" in message(error)


# -- parse_clock ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("18:00", time(18, 0)), ("9:05", time(9, 5)), ("00:00", time(0, 0)), ("23:59", time(23, 59))],
)
def test_parse_clock(text: str, expected: time) -> None:
    assert parse_clock(text) == expected


@pytest.mark.parametrize("text", ["24:00", "18:60", "18", "6pm", "", "18:00:00"])
def test_parse_clock_refuses(text: str) -> None:
    with pytest.raises(InputError) as error:
        parse_clock(text)
    assert "e.g. 18:00" in message(error)


# -- local_to_utc and daylight saving time ------------------------------------------


def test_local_to_utc_plain() -> None:
    assert local_to_utc(local(2027, 7, 1, 9, 0), LONDON) == utc(2027, 7, 1, 8, 0)
    assert local_to_utc(local(2027, 1, 1, 9, 0), LONDON) == utc(2027, 1, 1, 9, 0)


def test_local_to_utc_result_is_aware_utc() -> None:
    result = local_to_utc(local(2027, 7, 1, 9, 0), TOKYO)
    assert result.tzinfo is UTC


def test_local_to_utc_gap_does_not_exist() -> None:
    # The clocks go from 01:00 GMT to 02:00 BST on 2027-03-28.
    with pytest.raises(InputError) as error:
        local_to_utc(local(2027, 3, 28, 1, 30), LONDON)
    assert "2027-03-28 01:30 does not exist in Europe/London" in message(error)


def test_local_to_utc_gap_edges() -> None:
    assert local_to_utc(local(2027, 3, 28, 0, 59), LONDON) == utc(2027, 3, 28, 0, 59)
    assert local_to_utc(local(2027, 3, 28, 2, 0), LONDON) == utc(2027, 3, 28, 1, 0)


def test_local_to_utc_ambiguous_takes_first_occurrence() -> None:
    # 01:30 happens twice on 2027-10-31: first in BST (UTC+1), then in GMT.
    assert local_to_utc(local(2027, 10, 31, 1, 30), LONDON) == utc(2027, 10, 31, 0, 30)


def test_local_to_utc_ignores_fold() -> None:
    folded = local(2027, 10, 31, 1, 30).replace(fold=1)
    assert local_to_utc(folded, LONDON) == utc(2027, 10, 31, 0, 30)


def test_parse_remind_in_dst_gap_is_refused() -> None:
    with pytest.raises(InputError, match="does not exist"):
        parse_remind("2027-03-28 01:30 X", NOW, LONDON)


def test_parse_local_datetime_ambiguous() -> None:
    assert parse_local_datetime("2027-10-31", "01:30", LONDON) == utc(2027, 10, 31, 0, 30)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2027-03-27", utc(2027, 3, 27, 9, 0)),  # GMT, before the change
        ("2027-03-29", utc(2027, 3, 29, 8, 0)),  # BST, after it
        ("2027-10-30", utc(2027, 10, 30, 8, 0)),  # BST, before the change back
        ("2027-11-01", utc(2027, 11, 1, 9, 0)),  # GMT again
    ],
)
def test_wall_clock_reminder_across_dst(day: str, expected: datetime) -> None:
    due, _, wall_clock = parse_remind(f"{day} 09:00 Call", NOW, LONDON)
    assert wall_clock is True
    assert due == expected
    assert due.astimezone(LONDON).hour == 9


# -- day_before_at and default_due ------------------------------------------------------


def test_day_before_at() -> None:
    stage_at = utc(2027, 2, 14, 10, 30)  # 10:30 in London in winter
    assert day_before_at(stage_at, 1, time(18, 0), LONDON) == utc(2027, 2, 13, 18, 0)


def test_day_before_at_uses_local_date() -> None:
    # 2027-02-14 08:00 in Tokyo is still 2027-02-13 in UTC: the day before is the 13th local.
    stage_at = utc(2027, 2, 13, 23, 0)
    assert day_before_at(stage_at, 1, time(18, 0), TOKYO) == utc(2027, 2, 13, 9, 0)


def test_day_before_at_across_dst() -> None:
    stage_at = utc(2027, 3, 29, 9, 30)  # 10:30 BST
    # The 28th is the day the clocks change; 18:00 that day is BST.
    assert day_before_at(stage_at, 1, time(18, 0), LONDON) == utc(2027, 3, 28, 17, 0)
    assert day_before_at(stage_at, 2, time(18, 0), LONDON) == utc(2027, 3, 27, 18, 0)


def test_day_before_at_in_dst_gap_moves_past_it() -> None:
    stage_at = utc(2027, 3, 29, 9, 30)
    assert day_before_at(stage_at, 1, time(1, 30), LONDON) == utc(2027, 3, 28, 1, 30)


@pytest.mark.parametrize(
    ("reminder", "stage_at", "zone", "expected"),
    [
        # "1 day before at 18:00" of a 10:30 date: 18:00 local the day before.
        (
            StageReminder(timedelta(days=1), "t", time(18, 0)),
            utc(2027, 2, 14, 1, 30),  # 10:30 in Tokyo
            TOKYO,
            utc(2027, 2, 13, 9, 0),
        ),
        # "7 days before" keeps the 10:30 local clock time across the change to BST.
        (
            StageReminder(timedelta(days=7), "t"),
            local_to_utc(local(2027, 4, 1, 10, 30), LONDON),
            LONDON,
            utc(2027, 3, 25, 10, 30),
        ),
        # ... and across the change back to GMT.
        (
            StageReminder(timedelta(days=7), "t"),
            local_to_utc(local(2027, 11, 4, 10, 30), LONDON),
            LONDON,
            utc(2027, 10, 28, 9, 30),
        ),
        # "2 hours before" is absolute, whatever the zone.
        (
            StageReminder(timedelta(hours=2), "t"),
            local_to_utc(local(2027, 3, 28, 3, 0), LONDON),
            LONDON,
            utc(2027, 3, 28, 0, 0),
        ),
        (
            StageReminder(timedelta(hours=2), "t"),
            utc(2027, 2, 14, 1, 30),
            TOKYO,
            utc(2027, 2, 13, 23, 30),
        ),
        # "36 hours" is not whole days: absolute.
        (
            StageReminder(timedelta(hours=36), "t"),
            local_to_utc(local(2027, 3, 29, 10, 0), LONDON),
            LONDON,
            utc(2027, 3, 27, 21, 0),
        ),
        # "48 hours" is whole days: local clock time.
        (
            StageReminder(timedelta(hours=48), "t"),
            local_to_utc(local(2027, 3, 29, 10, 0), LONDON),
            LONDON,
            utc(2027, 3, 27, 10, 0),
        ),
    ],
)
def test_default_due(
    reminder: StageReminder, stage_at: datetime, zone: ZoneInfo, expected: datetime
) -> None:
    assert default_due(reminder, stage_at, zone) == expected


def test_default_due_seven_days_before_keeps_local_clock() -> None:
    stage_at = local_to_utc(local(2027, 4, 1, 10, 30), LONDON)
    assert stage_at == utc(2027, 4, 1, 9, 30)
    due = default_due(StageReminder(timedelta(days=7), "t"), stage_at, LONDON)
    assert due.astimezone(LONDON).replace(tzinfo=None) == local(2027, 3, 25, 10, 30)
    assert stage_at - due == timedelta(days=7, hours=-1)


def test_default_due_whole_days_landing_in_gap() -> None:
    stage_at = local_to_utc(local(2027, 4, 4, 1, 30), LONDON)  # 01:30 BST
    due = default_due(StageReminder(timedelta(days=7), "t"), stage_at, LONDON)
    # 2027-03-28 01:30 does not exist in London; the reminder moves an hour on, to 02:30 BST.
    assert due == utc(2027, 3, 28, 1, 30)


@pytest.mark.parametrize(
    "args",
    [
        "in 99999999999 days x",
        "in 999999999999999999999 seconds x",
        "9999-12-31 23:30 x",
        "0001-01-01 00:00 x",
    ],
)
def test_absurd_times_are_a_one_line_error_not_an_overflow(args: str) -> None:
    with pytest.raises(InputError) as error:
        parse_remind(args, NOW, ZoneInfo("America/New_York"))
    assert "\n" not in str(error.value)


def test_control_characters_never_reach_a_stored_reminder() -> None:
    due, text, _ = parse_remind("in 2 hours Bring\x00 pass\x07port", NOW, LONDON)
    assert text == "Bring  pass port"
    assert due == NOW + timedelta(hours=2)


# -- reading a reminder whose text may be missing ------------------------------------------


@pytest.mark.parametrize(
    ("args", "at", "text", "wall_clock"),
    [
        ("tomorrow 9am", utc(2027, 1, 11, 9, 0), "", True),
        ("tomorrow 9am Call", utc(2027, 1, 11, 9, 0), "Call", True),
        ("in 2 hours", NOW + timedelta(hours=2), "", False),
        ("in 2 hours Call", NOW + timedelta(hours=2), "Call", False),
        ("14/02/2027", utc(2027, 2, 14, 9, 0), "", True),
        ("friday 14:00 Send the form", utc(2027, 1, 15, 14, 0), "Send the form", True),
    ],
)
def test_split_when(args: str, at: datetime, text: str, wall_clock: bool) -> None:
    when, rest = split_when(args, NOW, ZoneInfo("Europe/London"))
    assert (when.at, rest, when.wall_clock) == (at, text, wall_clock)


@pytest.mark.parametrize("args", ["in soon", "2h Call", "someday Call", "31 Feb Call"])
def test_split_when_refuses_what_parse_reminder_refuses(args: str) -> None:
    with pytest.raises(InputError):
        split_when(args, NOW, ZoneInfo("Europe/London"))
