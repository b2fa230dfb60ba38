"""Backups and copies of the whole database: SQLite's online backup, PostgreSQL's
pg_dump and pg_restore, and a copy from a SQLite file into PostgreSQL.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

from bot.store.db import StoreError
from bot.store.sql import SqlStore

# The state of running processes, not data: each instance rebuilds its own.
RUNTIME_TABLES = frozenset({"schema_version", "workers", "leases", "send_budget", "chat_budget"})
BATCH = 1000


@contextlib.contextmanager
def written_in_place(target: Path) -> Iterator[Path]:
    """A scratch file beside ``target`` that replaces it only once complete.

    A backup that fails halfway (full disk, killed) must not cost the previous one.
    """
    try:
        descriptor, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as error:
        raise StoreError(f"cannot write {target}: {error.strerror}") from error
    # mkstemp's owner-only mode stays on the backup: it holds every applicant's data.
    os.close(descriptor)
    scratch = Path(name)
    try:
        yield scratch
        os.replace(scratch, target)
    finally:
        scratch.unlink(missing_ok=True)


def backup_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a live SQLite database (the online backup API), in one file."""
    if not source.is_file():
        raise StoreError(f"no database at {source}")
    if target.exists() and target.resolve() == source.resolve():
        raise StoreError(f"{target} is the live database itself: name another file")
    try:
        # The connections close (in reverse order) before the scratch file replaces target.
        with (
            written_in_place(target) as scratch,
            contextlib.closing(sqlite3.connect(source)) as live,
            contextlib.closing(sqlite3.connect(scratch)) as copy,
        ):
            live.backup(copy)
            # Out of WAL mode: a backup is one self-contained file, and reading it
            # later leaves no -wal or -shm files beside it.
            copy.execute("PRAGMA journal_mode = DELETE")
    except (sqlite3.Error, OSError) as error:
        raise StoreError(f"backup of {source} to {target} failed: {error}") from error


def restore_sqlite(backup: Path, target: Path) -> None:
    """Replace the database at ``target`` with a checked backup (the bot must be stopped)."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{backup}?mode=ro", uri=True)) as source:
            [verdict] = source.execute("PRAGMA integrity_check").fetchone()
            if verdict != "ok":
                raise StoreError(f"{backup} is damaged: {verdict}")
            if not source.execute(
                "SELECT 1 FROM sqlite_master WHERE name = 'schema_version'"
            ).fetchone():
                raise StoreError(f"{backup} is not a database of this bot")
            with contextlib.closing(sqlite3.connect(target)) as live:
                source.backup(live)
    except sqlite3.DatabaseError as error:
        raise StoreError(f"{backup} cannot be restored: {error}") from error


def pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise StoreError(
            f"{name} not found: install PostgreSQL's client tools (on Debian and Ubuntu: "
            "apt install postgresql-client), of your server's major version or newer"
        )
    return found


@contextlib.contextmanager
def password_file(url: str) -> Iterator[tuple[str, dict[str, str]]]:
    """The URL without its password, and an environment whose PGPASSFILE holds it.

    A password on a command line is visible to every user of the machine.
    """
    parts = urlsplit(url)
    env = dict(os.environ)
    if parts.password is None:
        yield url, env
        return
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    user = parts.username or ""
    bare = urlunsplit((parts.scheme, f"{user}@{host}{port}", parts.path, parts.query, ""))

    def escape(value: str) -> str:
        return value.replace("\\", "\\\\").replace(":", "\\:")

    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "pgpass"
        path.write_text(f"*:*:*:{escape(unquote(user))}:{escape(unquote(parts.password))}\n")
        path.chmod(0o600)
        env["PGPASSFILE"] = str(path)
        yield bare, env


def run_tool(command: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        reason = (result.stderr or result.stdout).strip().splitlines()
        raise StoreError(f"{what} failed: {reason[-1] if reason else result.returncode}")


def dump_postgres(url: str, target: Path) -> None:
    """pg_dump in its custom format, without owners or grants (restorable anywhere)."""
    with password_file(url) as (bare, env), written_in_place(target) as scratch:
        run_tool(
            [pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
             "--no-password", "--file", str(scratch), "--dbname", bare],
            env,
            "pg_dump",
        )  # fmt: skip


def restore_postgres(backup: Path, url: str) -> None:
    """pg_restore into the database, replacing what it holds, all or nothing."""
    if not backup.is_file():
        raise StoreError(f"no backup at {backup}")
    with password_file(url) as (bare, env):
        run_tool(
            [pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
             "--no-password", "--exit-on-error", "--single-transaction", "--dbname", bare,
             str(backup)],
            env,
            "pg_restore",
        )  # fmt: skip


async def copy_database(source: SqlStore, target: SqlStore) -> dict[str, int]:
    """Copy every row of ``source`` into an empty ``target``, in one transaction.

    Both are migrated to the same schema first by opening them. Ids are kept, and
    the target's id sequences continue after them.
    """
    for table in ("users", "reminders"):
        if await target.scalar(f"SELECT count(*) FROM {table}"):
            raise StoreError(f"the target database already has {table}; copy into an empty one")
    tables, numbered = await data_tables(source)
    copied: dict[str, int] = {}
    async with target.db.transaction() as db:
        for table in tables:
            rows = await source.fetch(f"SELECT * FROM {table}")
            copied[table] = len(rows)
            if not rows:
                continue
            columns = list(rows[0].keys())
            insert = (
                f"INSERT INTO {table} ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' * len(columns))})"
            )
            for start in range(0, len(rows), BATCH):
                await db.executemany(insert, [tuple(row) for row in rows[start : start + BATCH]])
        for table in numbered:
            if target.db.dialect.restart_ids is not None:
                await db.fetch_one(target.db.dialect.restart_ids.format(table=table))
    return copied


async def data_tables(source: SqlStore) -> tuple[list[str], list[str]]:
    """The SQLite source's data tables, parents before children (so every foreign key
    finds its row), and those numbering their rows by ``id``.

    Read from the schema itself: a table added by a later migration is copied too.
    """
    rows = await source.fetch(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' "
        "ORDER BY rowid"
    )
    parents: dict[str, set[str]] = {}
    numbered: list[str] = []
    for name in (str(row["name"]) for row in rows):
        if name in RUNTIME_TABLES:
            continue
        keys = await source.fetch(f"PRAGMA foreign_key_list({name})")
        parents[name] = {str(key["table"]) for key in keys}
        columns = await source.fetch(f"PRAGMA table_info({name})")
        if any(column["name"] == "id" and column["pk"] for column in columns):
            numbered.append(name)
    # In the order the migrations created them, each after the tables it refers to.
    order: list[str] = []
    while len(order) < len(parents):
        done = set(order)
        order.append(next(t for t in parents if t not in done and parents[t] - {t} <= done))
    return order, numbered
