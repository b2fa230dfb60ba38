"""Settings for the staff tools: JETBOT_STAFF_IDS and JETBOT_RETENTION_DAYS."""

from __future__ import annotations

import pytest

from bot.config import DEFAULT_RETENTION_DAYS, ConfigError, load_settings


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1, 2,3", {1, 2, 3}),
        ("12345678", {12345678}),
        ("12345678,23456789", {12345678, 23456789}),
        ("1;2", {1, 2}),
        ("1,1, 1", {1}),
        (" 1 ,, 2 ,", {1, 2}),
        ("", set()),
        ("   ", set()),
    ],
)
def test_staff_ids(value: str, expected: set[int]) -> None:
    staff = load_settings({"JETBOT_STAFF_IDS": value}).staff_ids
    assert staff == frozenset(expected)
    assert isinstance(staff, frozenset)


def test_no_staff_by_default() -> None:
    assert load_settings({}).staff_ids == frozenset()


@pytest.mark.parametrize(
    ("value", "bad"),
    [("abc", "abc"), ("1, 2x", "2x"), ("-5", "-5"), ("1 2", "1 2"), ("@alice", "@alice")],
)
def test_bad_staff_ids_name_the_setting_and_the_value(value: str, bad: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings({"JETBOT_STAFF_IDS": value})
    message = str(caught.value)
    assert message.startswith("JETBOT_STAFF_IDS: ")
    assert f"'{bad}' is not a Telegram user id" in message


def test_retention_defaults_to_180_days() -> None:
    assert DEFAULT_RETENTION_DAYS == 180
    assert load_settings({}).retention_days == 180
    assert load_settings({"JETBOT_RETENTION_DAYS": "  "}).retention_days == 180


@pytest.mark.parametrize(("value", "days"), [("1", 1), ("30", 30), (" 365 ", 365)])
def test_retention_days(value: str, days: int) -> None:
    assert load_settings({"JETBOT_RETENTION_DAYS": value}).retention_days == days


@pytest.mark.parametrize("value", ["0", "x", "-1", "1.5", "30d", "00"])
def test_bad_retention_days(value: str) -> None:
    with pytest.raises(ConfigError, match=r"^JETBOT_RETENTION_DAYS must be a whole number"):
        load_settings({"JETBOT_RETENTION_DAYS": value})


@pytest.mark.parametrize(
    ("name", "value"), [("JETBOT_STAFF_IDS", "12345678²"), ("JETBOT_RETENTION_DAYS", "³")]
)
def test_digit_like_characters_are_a_config_error(name: str, value: str) -> None:
    # str.isdigit() accepts superscripts, which int() then rejects with a ValueError.
    with pytest.raises(ConfigError, match=f"^{name}"):
        load_settings({name: value})
