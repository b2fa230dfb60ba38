"""The guided steps' words and buttons."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.replies import Reply, button
from bot.replies.buttons import NoDate
from bot.replies.guide import chain, fixed_note, step_cancelled, zone_buttons, zone_choices
from bot.zones import resolve_zone

NOW = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)


def test_chain_keeps_both_texts_and_every_button() -> None:
    first = Reply("one", ((button("a", NoDate()),),))
    second = Reply("two", ((button("b", NoDate()),),))
    joined = chain(first, second)
    assert joined.text == "one\n\ntwo"
    assert [row[0].label for row in joined.buttons] == ["a", "b"]


def test_zone_buttons_show_offset_and_clock_and_end_with_other() -> None:
    rows = zone_buttons(["Asia/Tokyo", "America/New_York"], NOW)
    assert [row[0].label for row in rows] == [
        "Asia/Tokyo (UTC+09:00, now 21:00)",
        "America/New_York (UTC-05:00, now 07:00)",
        "✏️ Other: type a city",
    ]


def test_zone_choices_do_not_ask_twice() -> None:
    text = zone_choices(resolve_zone("IST", now=NOW), NOW).text
    assert text.count("pick yours") == 1
    assert "Which one" not in text
    inverted = zone_choices(resolve_zone("Etc/GMT+9", now=NOW), NOW).text
    assert inverted.startswith("Careful: Etc/GMT+9 is UTC-09:00")
    assert inverted.endswith("Which one is yours?")


def test_fixed_offsets_carry_a_note() -> None:
    assert "daylight saving" in fixed_note("Etc/GMT-9")
    assert fixed_note("Asia/Tokyo") == ""


def test_cancel_during_a_step() -> None:
    assert step_cancelled("remind", None).text == "Cancelled."
    kept = step_cancelled("stage", 4).text
    assert "Reminder #4 is untouched" in kept
    assert "/cancel 4" in kept
