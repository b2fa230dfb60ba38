"""Settings of the help desk and of file downloads: each bad value stops with one line."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, load_settings
from bot.desk_settings import DEFAULT_OFFICE_NAME


def test_off_by_default() -> None:
    settings = load_settings({})
    assert settings.desk.staff_chat_id is None
    assert settings.desk.office_hours is None
    assert settings.desk.office_name == DEFAULT_OFFICE_NAME
    assert settings.file_base_url == "https://api.telegram.org/file/bot"


@pytest.mark.parametrize("value", ["-1001234567890", "-4242", " 12345 "])
def test_staff_chat_id(value: str) -> None:
    settings = load_settings({"JETBOT_STAFF_CHAT_ID": value})
    assert settings.desk.staff_chat_id == int(value)


@pytest.mark.parametrize("value", ["staff", "-100 123", "@jetstaff", "0", "1.5", "-" + "9" * 19])
def test_a_malformed_staff_chat_id_says_how_to_find_it(value: str) -> None:
    with pytest.raises(ConfigError, match="JETBOT_STAFF_CHAT_ID") as caught:
        load_settings({"JETBOT_STAFF_CHAT_ID": value})
    assert "/chatid" in str(caught.value)


def test_office_hours() -> None:
    hours = load_settings({"JETBOT_OFFICE_HOURS": "Mon-Fri 09:00-17:00 Asia/Tokyo"}).desk
    assert hours.office_hours is not None
    assert hours.office_hours.zone.key == "Asia/Tokyo"


def test_malformed_office_hours_name_the_setting_and_an_example() -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings({"JETBOT_OFFICE_HOURS": "weekdays 9 to 5"})
    message = str(caught.value)
    assert message.startswith("JETBOT_OFFICE_HOURS:")
    assert "Mon-Fri 09:00-17:00 Asia/Tokyo" in message


def test_office_name() -> None:
    name = "the Embassy of Japan in the UK"
    assert load_settings({"JETBOT_OFFICE_NAME": f"  {name} "}).desk.office_name == name
    with pytest.raises(ConfigError, match="JETBOT_OFFICE_NAME"):
        load_settings({"JETBOT_OFFICE_NAME": "x" * 61})


@pytest.mark.parametrize(
    ("api", "files"),
    [
        ("https://api.telegram.org/bot", "https://api.telegram.org/file/bot"),
        ("http://127.0.0.1:8081/bot", "http://127.0.0.1:8081/file/bot"),
    ],
)
def test_the_file_url_follows_the_api_url(api: str, files: str) -> None:
    assert load_settings({"TELEGRAM_API_BASE_URL": api}).file_base_url == files


def test_the_file_url_can_be_set() -> None:
    env = {"TELEGRAM_API_BASE_URL": "http://botapi/api", "TELEGRAM_FILE_BASE_URL": "http://f/x"}
    assert load_settings(env).file_base_url == "http://f/x"


def test_an_underivable_file_url_must_be_set() -> None:
    with pytest.raises(ConfigError, match="TELEGRAM_FILE_BASE_URL is not set"):
        load_settings({"TELEGRAM_API_BASE_URL": "http://botapi/api"})
    with pytest.raises(ConfigError, match="TELEGRAM_FILE_BASE_URL must be"):
        load_settings({"TELEGRAM_FILE_BASE_URL": "files please"})
