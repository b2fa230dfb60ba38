"""The outbox: every unprompted message waits here until a worker claims, sends
and settles it (reminders, announcement deliveries, notices to staff).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.store.base import Queries, reminder_row
from bot.store.db import Connection, from_epoch, to_epoch
from bot.store.rows import Kind, Reminder

# Due rows, oldest first, at most one per chat. Reads only the partial index
# over pending rows, however many sent reminders the table holds.
DUE = (
    "SELECT id FROM (SELECT id, run_at, row_number() OVER "
    "(PARTITION BY chat_id ORDER BY run_at, id) AS turn "
    "FROM reminders WHERE status = 'pending' AND run_at <= ?) AS due "
    "WHERE turn = 1 ORDER BY run_at LIMIT ?"
)
MAX_CLAIM_AGE = 600  # seconds: no send takes that long
# Who a broadcast reaches: users who have not blocked the bot, at the stage (or all).
RECIPIENTS = "FROM users WHERE active = 1 AND (CAST(? AS TEXT) IS NULL OR stage = ?)"
MAX_NOTICE_LENGTH = 4000


async def queue_broadcast(
    db: Connection, broadcast_id: int, stage: str | None, text: str, now: datetime
) -> int:
    """One delivery row per recipient, inside the caller's transaction; how many."""
    count = await db.execute(
        "INSERT INTO reminders (user_id, chat_id, text, due_at, timezone, run_at, created_at, "
        "kind, broadcast_id) SELECT user_id, chat_id, ?, ?, coalesce(timezone, 'UTC'), ?, ?, ?, ? "
        + RECIPIENTS,
        (text, to_epoch(now), to_epoch(now), to_epoch(now), Kind.BROADCAST.value, broadcast_id,
         stage, stage),
    )  # fmt: skip
    await db.execute("UPDATE broadcasts SET recipients = ? WHERE id = ?", (count, broadcast_id))
    return count


async def queue_notice(db: Connection, staff_id: int, text: str, now: datetime) -> None:
    """A message to one staff member, inside the caller's transaction."""
    await db.execute(
        "INSERT INTO users (user_id, chat_id, created_at, last_seen_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (user_id) DO NOTHING",
        (staff_id, staff_id, to_epoch(now), to_epoch(now)),
    )
    await db.execute(
        "INSERT INTO reminders (user_id, chat_id, text, due_at, timezone, run_at, created_at, "
        "kind) VALUES (?, ?, ?, ?, 'UTC', ?, ?, ?)",
        (staff_id, staff_id, text[:MAX_NOTICE_LENGTH], to_epoch(now), to_epoch(now),
         to_epoch(now), Kind.NOTICE.value),
    )  # fmt: skip


class OutboxQueries(Queries):
    async def notify_staff(self, staff_ids: Sequence[int], text: str, now: datetime) -> None:
        """Queue a notice to each staff member (e.g. a knowledge base that failed to load)."""
        async with self.db.transaction() as db:
            for staff_id in staff_ids:
                await queue_notice(db, staff_id, text, now)

    async def claim_due(self, worker: str, now: datetime, limit: int) -> list[Reminder]:
        """Atomically take up to ``limit`` due rows for ``worker``, one per chat.

        One UPDATE ... RETURNING under the write lock: a row another worker claimed
        first is no longer 'pending', so no two workers get the same one. One per
        chat, because sends to a chat are a second apart: a chat with a backlog
        must not hold up everyone else's batch.
        """
        async with self.db.transaction() as db:
            chosen = self.db.dialect.lock_rows.format(rows=DUE)
            rows = await db.fetch(
                "UPDATE reminders SET status = 'sending', claimed_by = ?, claimed_at = ?, "
                f"attempts = attempts + 1 WHERE id IN ({chosen}) RETURNING *",
                (worker, to_epoch(now), to_epoch(now), limit),
            )
        return sorted((reminder_row(row) for row in rows), key=lambda r: (r.run_at, r.id))

    async def due_ids(self, now: datetime, limit: int) -> list[int]:
        """The ids of rows due now, as claim_due would take them."""
        rows = await self.db.fetch(DUE, (to_epoch(now), limit))
        return [int(row[0]) for row in rows]

    async def holds_claim(self, reminder_id: int, worker: str) -> bool:
        row = await self.db.fetch_one(
            "SELECT 1 FROM reminders WHERE id = ? AND status = 'sending' AND claimed_by = ?",
            (reminder_id, worker),
        )
        return row is not None

    async def mark_sent(self, reminder_id: int, worker: str, now: datetime) -> bool:
        return await self._settle(
            "status = 'sent', sent_at = ?, last_error = NULL",
            (to_epoch(now),),
            reminder_id,
            worker,
        )

    async def retry_later(
        self, reminder_id: int, worker: str, run_at: datetime, error: str, *, counts: bool = True
    ) -> bool:
        """Back to pending until ``run_at``; a flood wait (``counts=False``) is no attempt."""
        return await self._settle(
            "status = 'pending', run_at = ?, last_error = ?, attempts = attempts - ?",
            (to_epoch(run_at), error, 0 if counts else 1),
            reminder_id,
            worker,
        )

    async def mark_failed(self, reminder_id: int, worker: str, error: str) -> bool:
        return await self._settle(
            "status = 'failed', last_error = ?", (error,), reminder_id, worker
        )

    async def _settle(
        self, assignments: str, params: Sequence[Any], reminder_id: int, worker: str
    ) -> bool:
        # Only the worker holding the claim may settle it: a claim taken back from a
        # worker presumed dead must not be overwritten if that worker comes back.
        async with self.db.transaction() as db:
            changed = await db.execute(
                f"UPDATE reminders SET {assignments}, claimed_by = NULL "
                "WHERE id = ? AND status = 'sending' AND claimed_by = ?",
                (*params, reminder_id, worker),
            )
        return changed > 0

    async def heartbeat(self, worker: str, now: datetime) -> None:
        async with self.db.transaction() as db:
            await db.execute(
                "INSERT INTO workers (id, heartbeat_at) VALUES (?, ?) "
                "ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at",
                (worker, to_epoch(now)),
            )

    async def release(self, worker: str) -> int:
        """Hand back every claim of a worker that is stopping (its sends did not finish)."""
        async with self.db.transaction() as db:
            # The send never happened, so the claim's attempt is given back too.
            released = await db.execute(
                "UPDATE reminders SET status = 'pending', claimed_by = NULL, "
                "attempts = attempts - 1 WHERE status = 'sending' AND claimed_by = ?",
                (worker,),
            )
            await db.execute("DELETE FROM workers WHERE id = ?", (worker,))
        return released

    async def reclaim_stale(self, now: datetime, stale_after: int) -> int:
        """Claims of workers that stopped heart-beating (killed mid-send) go back to pending.

        Such a send may or may not have reached Telegram: sending it again is the
        at-least-once choice the README explains.
        """
        cutoff = to_epoch(now) - stale_after
        async with self.db.transaction() as db:
            # Also any claim older than MAX_CLAIM_AGE, whoever holds it: its worker
            # lost track of it (a bug must not strand it).
            reclaimed = await db.execute(
                "UPDATE reminders SET status = 'pending', claimed_by = NULL "
                "WHERE status = 'sending' AND (claimed_by NOT IN "
                "(SELECT id FROM workers WHERE heartbeat_at >= ?) OR claimed_at < ?)",
                (cutoff, to_epoch(now) - MAX_CLAIM_AGE),
            )
            await db.execute("DELETE FROM workers WHERE heartbeat_at < ?", (cutoff,))
        return reclaimed

    async def next_run_at(self) -> datetime | None:
        row = await self.db.fetch_one("SELECT min(run_at) FROM reminders WHERE status = 'pending'")
        return from_epoch(row[0]) if row and row[0] is not None else None
