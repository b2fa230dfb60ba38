"""SQLite (aiosqlite): schema migrations and every query the bot makes.

SQLite is the source of truth for applicants' state and reminders. Times are
stored as UTC seconds since the epoch; a user's zone is kept as an IANA name.
Writes that belong together run in one ``BEGIN IMMEDIATE`` transaction, under
a lock because the one connection is shared by concurrent handlers.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import aiosqlite


class Status(StrEnum):
    PENDING = "pending"  # waiting for run_at
    SENDING = "sending"  # claimed by a worker, send in flight
    SENT = "sent"
    FAILED = "failed"  # gave up after bounded retries; kept and shown
    PAUSED = "paused"  # the user blocked the bot; resumes when they write again
    BLOCKED = "blocked"  # an announcement or notice the user blocked: not sent later
    CANCELLED = "cancelled"


BEGIN_RETRIES = 30
# Due reminders, oldest first, at most one per chat. Reads only the partial index
# over pending rows, however many sent reminders the table holds.
DUE = (
    "SELECT id FROM (SELECT id, run_at, row_number() OVER "
    "(PARTITION BY chat_id ORDER BY run_at, id) AS turn "
    "FROM reminders WHERE status = 'pending' AND run_at <= ?) "
    "WHERE turn = 1 ORDER BY run_at LIMIT ?"
)
MAX_CLAIM_AGE = 600  # seconds


class Kind(StrEnum):
    REMINDER = "reminder"  # the user's own: /remind, stage defaults, snoozes
    BROADCAST = "broadcast"  # an announcement from staff (or the knowledge base)
    NOTICE = "notice"  # a message to staff: a broadcast report, a failed reload


OPEN_STATUSES = (Status.PENDING, Status.SENDING, Status.PAUSED, Status.FAILED)


def to_epoch(moment: datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: store only timezone-aware times")
    return int(moment.timestamp())


def from_epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


@dataclass(frozen=True, slots=True)
class User:
    user_id: int
    chat_id: int
    timezone: str | None
    stage: str | None
    stage_at: datetime | None
    stage_local: str | None
    active: bool
    created_at: datetime
    last_seen_at: datetime


@dataclass(frozen=True, slots=True)
class Reminder:
    id: int
    user_id: int
    chat_id: int
    text: str
    due_at: datetime
    local_time: str | None
    timezone: str
    stage: str | None
    status: Status
    run_at: datetime
    attempts: int
    sent_at: datetime | None
    last_error: str | None
    kind: Kind = Kind.REMINDER
    broadcast_id: int | None = None


@dataclass(frozen=True, slots=True)
class NewReminder:
    user_id: int
    chat_id: int
    text: str
    due_at: datetime
    timezone: str
    local_time: str | None = None  # "YYYY-MM-DD HH:MM" in the user's zone, for wall-clock ones
    stage: str | None = None
    kind: Kind = Kind.REMINDER
    broadcast_id: int | None = None


# -- migrations ---------------------------------------------------------------

Migration = Callable[[aiosqlite.Connection], Awaitable[None]]
MIGRATIONS: list[tuple[int, str, Migration]] = []


def migration(version: int, name: str) -> Callable[[Migration], Migration]:
    """Register a schema change; they run once each, in version order, never edited later."""

    def register(function: Migration) -> Migration:
        MIGRATIONS.append((version, name, function))
        MIGRATIONS.sort(key=lambda item: item[0])
        return function

    return register


async def execute_script(db: aiosqlite.Connection, script: str) -> None:
    """Run several statements inside the caller's transaction.

    ``executescript`` would commit first, breaking the migration's atomicity.
    """
    lines = [line for line in script.splitlines() if not line.strip().startswith("--")]
    for statement in "\n".join(lines).split(";"):
        if statement.strip():
            await db.execute(statement)


@migration(1, "users and reminders")
async def _users_and_reminders(db: aiosqlite.Connection) -> None:
    await execute_script(
        db,
        """
        CREATE TABLE users (
            user_id      INTEGER PRIMARY KEY,
            chat_id      INTEGER NOT NULL,
            timezone     TEXT,
            stage        TEXT,
            stage_at     INTEGER,
            stage_local  TEXT,
            active       INTEGER NOT NULL DEFAULT 1,
            created_at   INTEGER NOT NULL,
            last_seen_at INTEGER NOT NULL
        );
        CREATE TABLE reminders (
            id         INTEGER PRIMARY KEY,
            user_id    INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
            chat_id    INTEGER NOT NULL,
            text       TEXT NOT NULL,
            due_at     INTEGER NOT NULL,
            local_time TEXT,
            timezone   TEXT NOT NULL,
            stage      TEXT,
            status     TEXT NOT NULL DEFAULT 'pending',
            run_at     INTEGER NOT NULL,
            attempts   INTEGER NOT NULL DEFAULT 0,
            claimed_by TEXT,
            claimed_at INTEGER,
            sent_at    INTEGER,
            last_error TEXT,
            created_at INTEGER NOT NULL
        );
        -- "What is due now" reads only this small partial index, however many
        -- sent reminders the table holds.
        CREATE INDEX reminders_to_send ON reminders(run_at) WHERE status = 'pending';
        CREATE INDEX reminders_in_flight ON reminders(claimed_by) WHERE status = 'sending';
        CREATE INDEX reminders_by_user ON reminders(user_id, status);
        CREATE TABLE workers (
            id           TEXT PRIMARY KEY,
            heartbeat_at INTEGER NOT NULL
        );
        """,
    )


@migration(2, "broadcasts, questions, feedback, audit")
async def _staff_tools(db: aiosqlite.Connection) -> None:
    await execute_script(
        db,
        """
        ALTER TABLE reminders ADD COLUMN kind TEXT NOT NULL DEFAULT 'reminder';
        ALTER TABLE reminders ADD COLUMN broadcast_id INTEGER;
        CREATE INDEX reminders_by_broadcast ON reminders(broadcast_id)
            WHERE broadcast_id IS NOT NULL;
        CREATE TABLE broadcasts (
            id           INTEGER PRIMARY KEY,
            staff_id     INTEGER NOT NULL,
            stage        TEXT,
            text         TEXT NOT NULL,
            status       TEXT NOT NULL DEFAULT 'draft',
            recipients   INTEGER,
            announcement TEXT UNIQUE,
            created_at   INTEGER NOT NULL,
            confirmed_at INTEGER,
            finished_at  INTEGER
        );
        CREATE TABLE questions (
            id       INTEGER PRIMARY KEY,
            asked_at INTEGER NOT NULL,
            outcome  TEXT NOT NULL,
            topic    TEXT,
            score    REAL NOT NULL,
            text     TEXT
        );
        CREATE INDEX questions_by_time ON questions(asked_at);
        CREATE TABLE feedback (
            id      INTEGER PRIMARY KEY,
            topic   TEXT NOT NULL,
            helpful INTEGER NOT NULL,
            at      INTEGER NOT NULL
        );
        CREATE TABLE audit (
            id       INTEGER PRIMARY KEY,
            at       INTEGER NOT NULL,
            staff_id INTEGER NOT NULL,
            action   TEXT NOT NULL,
            detail   TEXT NOT NULL
        );
        """,
    )


# -- the database ---------------------------------------------------------------


class Storage:
    def __init__(self, db: aiosqlite.Connection) -> None:
        self.db = db
        self.lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path | str) -> Storage:
        """Open (creating if needed) and upgrade the database in place."""
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        db = await aiosqlite.connect(str(path), isolation_level=None)
        db.row_factory = aiosqlite.Row
        for pragma in (
            "journal_mode = WAL",
            "synchronous = NORMAL",
            "foreign_keys = ON",
            "busy_timeout = 5000",
        ):
            # Closed at once: an unfinished statement would hold a read snapshot open.
            async with db.execute(f"PRAGMA {pragma}"):
                pass
        storage = cls(db)
        await storage.migrate()
        return storage

    async def close(self) -> None:
        await self.db.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction on the shared connection, safe against cancellation.

        aiosqlite runs a statement even if the task awaiting it is cancelled, so
        BEGIN, COMMIT and ROLLBACK are shielded and a cancelled transaction is
        always rolled back: the connection is never left inside one.
        """
        async with self.lock:
            begin = asyncio.ensure_future(self.begin())
            try:
                await asyncio.shield(begin)
            except BaseException:
                with contextlib.suppress(BaseException):
                    await begin
                await self.rollback()
                raise
            try:
                yield self.db
            except BaseException:
                await self.rollback()
                raise
            try:
                await asyncio.shield(self.db.execute("COMMIT"))
            except asyncio.CancelledError:
                raise  # the shielded COMMIT still completes
            except Exception:
                await self.rollback()
                raise

    async def rollback(self) -> None:
        if self.db.in_transaction:
            await asyncio.shield(self.db.execute("ROLLBACK"))

    async def begin(self) -> None:
        """BEGIN IMMEDIATE, retried while another connection holds the write lock.

        SQLite's busy timeout covers most waits, but in WAL mode some conflicts
        between connections are reported at once as "database is locked".
        """
        delay = 0.005
        for _ in range(BEGIN_RETRIES):
            try:
                await self.db.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) and "busy" not in str(error):
                    raise
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.5)
        await self.db.execute("BEGIN IMMEDIATE")

    async def schema_version(self) -> int:
        await self.db.execute(
            "CREATE TABLE IF NOT EXISTS schema_version ("
            "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)"
        )
        async with self.db.execute("SELECT max(version) FROM schema_version") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    async def migrate(self) -> list[int]:
        """Apply every registered migration newer than the database; return their versions."""
        current = await self.schema_version()
        applied = []
        for version, name, function in MIGRATIONS:
            if version <= current:
                continue
            async with self.transaction() as db:
                await function(db)
                await db.execute(
                    "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
                    (version, name, to_epoch(datetime.now(UTC))),
                )
            applied.append(version)
        return applied

    async def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[aiosqlite.Row]:
        async with self.db.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    async def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> aiosqlite.Row | None:
        async with self.db.execute(sql, params) as cursor:
            return await cursor.fetchone()

    # -- users ------------------------------------------------------------------

    async def touch_user(self, user_id: int, chat_id: int, now: datetime) -> tuple[User, int]:
        """Record that the user wrote; a user who had blocked the bot is active again.

        Returns the user and how many paused reminders were resumed.
        """
        # One statement on the hot path (every update); the upsert returns the row.
        async with self.transaction() as db:
            cursor = await db.execute(
                "INSERT INTO users (user_id, chat_id, created_at, last_seen_at) VALUES (?,?,?,?) "
                "ON CONFLICT (user_id) DO UPDATE SET chat_id = excluded.chat_id, "
                "last_seen_at = excluded.last_seen_at RETURNING *",
                (user_id, chat_id, to_epoch(now), to_epoch(now)),
            )
            row = await cursor.fetchone()
            assert row is not None
            resumed = 0
            if not row["active"]:
                cursor = await db.execute(
                    "UPDATE users SET active = 1 WHERE user_id = ? RETURNING *", (user_id,)
                )
                row = await cursor.fetchone()
                assert row is not None
                cursor = await db.execute(
                    "UPDATE reminders SET status = 'pending' "
                    "WHERE user_id = ? AND status = 'paused'",
                    (user_id,),
                )
                resumed = cursor.rowcount
        user = _user(row)
        return user, resumed

    async def get_user(self, user_id: int) -> User | None:
        row = await self.fetch_one("SELECT * FROM users WHERE user_id = ?", (user_id,))
        return _user(row) if row else None

    async def set_timezone(
        self, user_id: int, zone: str, moved: Iterable[tuple[int, datetime]] = ()
    ) -> None:
        """Set the user's zone, and move wall-clock reminders to their new UTC times."""
        async with self.transaction() as db:
            await db.execute("UPDATE users SET timezone = ? WHERE user_id = ?", (zone, user_id))
            await db.execute(
                "UPDATE reminders SET timezone = ? WHERE user_id = ? "
                "AND status IN ('pending', 'paused', 'failed')",
                (zone, user_id),
            )
            await db.executemany(
                "UPDATE reminders SET due_at = ?, run_at = ? WHERE id = ? AND user_id = ? "
                "AND status IN ('pending', 'paused', 'failed')",
                [(to_epoch(due), to_epoch(due), rid, user_id) for rid, due in moved],
            )

    async def set_stage(
        self,
        user_id: int,
        stage: str,
        stage_at: datetime | None,
        stage_local: str | None,
        reminders: Sequence[NewReminder],
        now: datetime,
    ) -> list[int]:
        """Set the stage (and date); a new date replaces the stage's open default reminders."""
        async with self.transaction() as db:
            await db.execute(
                "UPDATE users SET stage = ?, stage_at = ?, stage_local = ? WHERE user_id = ?",
                (stage, to_epoch(stage_at) if stage_at else None, stage_local, user_id),
            )
            if stage_at is not None:
                await db.execute(
                    "UPDATE reminders SET status = 'cancelled' WHERE user_id = ? AND stage = ? "
                    "AND status IN ('pending', 'paused', 'failed')",
                    (user_id, stage),
                )
            return await self._insert(db, reminders, now)

    async def mark_inactive(self, user_id: int) -> int:
        """The user blocked the bot: pause their reminders until they write again."""
        async with self.transaction() as db:
            await db.execute("UPDATE users SET active = 0 WHERE user_id = ?", (user_id,))
            cursor = await db.execute(
                "UPDATE reminders SET claimed_by = NULL, "
                "status = CASE kind WHEN 'reminder' THEN 'paused' ELSE 'blocked' END "
                "WHERE user_id = ? AND status IN ('pending', 'sending')",
                (user_id,),
            )
            return cursor.rowcount

    async def delete_user(self, user_id: int) -> bool:
        async with self.transaction() as db:
            cursor = await db.execute("DELETE FROM users WHERE user_id = ?", (user_id,))
            return cursor.rowcount > 0

    # -- reminders ------------------------------------------------------------

    async def add_reminders(self, reminders: Sequence[NewReminder], now: datetime) -> list[int]:
        async with self.transaction() as db:
            return await self._insert(db, reminders, now)

    async def _insert(
        self, db: aiosqlite.Connection, reminders: Sequence[NewReminder], now: datetime
    ) -> list[int]:
        ids = []
        for r in reminders:
            cursor = await db.execute(
                "INSERT INTO reminders (user_id, chat_id, text, due_at, local_time, timezone, "
                "stage, run_at, created_at, kind, broadcast_id) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (r.user_id, r.chat_id, r.text, to_epoch(r.due_at), r.local_time, r.timezone,
                 r.stage, to_epoch(r.due_at), to_epoch(now), r.kind, r.broadcast_id),
            )  # fmt: skip
            assert cursor.lastrowid is not None
            ids.append(cursor.lastrowid)
        return ids

    async def get_reminder(self, reminder_id: int) -> Reminder | None:
        row = await self.fetch_one("SELECT * FROM reminders WHERE id = ?", (reminder_id,))
        return _reminder(row) if row else None

    async def user_deliveries(self, user_id: int) -> dict[str, int]:
        """How many announcements and notices the user was sent or is due, by kind."""
        rows = await self.fetch(
            "SELECT kind, count(*) FROM reminders WHERE user_id = ? AND kind != 'reminder' "
            "GROUP BY 1",
            (user_id,),
        )
        return {row[0]: row[1] for row in rows}

    async def user_reminders(
        self, user_id: int, statuses: Sequence[Status] = OPEN_STATUSES
    ) -> list[Reminder]:
        marks = ",".join("?" * len(statuses))
        rows = await self.fetch(
            f"SELECT * FROM reminders WHERE user_id = ? AND status IN ({marks}) "
            "AND kind = 'reminder' ORDER BY due_at, id",
            (user_id, *statuses),
        )
        return [_reminder(row) for row in rows]

    async def cancel(self, user_id: int, reminder_id: int) -> bool:
        """Cancel one of the user's own open reminders; False if there is none such."""
        async with self.transaction() as db:
            cursor = await db.execute(
                "UPDATE reminders SET status = 'cancelled' WHERE id = ? AND user_id = ? "
                "AND status IN ('pending', 'paused', 'failed') AND kind = 'reminder'",
                (reminder_id, user_id),
            )
            return cursor.rowcount > 0

    # -- delivery: claim, send, mark -------------------------------------------

    async def claim_due(self, worker: str, now: datetime, limit: int) -> list[Reminder]:
        """Atomically take up to ``limit`` due reminders for ``worker``, one per chat.

        One UPDATE ... RETURNING under SQLite's write lock: a row another worker
        claimed first is no longer 'pending', so no two workers get the same one.
        One per chat, because sends to a chat are a second apart: a chat with a
        backlog must not hold up everyone else's batch.
        """
        async with self.transaction() as db:
            cursor = await db.execute(
                "UPDATE reminders SET status = 'sending', claimed_by = ?, claimed_at = ?, "
                f"attempts = attempts + 1 WHERE id IN ({DUE}) RETURNING *",
                (worker, to_epoch(now), to_epoch(now), limit),
            )
            rows = await cursor.fetchall()
        return sorted((_reminder(row) for row in rows), key=lambda r: (r.run_at, r.id))

    async def due_ids(self, now: datetime, limit: int) -> list[int]:
        """The ids of reminders due now, as claim_due would take them."""
        rows = await self.fetch(DUE, (to_epoch(now), limit))
        return [row[0] for row in rows]

    async def holds_claim(self, reminder_id: int, worker: str) -> bool:
        row = await self.fetch_one(
            "SELECT 1 FROM reminders WHERE id = ? AND status = 'sending' AND claimed_by = ?",
            (reminder_id, worker),
        )
        return row is not None

    async def mark_sent(self, reminder_id: int, worker: str, now: datetime) -> bool:
        return await self._finish(
            "status = 'sent', sent_at = ?, last_error = NULL",
            (to_epoch(now),),
            reminder_id,
            worker,
        )

    async def retry_later(
        self, reminder_id: int, worker: str, run_at: datetime, error: str, *, counts: bool = True
    ) -> bool:
        """Back to pending until ``run_at``; a flood wait (``counts=False``) is no attempt."""
        return await self._finish(
            "status = 'pending', run_at = ?, last_error = ?, attempts = attempts - ?",
            (to_epoch(run_at), error, 0 if counts else 1),
            reminder_id,
            worker,
        )

    async def mark_failed(self, reminder_id: int, worker: str, error: str) -> bool:
        return await self._finish(
            "status = 'failed', last_error = ?", (error,), reminder_id, worker
        )

    async def _finish(
        self, assignments: str, params: Sequence[Any], reminder_id: int, worker: str
    ) -> bool:
        # Only the worker holding the claim may settle it: a claim taken back from a
        # worker presumed dead must not be overwritten if that worker comes back.
        async with self.transaction() as db:
            cursor = await db.execute(
                f"UPDATE reminders SET {assignments}, claimed_by = NULL "
                "WHERE id = ? AND status = 'sending' AND claimed_by = ?",
                (*params, reminder_id, worker),
            )
            return cursor.rowcount > 0

    async def heartbeat(self, worker: str, now: datetime) -> None:
        async with self.transaction() as db:
            await db.execute(
                "INSERT INTO workers (id, heartbeat_at) VALUES (?, ?) "
                "ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at",
                (worker, to_epoch(now)),
            )

    async def release(self, worker: str) -> int:
        """Hand back every claim of a worker that is stopping (its sends did not finish)."""
        async with self.transaction() as db:
            # The send never happened, so the claim's attempt is given back too.
            cursor = await db.execute(
                "UPDATE reminders SET status = 'pending', claimed_by = NULL, "
                "attempts = attempts - 1 WHERE status = 'sending' AND claimed_by = ?",
                (worker,),
            )
            await db.execute("DELETE FROM workers WHERE id = ?", (worker,))
            return cursor.rowcount

    async def reclaim_stale(self, now: datetime, stale_after: int) -> int:
        """Claims of workers that stopped heart-beating (killed mid-send) go back to pending.

        Such a send may or may not have reached Telegram: sending it again is the
        at-least-once choice the README explains.
        """
        cutoff = to_epoch(now) - stale_after
        async with self.transaction() as db:
            # Also any claim older than MAX_CLAIM_AGE, whoever holds it: no send takes
            # that long, so its worker lost track of it (a bug must not strand it).
            cursor = await db.execute(
                "UPDATE reminders SET status = 'pending', claimed_by = NULL "
                "WHERE status = 'sending' AND (claimed_by NOT IN "
                "(SELECT id FROM workers WHERE heartbeat_at >= ?) OR claimed_at < ?)",
                (cutoff, to_epoch(now) - MAX_CLAIM_AGE),
            )
            await db.execute("DELETE FROM workers WHERE heartbeat_at < ?", (cutoff,))
            return cursor.rowcount

    async def next_run_at(self) -> datetime | None:
        row = await self.fetch_one("SELECT min(run_at) FROM reminders WHERE status = 'pending'")
        return from_epoch(row[0]) if row and row[0] is not None else None


def _user(row: aiosqlite.Row) -> User:
    return User(
        user_id=row["user_id"],
        chat_id=row["chat_id"],
        timezone=row["timezone"],
        stage=row["stage"],
        stage_at=from_epoch(row["stage_at"]) if row["stage_at"] is not None else None,
        stage_local=row["stage_local"],
        active=bool(row["active"]),
        created_at=from_epoch(row["created_at"]),
        last_seen_at=from_epoch(row["last_seen_at"]),
    )


def _reminder(row: aiosqlite.Row) -> Reminder:
    return Reminder(
        id=row["id"],
        user_id=row["user_id"],
        chat_id=row["chat_id"],
        text=row["text"],
        due_at=from_epoch(row["due_at"]),
        local_time=row["local_time"],
        timezone=row["timezone"],
        stage=row["stage"],
        status=Status(row["status"]),
        run_at=from_epoch(row["run_at"]),
        attempts=row["attempts"],
        sent_at=from_epoch(row["sent_at"]) if row["sent_at"] is not None else None,
        last_error=row["last_error"],
        kind=Kind(row["kind"]),
        broadcast_id=row["broadcast_id"],
    )
