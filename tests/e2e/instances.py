"""Several ``jetbot run --webhook`` processes sharing one PostgreSQL database and one token.

Used by the multi-instance test and benchmarks/instances.py.
"""

from __future__ import annotations

import asyncio
import bisect
import os
import socket
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.store import NewReminder, open_postgres
from tests.e2e.botapi import BotApiServer

TOKEN = "123456:" + "A" * 35
JETBOT = str(Path(sys.executable).with_name("jetbot"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def seed(database_url: str, count: int) -> None:
    """``count`` users, each with one reminder due now."""
    store = await open_postgres(database_url)
    try:
        now = datetime.now(UTC)
        for user in range(1, count + 1):
            await store.touch_user(user, user, now)
        reminders = [NewReminder(u, u, f"Reminder {u}", now, "UTC") for u in range(1, count + 1)]
        await store.add_reminders(reminders, now)
    finally:
        await store.close()


async def start(server: BotApiServer, database_url: str, log: Path) -> asyncio.subprocess.Process:
    """One webhook instance; returns once it serves."""
    port = free_port()
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": server.base_url,
        "DATABASE_URL": database_url,
        "JETBOT_WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram",
        "JETBOT_WEBHOOK_SECRET": "instances-test-secret",
        "PORT": str(port),
    }
    with log.open("ab") as output:
        process = await asyncio.create_subprocess_exec(
            JETBOT, "run", "--webhook", env=env, stdout=output, stderr=asyncio.subprocess.STDOUT
        )
    calls = len(server.calls("setWebhook"))
    for _ in range(300):
        if len(server.calls("setWebhook")) > calls:
            return process
        await asyncio.sleep(0.1)
    raise AssertionError(f"instance on port {port} did not start; see {log}")


def busiest_second(times: list[float]) -> int:
    """The most deliveries in any window of one second (starting at any delivery)."""
    ordered = sorted(times)
    return max(bisect.bisect_left(ordered, t + 1.0) - i for i, t in enumerate(ordered))


def rate(times: list[float]) -> float:
    ordered = sorted(times)
    return (len(ordered) - 1) / (ordered[-1] - ordered[0]) if len(ordered) > 1 else 0.0
