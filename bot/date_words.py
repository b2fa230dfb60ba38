"""The words dates and times are written in: weekday and month names, day offsets, times of day."""

from __future__ import annotations

from datetime import time

TONIGHT = time(20, 0)

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
