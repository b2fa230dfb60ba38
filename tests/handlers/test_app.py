"""Start-up failures become one line, and PTB's bootstrap traceback is not logged."""

from __future__ import annotations

import logging

import pytest
from telegram.error import InvalidToken, NetworkError, TimedOut

from bot.config import Secret
from handlers.app import StartupError, startup_errors

TOKEN = Secret("123456:" + "S" * 35)


@pytest.mark.parametrize(
    ("raised", "code", "start"),
    [
        (InvalidToken("Not Found"), 2, "Telegram rejected TELEGRAM_BOT_TOKEN"),
        (NetworkError("httpx.ConnectError: refused"), 1, "could not reach Telegram at http://x"),
        (TimedOut(), 1, "could not reach Telegram at http://x"),
        (NetworkError(f"bad url http://x/bot{TOKEN.reveal()}/getMe"), 1, "could not reach"),
    ],
)
def test_start_up_errors_are_one_line_without_the_token(
    raised: Exception, code: int, start: str
) -> None:
    with pytest.raises(StartupError) as error, startup_errors(TOKEN, "http://x/bot"):
        raise raised
    assert error.value.code == code
    assert str(error.value).startswith(start)
    assert "\n" not in str(error.value)
    assert TOKEN.reveal() not in str(error.value)


def test_the_bootstrap_traceback_is_not_logged_while_starting(
    caplog: pytest.LogCaptureFixture,
) -> None:
    ptb = logging.getLogger("telegram.ext")

    def bootstrap_fails() -> None:
        try:
            raise NetworkError("refused")
        except NetworkError:
            ptb.exception("Network Retry Loop (Bootstrap Initialize Application): Aborting.")
            ptb.warning("something else")
            raise

    with pytest.raises(StartupError), startup_errors(TOKEN, "http://x/bot"):
        bootstrap_fails()
    assert [r.getMessage() for r in caplog.records] == ["something else"]
    # Only while starting: afterwards PTB's records pass again.
    ptb.error("Network Retry Loop (Bootstrap delete Webhook): later")
    assert len(caplog.records) == 2
