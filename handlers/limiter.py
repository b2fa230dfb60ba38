"""Every Bot API request that puts a message in a chat takes its turn from the core's
sending budget; python-telegram-bot's own limiter (which lets bursts through) is not used.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any, TypedDict

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.sending import Budget, Priority

logger = logging.getLogger(__name__)

# A reply that meets a 429 waits the pause out and goes again; more than a few
# retries means Telegram is struggling anyway.
REPLY_RETRIES = 3
# Requests that make a message appear (or change) in a chat: these are what
# Telegram's flood limits count. Answers to button presses and the like are not.
MESSAGE_PREFIXES = ("send", "edit", "copy", "forward")


class SendArgs(TypedDict, total=False):
    """What a caller may tell the limiter through ``rate_limit_args``."""

    # The caller took its turn already and answers a 429 itself (the push sender
    # pauses the budget and reschedules the row).
    budgeted: bool


def retry_seconds(error: RetryAfter) -> float:
    wait = error.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


class BudgetLimiter(BaseRateLimiter[SendArgs]):
    def __init__(self, budget: Callable[[], Budget | None]) -> None:
        self.budget = budget  # None until the services have started

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: SendArgs | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        options = rate_limit_args or SendArgs()
        budget = self.budget()
        budgeted = options.get("budgeted", False)
        counted = endpoint.startswith(MESSAGE_PREFIXES) and not budgeted
        chat = data.get("chat_id")
        chat_id = chat if isinstance(chat, int) else None
        for attempt in range(REPLY_RETRIES + 1):
            if budget is not None and counted:
                await budget.acquire(chat_id, Priority.REPLY)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                if budgeted:
                    raise
                if budget is not None:
                    await budget.pause(retry_seconds(error))
                if attempt == REPLY_RETRIES or budget is None:
                    raise
                logger.warning(
                    "Flood wait of %g s on %s; retrying after it", retry_seconds(error), endpoint
                )
        raise AssertionError("unreachable")
