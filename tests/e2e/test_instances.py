"""Three webhook instances on one PostgreSQL database and one token.

1,000 reminders fall due together: together the instances deliver each once,
never more than 30 in any second, and finish when the busiest of them is killed
halfway (its claims are taken back by the others).
"""

from __future__ import annotations

import asyncio
import gc
import signal
from collections import Counter
from pathlib import Path

from bot.replies import plain
from tests.conftest import postgres_database
from tests.e2e.botapi import BotApiServer
from tests.e2e.instances import TOKEN, busiest_second, seed, start

COUNT = 1000


async def test_three_instances_deliver_each_reminder_once_within_the_flood_limit(
    postgres_server: str, tmp_path: Path
) -> None:
    # The test server records arrival times in this process: a full collection of the
    # whole test session's objects would stall its event loop and bunch the arrivals.
    gc.collect()
    gc.freeze()
    try:
        await deliver(postgres_server, tmp_path)
    finally:
        gc.unfreeze()


async def deliver(postgres_server: str, tmp_path: Path) -> None:
    async with BotApiServer(token=TOKEN) as server, postgres_database(postgres_server) as url:
        await seed(url, COUNT)
        log = tmp_path / "instances.log"
        instances = [await start(server, url, log) for _ in range(3)]
        try:
            for _ in range(600):
                if len(server.sent_messages()) >= COUNT // 2:
                    break
                await asyncio.sleep(0.1)
            victim = instances.pop(0)
            victim.send_signal(signal.SIGKILL)
            await victim.wait()
            for _ in range(1200):
                if len({m["chat"]["id"] for m in server.sent_messages()}) >= COUNT:
                    break
                await asyncio.sleep(0.1)
            await asyncio.sleep(2)  # anything sent twice would show up by now
        finally:
            for process in instances:
                process.send_signal(signal.SIGTERM)
            for process in instances:
                await process.wait()
        texts = Counter(plain(m["text"]) for m in server.sent_messages())
        times = server.delivery_times()
    assert {f"⏰ Reminder {u}" for u in range(1, COUNT + 1)} <= set(texts), log.read_text()[-2000:]
    repeated = {text: n for text, n in texts.items() if n > 1}
    # Only a send in flight when its instance was killed may go twice (at-least-once).
    assert sum(n - 1 for n in repeated.values()) <= 3, repeated
    assert busiest_second(times) <= 30
    assert all(process.returncode == 0 for process in instances)
