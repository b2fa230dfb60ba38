"""What time it is, and instants as people read them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def show(moment: datetime, zone: ZoneInfo) -> str:
    """A time as the user reads it: 'Sun 14 Feb 2027 10:30'."""
    return moment.astimezone(zone).strftime("%a %d %b %Y %H:%M")
