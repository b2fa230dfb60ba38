"""Running beside other processes on one database: one long-poller per token."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import socket
import uuid
from datetime import timedelta

from bot.clock import Clock
from bot.store import Store
from bot.tasks import cancel

logger = logging.getLogger(__name__)

POLLING = "polling"
LEASE = timedelta(seconds=20)
RENEW_EVERY = 5.0  # seconds; a lease outlives three missed renewals
HOLDER = re.compile(r"^(?P<host>\S+) pid (?P<pid>[0-9]+) ")


def instance_name() -> str:
    """Which process this is, in words an operator can act on."""
    return f"{socket.gethostname()} pid {os.getpid()} ({uuid.uuid4().hex[:6]})"


def died_here(holder: str) -> bool:
    """Whether ``holder`` was a process on this machine that no longer runs.

    A bot killed and restarted on the same machine takes its lease back at once
    instead of waiting for it to expire.
    """
    match = HOLDER.match(holder)
    if match is None or match["host"] != socket.gethostname():
        return False
    try:
        os.kill(int(match["pid"]), 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # it exists but is not ours to signal: alive
    return False


class AlreadyPolling(Exception):
    """Another process long-polls this token; Telegram allows one."""

    def __init__(self, holder: str) -> None:
        super().__init__(
            f"another instance ({holder}) is already polling this bot's token; stop it first, "
            f"or run several instances in webhook mode (jetbot run --webhook). "
            f"If it was killed on another machine, its claim expires "
            f"{int(LEASE.total_seconds())} s after its last sign of life."
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
        if holder is not None and died_here(holder):
            logger.warning("Taking over the polling lease of %s, which no longer runs", holder)
            await self.store.release_lease(POLLING, holder)
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
            await cancel(self.task)
            self.task = None
            await self.store.release_lease(POLLING, self.name)
