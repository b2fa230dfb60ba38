"""Office hours: read strictly, and when the office next opens."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from bot.office_hours import parse_office_hours
from bot.timeparse import InputError

TOKYO = "Mon-Fri 09:00-17:00 Asia/Tokyo"


def test_a_working_week() -> None:
    hours = parse_office_hours(TOKYO)
    assert hours.days == frozenset(range(5))
    assert (hours.start, hours.end) == (time(9), time(17))
    assert hours.zone.key == "Asia/Tokyo"
    assert hours.text == TOKYO


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        ("Mon", {0}),
        ("mon,wed,FRI", {0, 2, 4}),
        ("Sun-Thu", {6, 0, 1, 2, 3}),
        ("Mon-Tue,Sat", {0, 1, 5}),
        ("Sat-Sun", {5, 6}),
    ],
)
def test_days_single_listed_and_ranged(days: str, expected: set[int]) -> None:
    assert parse_office_hours(f"{days} 09:00-17:00 UTC").days == frozenset(expected)


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("Mon-Fri 9-17 Asia/Tokyo", "is not like"),
        ("Mon-Fri 09:00-17:00", "is not like"),
        ("Weekdays 09:00-17:00 UTC", "'Weekdays' is not a day"),
        ("Mon-Fry 09:00-17:00 UTC", "'Fry' is not a day"),
        ("Mon-Fri 17:00-09:00 UTC", "open before it closes"),
        ("Mon-Fri 09:00-09:00 UTC", "open before it closes"),
        ("Mon-Fri 25:00-26:00 UTC", "is not a time of day"),
        ("Mon-Fri 09:00-17:60 UTC", "is not a time of day"),
        ("Mon-Fri 09:00-17:00 Mars/Olympus", "not a time zone"),
        ("", "is not like"),
    ],
)
def test_anything_else_is_refused_with_a_reason(value: str, says: str) -> None:
    with pytest.raises(InputError, match=says):
        parse_office_hours(value)


def test_open_until_24_00() -> None:
    hours = parse_office_hours("Sat 20:00-24:00 UTC")
    assert hours.is_open(datetime(2027, 1, 9, 23, 59, tzinfo=UTC))


@pytest.mark.parametrize(
    ("now", "opens"),
    [
        # Friday 10:00 in Tokyo (01:00 UTC): open now.
        (datetime(2027, 1, 8, 1, 0, tzinfo=UTC), datetime(2027, 1, 8, 1, 0, tzinfo=UTC)),
        # Friday 18:00 in Tokyo: Monday 09:00 Tokyo, which is Monday 00:00 UTC.
        (datetime(2027, 1, 8, 9, 0, tzinfo=UTC), datetime(2027, 1, 11, 0, 0, tzinfo=UTC)),
        # Monday 07:00 in Tokyo: two hours later.
        (datetime(2027, 1, 10, 22, 0, tzinfo=UTC), datetime(2027, 1, 11, 0, 0, tzinfo=UTC)),
    ],
)
def test_next_opening(now: datetime, opens: datetime) -> None:
    assert parse_office_hours(TOKYO).next_opening(now) == opens
