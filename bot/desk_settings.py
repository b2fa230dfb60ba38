"""The settings of the help desk (tickets to staff) and of file downloads.

Each reader raises InputError naming its variable; bot.config turns it into a
ConfigError, so a malformed value stops the bot with one clear line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from bot.office_hours import EXAMPLE, OfficeHours, parse_office_hours
from bot.timeparse import InputError

DEFAULT_OFFICE_NAME = "the office"
MAX_OFFICE_NAME = 60
# A user id is positive; a group's id is negative; a supergroup's starts with -100.
CHAT_ID = re.compile(r"^-?[0-9]{1,18}$")


@dataclass(frozen=True, slots=True)
class DeskSettings:
    """Where tickets go, who signs the answers, and when staff answer."""

    staff_chat_id: int | None = None  # None: no "Ask a person"; the bot says where to ask
    office_hours: OfficeHours | None = None
    office_name: str = DEFAULT_OFFICE_NAME


def read_desk(env: Mapping[str, str]) -> DeskSettings:
    return DeskSettings(
        staff_chat_id=staff_chat_id(env.get("JETBOT_STAFF_CHAT_ID", "")),
        office_hours=office_hours(env.get("JETBOT_OFFICE_HOURS", "")),
        office_name=office_name(env.get("JETBOT_OFFICE_NAME", "")),
    )


def staff_chat_id(value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not CHAT_ID.match(value) or int(value) == 0:
        raise InputError(
            f"JETBOT_STAFF_CHAT_ID: '{value[:30]}' is not a Telegram chat id; it is a number "
            "such as -1001234567890 (send /chatid in the staff group to see it)"
        )
    return int(value)


def office_hours(value: str) -> OfficeHours | None:
    if not value.strip():
        return None
    try:
        return parse_office_hours(value)
    except InputError as error:
        raise InputError(f"JETBOT_OFFICE_HOURS: {error}; e.g. {EXAMPLE}") from error


def office_name(value: str) -> str:
    name = " ".join(value.split())
    if not name:
        return DEFAULT_OFFICE_NAME
    if len(name) > MAX_OFFICE_NAME or not name.isprintable():
        raise InputError(
            f"JETBOT_OFFICE_NAME must be at most {MAX_OFFICE_NAME} printable characters, "
            "e.g. the Embassy of Japan in the UK"
        )
    return name


def file_base_url(value: str, api_base_url: str) -> str:
    """Where files are downloaded: TELEGRAM_FILE_BASE_URL, or the API base's ``file/bot``.

    ``https://api.telegram.org/bot`` gives ``https://api.telegram.org/file/bot``; a
    self-hosted Bot API server (and the test server) follows the same pattern.
    """
    value = value.strip()
    if value:
        if not re.match(r"^https?://[^\s/]+\S*$", value):
            raise InputError(
                "TELEGRAM_FILE_BASE_URL must be an http(s) URL such as "
                "https://api.telegram.org/file/bot"
            )
        return value
    if not api_base_url.endswith("bot"):
        raise InputError(
            "TELEGRAM_FILE_BASE_URL is not set and TELEGRAM_API_BASE_URL does not end in "
            "'bot', so it cannot be derived; set it, e.g. http://localhost:8081/file/bot"
        )
    return api_base_url[: -len("bot")] + "file/bot"
