"""Updates of different chats are handled side by side; those of one chat in order.

A reply waits for its chat's turn in the sending budget (one message a second per
chat); handled one update at a time, that wait would hold up every other chat.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

MAX_CONCURRENT = 64


class PerChatProcessor(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int = MAX_CONCURRENT) -> None:
        super().__init__(max_concurrent_updates)
        self.locks: dict[int | None, asyncio.Lock] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        key = chat.id if chat is not None else None
        lock = self.locks.setdefault(key, asyncio.Lock())
        try:
            # Locks are fair, and updates start in the order they came: one chat's
            # updates are handled in order.
            async with lock:
                await coroutine
        finally:
            if not lock.locked() and self.locks.get(key) is lock:
                del self.locks[key]

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None
