"""Logging set-up that can never print the bot token."""

from __future__ import annotations

import logging
import time

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class RedactSecrets(logging.Filter):
    """Replace every secret in a formatted record, tracebacks included.

    The token is part of every Bot API URL, and an HTTP error can carry the URL
    into an exception message; redacting the final text catches all such paths.
    """

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        for secret in self.secrets:
            message = message.replace(secret, "[REDACTED]")
            if record.exc_text:
                record.exc_text = record.exc_text.replace(secret, "[REDACTED]")
        record.msg, record.args = message, None
        return True


def setup_logging(level: str = "INFO", secrets: list[str] | None = None) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RedactSecrets(secrets or []))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    # httpx logs every request URL, and the URL holds the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)


class Throttled:
    """Logs a recurring failure once a minute, not once a second: the first time with
    its traceback, then a count of how often it happened meanwhile."""

    def __init__(self, logger: logging.Logger, every: float = 60.0) -> None:
        self.logger = logger
        self.every = every
        self.last: dict[str, float] = {}
        self.since: dict[str, int] = {}

    def exception(self, key: str, message: str, *args: object) -> None:
        """An error, its traceback the first time."""
        self.emit(logging.ERROR, key, message, args, traceback=True)

    def critical(self, key: str, message: str, *args: object) -> None:
        self.emit(logging.CRITICAL, key, message, args, traceback=False)

    def warning(self, key: str, message: str, *args: object) -> None:
        self.emit(logging.WARNING, key, message, args, traceback=False)

    def emit(
        self, level: int, key: str, message: str, args: tuple[object, ...], traceback: bool
    ) -> None:
        now = time.monotonic()
        last = self.last.get(key)
        if last is not None and now - last < self.every:
            self.since[key] = self.since.get(key, 0) + 1
            return
        repeats = self.since.pop(key, 0)
        suffix = f" ({repeats} more time(s) in the last minute)" if repeats else ""
        self.logger.log(level, message + suffix, *args, exc_info=traceback and last is None)
        self.last[key] = now

    def recovered(self, key: str, message: str) -> None:
        """The failure is over: say so once, and log the next one in full again."""
        if self.last.pop(key, None) is not None:
            self.since.pop(key, None)
            self.logger.info(message)
