"""``jetbot db …``, ``jetbot health`` and ``jetbot stats``: the commands that open the
database this deployment is configured with (DATABASE_URL, else JETBOT_DATABASE).

Each command imports the database code when it runs: ``jetbot ask`` and the other
commands that never open a database start without loading it.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from bot.config import Settings

if TYPE_CHECKING:
    from bot import health
    from bot.store import SqlStore, Store

EXIT_OK, EXIT_PROBLEMS = 0, 1
T = TypeVar("T")


class CommandError(Exception):
    """Ends the command with a one-line message and an exit code."""

    def __init__(self, message: str, code: int = EXIT_PROBLEMS) -> None:
        super().__init__(message)
        self.code = code


def postgres_url(settings: Settings) -> str | None:
    return settings.database_url.reveal() if settings.database_url else None


async def with_configured_store(settings: Settings, work: Callable[[Store], Awaitable[T]]) -> T:
    """Run ``work`` on this deployment's database, which must already exist."""
    from bot.store import StoreError, open_store

    url = postgres_url(settings)
    if url is None and not settings.database.exists():
        raise CommandError(f"no database at {settings.database} (JETBOT_DATABASE)")
    try:
        store = await open_store(settings.database, url)
    except StoreError as error:
        raise CommandError(f"cannot open the database: {error}") from error
    try:
        return await work(store)
    finally:
        await store.close()


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    from bot.replies.staff import format_stats

    async def work(store: Store) -> str:
        return format_stats(await store.stats(datetime.now(UTC)))

    print(asyncio.run(with_configured_store(settings, work)))
    return EXIT_OK


def cmd_health(args: argparse.Namespace, settings: Settings) -> int:
    """Exit 0 when healthy (for cron and container checks); else say why, exit 1."""
    from bot import health
    from bot.knowledge import KnowledgeBaseError, load_knowledge
    from bot.store import StoreError, open_store

    try:
        # Validated, not indexed: a container asks this every 30 s.
        topics = len(load_knowledge(settings.knowledge).topics)
    except KnowledgeBaseError:
        topics = 0

    async def probe() -> health.Health:
        url = postgres_url(settings)
        try:
            if url is None and not settings.database.exists():
                raise StoreError("missing")
            store = await open_store(settings.database, url)
        except StoreError:
            return await health.check(None, topics, datetime.now(UTC))
        try:
            return await health.check(store, topics, datetime.now(UTC))
        finally:
            await store.close()

    verdict = asyncio.run(probe())
    print(verdict.describe())
    return EXIT_OK if verdict.ok else EXIT_PROBLEMS


def cmd_db_backup(args: argparse.Namespace, settings: Settings) -> int:
    from bot.store import StoreError
    from bot.store.backup import backup_sqlite, dump_postgres

    target = Path(args.file)
    url = postgres_url(settings)
    replaced = target.exists()
    try:
        if url is None:
            backup_sqlite(settings.database, target)
        else:
            dump_postgres(url, target)
    except StoreError as error:
        raise CommandError(str(error)) from error
    print(f"backed up to {target}" + (" (replacing the earlier file there)" if replaced else ""))
    return EXIT_OK


def cmd_db_restore(args: argparse.Namespace, settings: Settings) -> int:
    from bot.store import StoreError
    from bot.store.backup import restore_postgres, restore_sqlite

    backup = Path(args.file)
    url = postgres_url(settings)
    try:
        if url is None:
            restore_sqlite(backup, settings.database)
        else:
            restore_postgres(backup, url)
    except StoreError as error:
        raise CommandError(str(error)) from error
    where = settings.database if url is None else "the PostgreSQL database"
    print(f"restored {backup} into {where}; start the bot again")
    return EXIT_OK


def cmd_db_migrate(args: argparse.Namespace, settings: Settings) -> int:
    from bot.store import StoreError, open_postgres, open_sqlite
    from bot.store.backup import copy_database

    source_path = Path(args.file)
    url = postgres_url(settings)
    if url is None:
        raise CommandError("set DATABASE_URL to the PostgreSQL database to copy into")
    if not source_path.is_file():
        raise CommandError(f"no SQLite database at {source_path}")

    async def copy() -> dict[str, int]:
        source: SqlStore = await open_sqlite(source_path)
        try:
            target = await open_postgres(url)
            try:
                return await copy_database(source, target)
            finally:
                await target.close()
        finally:
            await source.close()

    try:
        copied = asyncio.run(copy())
    except StoreError as error:
        raise CommandError(str(error)) from error
    print("copied " + ", ".join(f"{n} {table}" for table, n in copied.items()))
    return EXIT_OK


def database_commands(commands: Any) -> None:
    """Register the database commands on the ``jetbot`` parser's sub-commands."""

    def command(func: Callable[[argparse.Namespace, Settings], int]) -> Callable[[Any], int]:
        return lambda given: func(given.args, given.settings)

    commands.add_parser("stats", help="usage figures from the database").set_defaults(
        func=command(cmd_stats)
    )
    commands.add_parser(
        "health", help="exit 0 if the database, knowledge base and sender are healthy"
    ).set_defaults(func=command(cmd_health))
    db = commands.add_parser("db", help="database tools")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="COMMAND")
    backup = db_commands.add_parser("backup", help="write a consistent backup to FILE")
    backup.add_argument("file")
    backup.set_defaults(func=command(cmd_db_backup))
    restore = db_commands.add_parser(
        "restore", help="replace the database with FILE (stop the bot first)"
    )
    restore.add_argument("file")
    restore.set_defaults(func=command(cmd_db_restore))
    migrate = db_commands.add_parser(
        "migrate-from-sqlite", help="copy a SQLite database FILE into DATABASE_URL (empty)"
    )
    migrate.add_argument("file")
    migrate.set_defaults(func=command(cmd_db_migrate))
