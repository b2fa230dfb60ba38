from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from bot.logs import RedactSecrets

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw8"
URL = f"https://api.telegram.org/bot{TOKEN}/getUpdates"
REDACTED_URL = "https://api.telegram.org/bot[REDACTED]/getUpdates"


@pytest.fixture
def stream() -> io.StringIO:
    return io.StringIO()


@pytest.fixture
def logger(stream: io.StringIO) -> Iterator[logging.Logger]:
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    handler.addFilter(RedactSecrets([TOKEN]))
    log = logging.getLogger("tests.redaction")
    log.setLevel(logging.DEBUG)
    log.propagate = False
    log.addHandler(handler)
    yield log
    log.removeHandler(handler)


def test_token_removed_from_message(logger: logging.Logger, stream: io.StringIO) -> None:
    logger.info(f"GET {URL} failed")
    assert stream.getvalue() == f"INFO GET {REDACTED_URL} failed\n"


def test_token_removed_from_args(logger: logging.Logger, stream: io.StringIO) -> None:
    logger.warning("request to %s returned %d", URL, 409)
    output = stream.getvalue()
    assert TOKEN not in output
    assert output == f"WARNING request to {REDACTED_URL} returned 409\n"


def test_token_removed_from_mapping_args(logger: logging.Logger, stream: io.StringIO) -> None:
    logger.info("url=%(url)s", {"url": URL})
    assert TOKEN not in stream.getvalue()
    assert "[REDACTED]" in stream.getvalue()


def test_token_removed_from_traceback(logger: logging.Logger, stream: io.StringIO) -> None:
    try:
        raise ConnectionError(f"cannot reach {URL}")
    except ConnectionError:
        logger.exception("polling failed for %s", TOKEN)
    output = stream.getvalue()
    assert TOKEN not in output
    assert "Traceback (most recent call last)" in output
    assert f"ConnectionError: cannot reach {REDACTED_URL}" in output
    assert output.startswith("ERROR polling failed for [REDACTED]\n")


def test_token_removed_from_chained_traceback(logger: logging.Logger, stream: io.StringIO) -> None:
    try:
        try:
            raise OSError(TOKEN)
        except OSError as error:
            raise RuntimeError("wrapped") from error
    except RuntimeError:
        logger.error("boom", exc_info=True)
    assert TOKEN not in stream.getvalue()
    assert "OSError: [REDACTED]" in stream.getvalue()


def test_message_without_secret_is_unchanged(logger: logging.Logger, stream: io.StringIO) -> None:
    logger.info("%d%% done, %s", 50, "ok")
    assert stream.getvalue() == "INFO 50% done, ok\n"


def test_several_secrets_and_empty_ones_are_ignored(stream: io.StringIO) -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "%s and %s", ("one", "two"), None)
    assert RedactSecrets(["one", "", "two"]).filter(record)
    assert record.getMessage() == "[REDACTED] and [REDACTED]"
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "plain", None, None)
    assert RedactSecrets([""]).filter(record)
    assert record.getMessage() == "plain"
