"""Writes that may be late: the question log, who was last seen, conversation memory.

Answering never waits on them: they are queued, written in the background, and
dropped with a counter when the database refuses (locked, full, unreachable), so
a sick database slows nothing down and loses only these records.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable

from bot.logs import Throttled
from bot.store import StoreUnavailable
from bot.tasks import cancel

logger = logging.getLogger(__name__)

Job = Callable[[], Awaitable[None]]
CAPACITY = 1000
STOP_GRACE = 5.0  # seconds to write what is queued when the bot stops
TROUBLE_MEMORY = 60.0  # seconds a refused write counts against health


class Recorder:
    def __init__(self, capacity: int = CAPACITY) -> None:
        self.queue: asyncio.Queue[Job] = asyncio.Queue(capacity)
        self.dropped = 0  # records lost: the queue was full, or the database refused
        self.last_trouble: float | None = None
        self.log = Throttled(logger)
        self.task: asyncio.Task[None] | None = None

    def record(self, job: Job) -> None:
        """Queue a write; never waits. When the queue is full the record is dropped."""
        try:
            self.queue.put_nowait(job)
        except asyncio.QueueFull:
            self.trouble("full", "Write queue full; dropping records")

    def start(self) -> None:
        self.task = asyncio.create_task(self.run(), name="recorder")

    async def stop(self, grace: float = STOP_GRACE) -> None:
        """Write what is queued (for up to ``grace`` seconds), then stop."""
        if self.task is None:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.queue.join(), grace)
        await cancel(self.task)
        self.task = None

    async def run(self) -> None:
        while True:
            job = await self.queue.get()
            try:
                await job()
            except StoreUnavailable as error:
                self.trouble("refused", "The database refuses writes (%s)", error)
            except Exception:
                self.dropped += 1
                self.log.exception(
                    "failed", "A background write failed; dropped %d record(s)", self.dropped
                )
            else:
                self.log.recovered("refused", "The database accepts writes again")
            finally:
                self.queue.task_done()

    def trouble(self, key: str, message: str, *args: object) -> None:
        self.dropped += 1
        self.last_trouble = time.monotonic()
        self.log.warning(key, message + "; %d record(s) dropped so far", *args, self.dropped)

    @property
    def problem(self) -> str | None:
        """What health checks should know: recent refused or dropped writes."""
        if self.last_trouble is None or time.monotonic() - self.last_trouble > TROUBLE_MEMORY:
            return None
        return f"the database refused writes in the last minute ({self.dropped} record(s) dropped)"
