from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.timebase import (
    MAX_EXCERPT,
    InputError,
    describe_moment,
    excerpt,
    in_words,
    offset_text,
    require_future,
)
from bot.timeparse import parse_clock, parse_duration, parse_local_datetime, parse_zone

NOW = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)
LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tomorrow 9am", "tomorrow 9am"),
        ("  two   words ", "two words"),
        ("line\nbreak\ttab", "line break tab"),
        ("bell\x07here", "bell here"),
        ("x" * MAX_EXCERPT, "x" * MAX_EXCERPT),
        ("x" * (MAX_EXCERPT + 1), "x" * (MAX_EXCERPT - 1) + "…"),
        ("", ""),
    ],
)
def test_excerpt(text: str, expected: str) -> None:
    assert excerpt(text) == expected


def test_excerpt_is_at_most_40_characters() -> None:
    assert MAX_EXCERPT == 40
    assert len(excerpt("y" * 5000)) == 40


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        (timedelta(0), "UTC+00:00"),
        (None, "UTC+00:00"),
        (timedelta(hours=9), "UTC+09:00"),
        (timedelta(hours=-5), "UTC-05:00"),
        (timedelta(hours=5, minutes=30), "UTC+05:30"),
        (timedelta(hours=-3, minutes=-30), "UTC-03:30"),
        (timedelta(hours=13, minutes=45), "UTC+13:45"),
    ],
)
def test_offset_text(offset: timedelta | None, expected: str) -> None:
    assert offset_text(offset) == expected


def test_in_words_has_weekday_unpadded_day_and_24_hour_time() -> None:
    assert in_words(datetime(2027, 2, 14, 10, 30)) == "Sun 14 Feb 2027, 10:30"  # noqa: DTZ001
    assert in_words(datetime(2027, 4, 3, 21, 5)) == "Sat 3 Apr 2027, 21:05"  # noqa: DTZ001


@pytest.mark.parametrize(
    ("moment", "zone", "expected"),
    [
        (
            datetime(2027, 2, 14, 10, 30, tzinfo=UTC),
            LONDON,
            "Sun 14 Feb 2027, 10:30 (Europe/London, UTC+00:00)",
        ),
        (
            datetime(2027, 7, 14, 9, 30, tzinfo=UTC),
            LONDON,
            "Wed 14 Jul 2027, 10:30 (Europe/London, UTC+01:00)",
        ),
        (
            datetime(2027, 2, 13, 23, 0, tzinfo=UTC),
            ZoneInfo("Asia/Tokyo"),
            "Sun 14 Feb 2027, 08:00 (Asia/Tokyo, UTC+09:00)",
        ),
        (
            datetime(2027, 2, 14, 15, 0, tzinfo=UTC),
            ZoneInfo("America/New_York"),
            "Sun 14 Feb 2027, 10:00 (America/New_York, UTC-05:00)",
        ),
    ],
)
def test_describe_moment(moment: datetime, zone: ZoneInfo, expected: str) -> None:
    assert describe_moment(moment, zone) == expected


def test_require_future_says_the_past_moment_in_words() -> None:
    with pytest.raises(InputError) as error:
        require_future(NOW - timedelta(hours=1), NOW, LONDON)
    assert str(error.value).startswith("Sun 10 Jan 2027, 11:00 (Europe/London, UTC+00:00) is in")


def test_require_future_far_away() -> None:
    with pytest.raises(InputError, match="Sun 13 Jan 2030, 12:00 is more than three years"):
        require_future(NOW + timedelta(days=3 * 366 + 1), NOW, LONDON)
    require_future(NOW + timedelta(days=3 * 366), NOW, LONDON)


LONG = "2027-02-14 " + "z" * 300


@pytest.mark.parametrize(
    "call",
    [
        lambda: parse_duration(LONG),
        lambda: parse_clock(LONG),
        lambda: parse_zone(LONG),
        lambda: parse_local_datetime(LONG, "09:00", LONDON),
    ],
)
def test_long_input_is_not_echoed_whole(call: Callable[[], object]) -> None:
    with pytest.raises(InputError) as error:
        call()
    text = str(error.value)
    assert "z" * 41 not in text
    assert "…" in text
    assert "\n" not in text
