from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import (
    BUNDLED_KNOWLEDGE,
    DEFAULT_API_BASE_URL,
    ConfigError,
    Secret,
    Settings,
    load_settings,
    require_token,
    require_webhook,
)

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw8"


def settings(token: str | None) -> Settings:
    env = {"TELEGRAM_BOT_TOKEN": token} if token is not None else {}
    return load_settings(env)


def test_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = load_settings({})
    assert result.api_base_url == DEFAULT_API_BASE_URL == "https://api.telegram.org/bot"
    assert result.database == Path("jetbot.sqlite3")
    assert result.knowledge == BUNDLED_KNOWLEDGE
    assert result.token is None


def test_local_knowledge_directory_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "knowledge").mkdir()
    assert load_settings({}).knowledge == Path("knowledge")


def test_blank_values_mean_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    env = {
        "TELEGRAM_API_BASE_URL": "  ",
        "JETBOT_DATABASE": "",
        "JETBOT_KNOWLEDGE": " ",
        "TELEGRAM_BOT_TOKEN": "  ",
    }
    assert load_settings(env) == load_settings({})


def test_reads_os_environ_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JETBOT_DATABASE", "/tmp/from-environ.sqlite3")
    assert load_settings().database == Path("/tmp/from-environ.sqlite3")


def test_overrides() -> None:
    result = load_settings(
        {
            "JETBOT_KNOWLEDGE": "/srv/kb",
            "JETBOT_DATABASE": "state.db",
            "TELEGRAM_BOT_TOKEN": f" {TOKEN} ",
        }
    )
    assert result.knowledge == Path("/srv/kb")
    assert result.database == Path("state.db")
    assert result.token is not None
    assert result.token.reveal() == TOKEN


@pytest.mark.parametrize(
    "url",
    ["http://localhost:8081/bot", "https://botapi.example.org/bot", " http://127.0.0.1/bot "],
)
def test_api_base_url_override(url: str) -> None:
    assert load_settings({"TELEGRAM_API_BASE_URL": url}).api_base_url == url.strip()


@pytest.mark.parametrize(
    "url", ["not a url", "localhost:8081", "ftp://example.org/bot", "http://", "https:// space"]
)
def test_api_base_url_must_be_a_url(url: str) -> None:
    with pytest.raises(ConfigError, match="TELEGRAM_API_BASE_URL must be an http"):
        load_settings({"TELEGRAM_API_BASE_URL": url})


def test_require_token_missing() -> None:
    with pytest.raises(ConfigError, match="TELEGRAM_BOT_TOKEN is not set") as excinfo:
        require_token(settings(None))
    assert "jetbot chat" in str(excinfo.value)


@pytest.mark.parametrize(
    "token",
    [
        "definitely-not-a-token",
        "12:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw8",
        "123456789:short",
        "123456789 AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw8",
        "123456789:AAHdqTcvCH1vGWJxfSeof!As0K5PALDsaw8",
    ],
)
def test_require_token_malformed_does_not_echo_it(token: str) -> None:
    with pytest.raises(ConfigError, match="malformed") as excinfo:
        require_token(settings(token))
    message = str(excinfo.value)
    assert token not in message
    assert token[-10:] not in message
    assert "jetbot chat" in message


def test_require_token_valid() -> None:
    secret = require_token(settings(TOKEN))
    assert isinstance(secret, Secret)
    assert secret.reveal() == TOKEN


def test_secret_hides_its_value() -> None:
    secret = Secret(TOKEN)
    for shown in (repr(secret), str(secret), f"{secret}", f"{secret!r}", format(secret)):
        assert TOKEN not in shown
        assert "*" in shown
    assert secret.reveal() == TOKEN


def test_settings_repr_hides_the_token() -> None:
    assert TOKEN not in repr(settings(TOKEN))


@pytest.mark.parametrize(
    "url", ["postgres://bot:s3cret@db.example.org:5432/jet", "postgresql://localhost/jet"]
)
def test_database_url_selects_postgresql_and_stays_secret(url: str) -> None:
    settings = load_settings({"DATABASE_URL": url})
    assert settings.database_url is not None
    assert settings.database_url.reveal() == url
    assert "s3cret" not in repr(settings)


@pytest.mark.parametrize("url", ["mysql://x/y", "sqlite:///bot.db", "postgres:// spaced"])
def test_database_url_must_be_postgresql(url: str) -> None:
    with pytest.raises(ConfigError, match="DATABASE_URL must be a PostgreSQL URL") as error:
        load_settings({"DATABASE_URL": url})
    assert url not in str(error.value)


def test_no_database_url_means_the_sqlite_file() -> None:
    assert load_settings({}).database_url is None


def test_operator_defaults_and_overrides() -> None:
    assert load_settings({}).operator == "the team that runs this bot"
    assert load_settings({"JETBOT_OPERATOR": "  "}).operator == "the team that runs this bot"
    named = load_settings({"JETBOT_OPERATOR": " JETAA  Ruritania "})
    assert named.operator == "JETAA Ruritania"


def test_operator_too_long_is_one_clear_error() -> None:
    with pytest.raises(ConfigError, match="JETBOT_OPERATOR is over 200 characters"):
        load_settings({"JETBOT_OPERATOR": "x" * 201})


WEBHOOK = {"JETBOT_WEBHOOK_SECRET": "s3cret_-token"}


def test_webhook_url_over_https_is_taken() -> None:
    env = {**WEBHOOK, "JETBOT_WEBHOOK_URL": "https://jetbot.example.org/telegram"}
    url, secret = require_webhook(load_settings(env))
    assert (url, secret.reveal()) == ("https://jetbot.example.org/telegram", "s3cret_-token")


def test_plain_http_webhook_is_refused_by_telegram_so_by_us() -> None:
    env = {**WEBHOOK, "JETBOT_WEBHOOK_URL": "http://jetbot.example.org/telegram"}
    with pytest.raises(ConfigError, match="must start with https://"):
        require_webhook(load_settings(env))


def test_plain_http_webhook_is_fine_with_a_self_hosted_bot_api() -> None:
    env = {
        **WEBHOOK,
        "JETBOT_WEBHOOK_URL": "http://10.0.0.5:8080/telegram",
        "TELEGRAM_API_BASE_URL": "http://10.0.0.2:8081/bot",
    }
    assert require_webhook(load_settings(env))[0] == "http://10.0.0.5:8080/telegram"
