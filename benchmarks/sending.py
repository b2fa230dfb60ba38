"""The busiest second of all sends, under the loads that broke the old limiter.

    python benchmarks/sending.py [--users N] [--broadcast N] [--flood-batch N]

Runs ``jetbot run`` as its own process, long-polling the test Bot API server on
127.0.0.1 (in this process), and prints what the server received, as it arrived:
1. N users asking a question at once: the busiest one-second window;
2. a broadcast to N users while two questions a second arrive: the busiest
   window, and how long each question waited for its reply (p50, p99);
3. a push batch during which Telegram answers 429 (retry_after 3) four times:
   the busiest window, which must not be a catch-up burst after the waits.
Telegram's limit is about 30 messages a second; every figure should be at most 30.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.store import NewReminder, open_sqlite
from tests.e2e.botapi import BotApiServer, Fault
from tests.e2e.instances import JETBOT, busiest_second

TOKEN = "123456:" + "C" * 35
STAFF = 999_999


@asynccontextmanager
async def bot(server: BotApiServer, database: Path) -> AsyncIterator[None]:
    """``jetbot run`` on ``database``, polling ``server``, until the block ends."""
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": server.base_url,
        "JETBOT_DATABASE": str(database),
        "JETBOT_STAFF_IDS": str(STAFF),
    }
    process = await asyncio.create_subprocess_exec(
        JETBOT,
        "run",
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        await server.wait_for_call("getUpdates", timeout=30)
        yield
    finally:
        process.send_signal(signal.SIGTERM)
        await process.wait()


async def until(condition: Callable[[], bool], timeout: float = 900) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the benchmark did not finish")
        await asyncio.sleep(0.05)


async def seed(
    database: Path, users: int, *, reminders: bool = False, broadcast: bool = False
) -> None:
    store = await open_sqlite(database)
    now = datetime.now(UTC)
    for user in range(1, users + 1):
        await store.touch_user(user, user, now)
    if reminders:
        due = [NewReminder(u, u, f"Reminder {u}", now, "UTC") for u in range(1, users + 1)]
        await store.add_reminders(due, now)
    if broadcast:
        draft = await store.draft_broadcast(STAFF, None, "Good luck!", now)
        await store.confirm_broadcast(draft.id, STAFF, now)
    await store.close()


async def many_ask(users: int, folder: Path) -> None:
    async with BotApiServer(token=TOKEN) as server, bot(server, folder / "ask.sqlite3"):
        for user in range(1, users + 1):
            server.user_message(user, "what does an ALT do?")
        await until(lambda: len(server.sent_messages()) >= users)
    print(f"{users} users asking at once: busiest one-second window "
          f"{busiest_second(server.delivery_times())}")  # fmt: skip


async def broadcast_and_questions(recipients: int, folder: Path) -> None:
    database = folder / "broadcast.sqlite3"
    await seed(database, recipients, broadcast=True)
    latencies: list[float] = []
    async with BotApiServer(token=TOKEN) as server, bot(server, database):
        asker = 10_000_000
        waiting: list[asyncio.Task[None]] = []
        while len([m for m in server.sent_messages() if "Good luck" in m["text"]]) < recipients:
            asker += 1

            async def answered(user: int = asker, at: float = time.monotonic()) -> None:
                await server.wait_for_messages(user, 1, timeout=60)
                latencies.append(time.monotonic() - at)

            server.user_message(asker, "who reviews my application?")
            waiting.append(asyncio.create_task(answered()))
            await asyncio.sleep(0.5)
        await asyncio.gather(*waiting)
    cuts = statistics.quantiles(latencies, n=100)
    print(f"broadcast to {recipients} with 2 questions a second: busiest one-second window "
          f"{busiest_second(server.delivery_times())}; reply latency "
          f"p50 {statistics.median(latencies):.2f} s, p99 {cuts[98]:.2f} s "
          f"({len(latencies)} questions)")  # fmt: skip


async def flood_waits(batch: int, folder: Path) -> None:
    database = folder / "flood.sqlite3"
    await seed(database, batch, reminders=True)
    async with BotApiServer(token=TOKEN) as server:
        server.inject("sendMessage", Fault.retry_after(3), times=1)
        async with bot(server, database):
            await until(lambda: len(server.sent_messages()) >= batch // 4)
            for _ in range(3):
                server.inject("sendMessage", Fault.retry_after(3), times=1)
                await until(lambda: len(server.sent_messages()) >= batch // 2)
            await until(lambda: len(server.sent_messages()) >= batch)
    print(f"push batch of {batch} with four 429s (retry_after 3): busiest one-second window "
          f"{busiest_second(server.delivery_times())}")  # fmt: skip


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--users", type=int, default=500)
    options.add_argument("--broadcast", type=int, default=3000)
    options.add_argument("--flood-batch", type=int, default=600)
    args = options.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        asyncio.run(many_ask(args.users, folder))
        asyncio.run(broadcast_and_questions(args.broadcast, folder))
        asyncio.run(flood_waits(args.flood_batch, folder))


if __name__ == "__main__":
    main()
