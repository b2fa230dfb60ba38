"""Running beside other processes on one database: one long-poller per token."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from datetime import timedelta

from bot.clock import Clock
from bot.store import Store

logger = logging.getLogger(__name__)

POLLING = "polling"
LEASE = timedelta(seconds=30)
RENEW_EVERY = 10.0  # seconds; a lease outlives two missed renewals


def instance_name() -> str:
    """Which process this is, in words an operator can act on."""
    return f"{socket.gethostname()} pid {os.getpid()} ({uuid.uuid4().hex[:6]})"


class AlreadyPolling(Exception):
    """Another process long-polls this token; Telegram allows one."""

    def __init__(self, holder: str) -> None:
        super().__init__(
            f"another instance ({holder}) is already polling this bot's token; stop it first, "
            f"or run several instances in webhook mode (jetbot run --webhook). "
            f"Its claim expires {int(LEASE.total_seconds())} s after it stops."
        )
        self.holder = holder


class PollingLease:
    """Held for as long as this process polls; renewed in the background."""

    def __init__(self, store: Store, clock: Clock, name: str | None = None) -> None:
        self.store = store
        self.clock = clock
        self.name = name or instance_name()
        self.task: asyncio.Task[None] | None = None

    async def acquire(self) -> None:
        holder = await self.store.acquire_lease(POLLING, self.name, self.clock(), LEASE)
        if holder is not None:
            raise AlreadyPolling(holder)
        self.task = asyncio.create_task(self.renew(), name="polling-lease")

    async def renew(self) -> None:
        while True:
            await asyncio.sleep(RENEW_EVERY)
            try:
                holder = await self.store.acquire_lease(POLLING, self.name, self.clock(), LEASE)
            except Exception:
                logger.exception("Could not renew the polling lease; retrying")
                continue
            if holder is not None:
                logger.error("The polling lease passed to %s; this instance keeps going", holder)

    async def release(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
            self.task = None
            await self.store.release_lease(POLLING, self.name)
