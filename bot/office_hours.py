"""When the office answers: ``JETBOT_OFFICE_HOURS="Mon-Fri 09:00-17:00 Asia/Tokyo"``.

Read strictly (a typo must not silently promise answers at the wrong hours):
days as three-letter English names, single or in ranges, joined by commas
("Mon-Fri", "Mon,Wed,Fri", "Sun-Thu"); hours as HH:MM-HH:MM within one day; an
IANA time zone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.timeparse import InputError, parse_zone

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EXAMPLE = "Mon-Fri 09:00-17:00 Asia/Tokyo"
SHAPE = re.compile(r"^(\S+) ([0-9]{2}):([0-9]{2})-([0-9]{2}):([0-9]{2}) (\S+)$")
DAY_SPAN = re.compile(r"^([A-Za-z]{3})(?:-([A-Za-z]{3}))?$")


@dataclass(frozen=True, slots=True)
class OfficeHours:
    days: frozenset[int]  # 0 = Monday, as datetime.weekday()
    start: time
    end: time
    zone: ZoneInfo
    text: str  # as configured, for people

    def is_open(self, moment: datetime) -> bool:
        local = moment.astimezone(self.zone)
        return local.weekday() in self.days and self.start <= local.time() < self.end

    def next_opening(self, moment: datetime) -> datetime:
        """``moment`` itself when the office is open, else when it next opens (UTC-aware)."""
        if self.is_open(moment):
            return moment
        local = moment.astimezone(self.zone)
        for ahead in range(8):
            day = local.date() + timedelta(days=ahead)
            if day.weekday() not in self.days:
                continue
            opening = datetime.combine(day, self.start, self.zone)
            if opening > local:
                return opening
        raise AssertionError("a week always has an opening")  # days is never empty


def parse_office_hours(value: str) -> OfficeHours:
    """``Mon-Fri 09:00-17:00 Asia/Tokyo``; InputError saying what is wrong otherwise."""
    text = " ".join(value.split())
    match = SHAPE.match(text)
    if match is None:
        raise InputError(
            f"'{text[:60]}' is not like '{EXAMPLE}': days, then HH:MM-HH:MM, then a time zone"
        )
    days_text, h1, m1, h2, m2, zone_text = match.groups()
    days = parse_days(days_text)
    start, end = clock(h1, m1), clock(h2, m2)
    if start >= end:
        raise InputError(
            f"the office must open before it closes within a day: {h1}:{m1}-{h2}:{m2}"
        )
    return OfficeHours(frozenset(days), start, end, parse_zone(zone_text), text)


def parse_days(text: str) -> set[int]:
    days: set[int] = set()
    for span in text.split(","):
        match = DAY_SPAN.match(span)
        if match is None:
            raise InputError(f"'{span[:20]}' is not a day or a range of days like Mon-Fri")
        first = day_number(match[1])
        last = day_number(match[2]) if match[2] else first
        # Sun-Thu wraps round the week's end.
        days.update((first + step) % 7 for step in range((last - first) % 7 + 1))
    return days


def day_number(name: str) -> int:
    try:
        return DAYS.index(name.lower())
    except ValueError:
        raise InputError(f"'{name}' is not a day; use Mon Tue Wed Thu Fri Sat or Sun") from None


def clock(hours: str, minutes: str) -> time:
    if int(hours) > 24 or int(minutes) > 59 or (int(hours) == 24 and int(minutes)):
        raise InputError(f"'{hours}:{minutes}' is not a time of day (00:00 to 24:00)")
    # 24:00 closes at the end of the day.
    return time.max if int(hours) == 24 else time(int(hours), int(minutes))
