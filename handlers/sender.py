"""The push sender's way out: a Bot API sendMessage, its errors in the core's terms."""

from __future__ import annotations

from typing import Any

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import ExtBot

from bot.push import Blocked, FloodWait, Rejected, Transient, Uncertain
from bot.replies import Reply
from handlers.limiter import retry_seconds
from handlers.markup import keyboard


class TelegramSender:
    def __init__(self, bot: ExtBot[Any]) -> None:
        self.bot = bot

    async def send(self, chat_id: int, reply: Reply) -> None:
        try:
            await self.bot.send_message(
                chat_id,
                reply.text,
                reply_markup=keyboard(reply),
                rate_limit_args={"budgeted": True},
            )
        except Forbidden as error:
            raise Blocked(error.message) from error
        except RetryAfter as error:
            raise FloodWait(retry_seconds(error)) from error
        except TimedOut as error:
            raise Uncertain(error.message) from error
        except BadRequest as error:  # before NetworkError, which it subclasses
            raise Rejected(error.message) from error
        except NetworkError as error:
            raise Transient(error.message) from error
        except TelegramError as error:
            raise Rejected(error.message) from error
