"""Push 3,000 reminders due at the same moment to 3,000 chats, and time the due query.

    python benchmarks/push.py [--reminders N] [--rows N]

Runs the real Pusher and python-telegram-bot's Bot over HTTP against the test Bot
API server on 127.0.0.1, and prints the sustained send rate and the busiest
one-second window (Telegram allows about 30 messages a second), as the server
saw them arrive. Then fills a table with --rows reminders (almost all sent or in
the future) and prints how long finding the due ones takes.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.answers import Answers
from bot.config import BUNDLED_KNOWLEDGE, Secret, Settings
from bot.push import BATCH, Pusher
from bot.store import NewReminder, open_sqlite
from bot.store.db import to_epoch
from handlers.app import build_application
from handlers.sender import TelegramSender
from tests.e2e.botapi import BotApiServer

TOKEN = "123456:" + "B" * 35


async def push_rate(count: int) -> None:
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    async with BotApiServer() as server:
        with tempfile.TemporaryDirectory() as folder:
            settings = Settings(
                knowledge=BUNDLED_KNOWLEDGE,
                database=Path(folder) / "bench.sqlite3",
                api_base_url=server.base_url,
                token=Secret(TOKEN),
            )
            application = build_application(settings, Answers.load(BUNDLED_KNOWLEDGE))
            store = await open_sqlite(settings.database)
            now = datetime.now(UTC)
            for user in range(1, count + 1):
                await store.touch_user(user, user, now)
            await store.add_reminders(
                [NewReminder(u, u, f"Reminder {u}", now, "UTC") for u in range(1, count + 1)], now
            )
            async with application:
                pusher = Pusher(store, TelegramSender(application.bot))
                started = time.monotonic()
                while len(server.sent_messages()) < count:
                    if await pusher.run_once() < BATCH:
                        await asyncio.sleep(0.05)
                elapsed = time.monotonic() - started
            await store.close()
            times = sorted(server.delivery_times())
    first = times[0]
    per_second = [0] * (int(times[-1] - first) + 1)
    for moment in times:
        per_second[int(moment - first)] += 1
    # The busiest window of one second starting at any delivery, not just on whole seconds.
    sliding = max(bisect.bisect_left(times, t + 1.0) - i for i, t in enumerate(times))
    sustained = (len(times) - 1) / (times[-1] - first)
    print(f"push: {count} reminders to {count} chats in {elapsed:.1f} s")
    print(f"  sustained rate: {sustained:.2f} messages/s (limit 30)")
    print(f"  busiest calendar second: {max(per_second)}; busiest sliding 1-s window: {sliding}")


async def due_query(rows: int, repeat: int = 200) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = await open_sqlite(Path(folder) / "due.sqlite3")
        now = datetime.now(UTC)
        epoch = to_epoch(now)
        await store.touch_user(1, 1, now)
        started = time.monotonic()
        await store.db.execute("BEGIN")
        # 100 due now (in 100 chats), a tenth pending in the future, the rest long sent.
        await store.db.executemany(
            "INSERT INTO reminders (user_id, chat_id, text, due_at, timezone, status, run_at, "
            "created_at) VALUES (1, ?, 'x', ?, 'UTC', ?, ?, ?)",
            (row(i, epoch) for i in range(rows)),
        )
        await store.db.execute("COMMIT")
        filled = time.monotonic() - started
        timings = []
        for _ in range(repeat):
            start = time.perf_counter()
            due = await store.due_ids(now, 100)
            timings.append((time.perf_counter() - start) * 1000)
        await store.close()
    timings.sort()
    print(f"due query: {rows:,} rows (filled in {filled:.1f} s), {len(due)} due")
    print(
        f"  find due reminders: p50 {statistics.median(timings):.3f} ms, "
        f"p99 {timings[int(len(timings) * 0.99) - 1]:.3f} ms"
    )


def row(i: int, epoch: int) -> tuple[int, int, str, int, int]:
    if i < 100:
        run_at, status = epoch - 5, "pending"
    elif i % 10 == 0:
        run_at, status = epoch + 1 + i, "pending"
    else:
        run_at, status = epoch - i, "sent"
    return i % 5000, run_at, status, run_at, epoch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reminders", type=int, default=3000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    asyncio.run(push_rate(args.reminders))
    asyncio.run(due_query(args.rows))


if __name__ == "__main__":
    main()
