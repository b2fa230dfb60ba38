"""Settings from the environment, each with one clear error when missing or bad."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.desk_settings import DeskSettings, file_base_url, read_desk
from bot.timeparse import InputError, parse_zone

DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_DATABASE = "jetbot.sqlite3"
DEFAULT_KNOWLEDGE = "knowledge"
DEFAULT_RETENTION_DAYS = 180
DEFAULT_OPERATOR = "the team that runs this bot"
DEFAULT_PORT = 8080
# Telegram's rule for a webhook's secret_token: 1-256 of these characters.
WEBHOOK_SECRET_SHAPE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
TOKEN_SHAPE = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{30,}$")
# The repository's own knowledge base, used when the working directory has none.
BUNDLED_KNOWLEDGE = Path(__file__).resolve().parent.parent / DEFAULT_KNOWLEDGE


class ConfigError(Exception):
    """A setting is missing or malformed; the message never contains a secret."""


class Secret:
    """A value that prints as stars, so a token cannot leak through a log or a traceback."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__


@dataclass(frozen=True, slots=True)
class Settings:
    knowledge: Path
    database: Path
    api_base_url: str = DEFAULT_API_BASE_URL
    token: Secret | None = None
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    staff_ids: frozenset[int] = frozenset()
    retention_days: int = DEFAULT_RETENTION_DAYS
    database_url: Secret | None = None  # PostgreSQL; when set, it is used instead of the file
    webhook_url: str | None = None
    webhook_secret: Secret | None = None
    port: int = DEFAULT_PORT
    operator: str = DEFAULT_OPERATOR  # who runs the bot, as /privacy names them
    desk: DeskSettings = field(default_factory=DeskSettings)  # tickets to a staff chat
    file_base_url: str = "https://api.telegram.org/file/bot"


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read every setting that has a default; the token is read by ``require_token``."""
    env = os.environ if environ is None else environ
    base_url = env.get("TELEGRAM_API_BASE_URL", "").strip() or DEFAULT_API_BASE_URL
    if not re.match(r"^https?://[^\s/]+", base_url):
        raise ConfigError(
            f"TELEGRAM_API_BASE_URL must be an http(s) URL such as {DEFAULT_API_BASE_URL}"
        )
    token_text = env.get("TELEGRAM_BOT_TOKEN", "").strip()
    try:
        zone = parse_zone(env.get("JETBOT_TIMEZONE", "").strip() or "UTC")
    except InputError as error:
        raise ConfigError(f"JETBOT_TIMEZONE: {error}") from error
    try:
        desk = read_desk(env)
        files = file_base_url(env.get("TELEGRAM_FILE_BASE_URL", ""), base_url)
    except InputError as error:
        raise ConfigError(str(error)) from error
    return Settings(
        knowledge=knowledge_directory(env.get("JETBOT_KNOWLEDGE", "").strip()),
        database=Path(env.get("JETBOT_DATABASE", "").strip() or DEFAULT_DATABASE),
        api_base_url=base_url,
        token=Secret(token_text) if token_text else None,
        timezone=zone,
        staff_ids=staff_ids(env.get("JETBOT_STAFF_IDS", "")),
        retention_days=retention_days(env.get("JETBOT_RETENTION_DAYS", "")),
        database_url=database_url(env.get("DATABASE_URL", "")),
        webhook_url=env.get("JETBOT_WEBHOOK_URL", "").strip() or None,
        webhook_secret=Secret(secret)
        if (secret := env.get("JETBOT_WEBHOOK_SECRET", "").strip())
        else None,
        port=port(env.get("PORT", "")),
        operator=operator(env.get("JETBOT_OPERATOR", "")),
        desk=desk,
        file_base_url=files,
    )


def staff_ids(value: str) -> frozenset[int]:
    """'123, 456' -> {123, 456}: the Telegram user ids allowed to use staff commands."""
    ids = set()
    for item in value.replace(";", ",").split(","):
        item = item.strip()
        if not item:
            continue
        if not re.fullmatch(r"[0-9]+", item):
            raise ConfigError(
                f"JETBOT_STAFF_IDS: '{item}' is not a Telegram user id; "
                "give numbers separated by commas, e.g. 12345678,23456789"
            )
        ids.add(int(item))
    return frozenset(ids)


def retention_days(value: str) -> int:
    if not value.strip():
        return DEFAULT_RETENTION_DAYS
    if not re.fullmatch(r"[0-9]{1,5}", value.strip()) or int(value) < 1:
        raise ConfigError("JETBOT_RETENTION_DAYS must be a whole number of days, e.g. 180")
    return int(value)


def operator(value: str) -> str:
    """JETBOT_OPERATOR: who runs the bot, e.g. "the JET Alumni Association of Ruritania"."""
    name = " ".join(value.split())
    if len(name) > 200:
        raise ConfigError(
            "JETBOT_OPERATOR is over 200 characters; give a name, e.g. JETAA Ruritania"
        )
    return name or DEFAULT_OPERATOR


def database_url(value: str) -> Secret | None:
    """DATABASE_URL, as Heroku and most hosts give it: postgres://user:password@host/db."""
    value = value.strip()
    if not value:
        return None
    if not re.match(r"^postgres(ql)?://[^\s]+$", value):
        raise ConfigError(
            "DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@host:5432/db "
            "(leave it unset to use the SQLite file JETBOT_DATABASE)"
        )
    return Secret(value)


def port(value: str) -> int:
    if not value.strip():
        return DEFAULT_PORT
    if not re.fullmatch(r"[0-9]{1,5}", value.strip()) or not 0 < int(value) < 65536:
        raise ConfigError("PORT must be a TCP port number, e.g. 8080")
    return int(value)


def require_webhook(settings: Settings) -> tuple[str, Secret]:
    """The webhook's public URL and secret, or a ConfigError saying what to set."""
    if not settings.webhook_url or not re.match(r"^https?://[^\s/]+", settings.webhook_url):
        raise ConfigError(
            "JETBOT_WEBHOOK_URL must be the public https:// address Telegram posts updates to, "
            "e.g. https://jetbot.example.org/telegram"
        )
    if settings.webhook_url.startswith("http://") and settings.api_base_url.startswith(
        DEFAULT_API_BASE_URL
    ):
        # Only a self-hosted Bot API server (TELEGRAM_API_BASE_URL) posts to plain http.
        raise ConfigError(
            "JETBOT_WEBHOOK_URL must start with https://: Telegram delivers webhooks over HTTPS "
            "only (plain http works only with your own Bot API server, TELEGRAM_API_BASE_URL)"
        )
    secret = settings.webhook_secret
    if secret is None or not WEBHOOK_SECRET_SHAPE.match(secret.reveal()):
        raise ConfigError(
            "JETBOT_WEBHOOK_SECRET must be 1-256 letters, digits, _ or -, e.g. the output of: "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"
        )
    return settings.webhook_url, secret


def knowledge_directory(value: str) -> Path:
    if value:
        return Path(value)
    local = Path(DEFAULT_KNOWLEDGE)
    return local if local.is_dir() or not BUNDLED_KNOWLEDGE.is_dir() else BUNDLED_KNOWLEDGE


def require_token(settings: Settings) -> Secret:
    """The bot token, or a ConfigError that says what is wrong without echoing it."""
    if settings.token is None:
        raise ConfigError(
            "TELEGRAM_BOT_TOKEN is not set; get one from @BotFather "
            "(or try 'jetbot chat', which needs no token)"
        )
    if not TOKEN_SHAPE.match(settings.token.reveal()):
        raise ConfigError(
            "TELEGRAM_BOT_TOKEN is malformed: expected digits, a colon and 30+ letters, "
            "as @BotFather gives it (or try 'jetbot chat', which needs no token)"
        )
    return settings.token
