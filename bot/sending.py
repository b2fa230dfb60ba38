"""The one sending budget every message passes: replies, reminders, broadcasts, notices.

- at most ``rate`` sends in any second (Telegram allows about 30; 27 leaves room
  for network jitter), evenly spaced on a grid of 1/rate seconds, so a burst of
  waiting messages goes out at the paced rate rather than all at once;
- at most one send a second to any one chat;
- a flood wait (429) moves the grid past the wait for everyone: after it, sends
  resume at the paced rate with no catch-up burst;
- replies to a person go first: a push takes a slot only when none is queued
  ahead of now, so a reply never waits behind a broadcast.

``LocalBudget`` keeps the grid in memory, for one process. ``SharedBudget`` keeps
it in PostgreSQL, so that several instances together keep the same limits.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable
from enum import IntEnum
from typing import Protocol

from bot.store import Store

logger = logging.getLogger(__name__)

RATE = 27
# Several processes booking one grid add their timing jitter to each other's:
# a little more margin keeps their sum under Telegram's limit too.
SHARED_RATE = 26
PER_CHAT = 1.0  # seconds between two sends to one chat
# How far ahead of now a push may book a slot: further means replies are queued.
PUSH_LEAD = 0.05


class Priority(IntEnum):
    REPLY = 0  # a person is waiting for it
    PUSH = 1  # nobody is: a reminder, an announcement, a notice


class Budget(Protocol):
    async def acquire(self, chat_id: int | None, priority: Priority) -> None:
        """Wait until a send to ``chat_id`` may go, and count it."""
        ...

    async def pause(self, seconds: float) -> None:
        """Telegram said 429: no send goes for ``seconds``."""
        ...


class LocalBudget:
    """The grid in this process's memory."""

    def __init__(
        self,
        rate: int = RATE,
        per_chat: float = PER_CHAT,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.spacing = 1.0 / rate
        self.per_chat = per_chat
        self.clock = clock
        self.next_at = 0.0  # the next free slot on the grid
        self.paused_until = 0.0
        self.chat_next: dict[int, float] = {}
        # When sends really went: a busy event loop can wake several late sends at
        # once, and the grid alone would then let them go bunched together.
        self.window = rate
        self.started: deque[float] = deque()

    async def acquire(self, chat_id: int | None, priority: Priority) -> None:
        if chat_id is not None:
            await self.sleep_until(self.book_chat(chat_id))
        while True:
            # A push waits for the queue of replies ahead of it to drain: a matter of
            # time, re-checked every slot, as replies may keep arriving.
            while (slot := self.book(priority)) is None:  # noqa: ASYNC110
                await asyncio.sleep(self.spacing)
            await self.sleep_until(slot)
            if self.paused_until <= slot:
                break
            # A flood wait began while this send waited and covers its slot: book
            # again, after the wait, so that waiting sends resume one slot apart.
        await self.within_window()
        if chat_id is not None:
            # The chat's next turn counts from when this send really goes.
            self.chat_next[chat_id] = max(self.chat_next.get(chat_id, 0.0), slot + self.per_chat)

    def book_chat(self, chat_id: int) -> float:
        now = self.clock()
        slot = max(self.chat_next.get(chat_id, now), now)
        self.chat_next[chat_id] = slot + self.per_chat
        if len(self.chat_next) > 10_000:
            self.chat_next = {c: t for c, t in self.chat_next.items() if t > now}
        return slot

    def book(self, priority: Priority) -> float | None:
        """The next slot on the grid, or None when a push should let replies go first."""
        now = self.clock()
        if priority is Priority.PUSH and self.next_at > now + PUSH_LEAD:
            return None
        slot = max(self.next_at, now)
        self.next_at = slot + self.spacing
        return slot

    async def within_window(self) -> None:
        """Never more than ``window`` real sends in any second, whatever the lateness."""
        while True:
            now = self.clock()
            while self.started and self.started[0] <= now - 1.0:
                self.started.popleft()
            if len(self.started) < self.window:
                self.started.append(now)
                return
            await asyncio.sleep(self.started[0] + 1.0 - now)

    async def pause(self, seconds: float) -> None:
        self.paused_until = max(self.paused_until, self.clock() + seconds)
        self.next_at = max(self.next_at, self.paused_until)

    async def sleep_until(self, moment: float) -> None:
        if (wait := moment - self.clock()) > 0:
            await asyncio.sleep(wait)


class SharedBudget:
    """The grid in the shared database, read with the database's own clock.

    Should the database not answer, sending goes on with a local grid rather than
    stopping: a reply matters more than the exact count for a minute.
    """

    def __init__(self, store: Store, rate: int = SHARED_RATE, per_chat: float = PER_CHAT) -> None:
        self.store = store
        self.spacing = 1.0 / rate
        self.per_chat = per_chat
        self.fallback = LocalBudget(rate, per_chat)
        self.failing_since: float | None = None
        # Pushes waiting for room take turns at asking: one poll of the shared row at a
        # time from this process, not one per waiting push every slot.
        self.push_turn = asyncio.Lock()

    async def acquire(self, chat_id: int | None, priority: Priority) -> None:
        try:
            if chat_id is not None:
                await asyncio.sleep(await self.store.book_chat_slot(chat_id, self.per_chat))
            if priority is Priority.PUSH:
                async with self.push_turn:
                    wait = await self.book_push()
            else:
                wait = await self.store.book_send_slot(self.spacing, False, PUSH_LEAD) or 0.0
        except Exception:
            self.note_failure()
            await self.fallback.acquire(chat_id, priority)
            return
        self.failing_since = None
        await asyncio.sleep(wait)
        await self.fallback.within_window()

    async def book_push(self) -> float:
        book = self.store.book_send_slot
        # Replies are booked by other processes too: nothing to wait on but time.
        while (wait := await book(self.spacing, True, PUSH_LEAD)) is None:  # noqa: ASYNC110
            await asyncio.sleep(self.spacing)
        return wait

    async def pause(self, seconds: float) -> None:
        await self.fallback.pause(seconds)
        try:
            await self.store.pause_sending(seconds)
        except Exception:
            self.note_failure()

    def note_failure(self) -> None:
        now = time.monotonic()
        if self.failing_since is None:
            self.failing_since = now
            logger.warning("The shared sending budget is unreachable; pacing locally meanwhile")
