"""Applicants' own reminders: add, read, cancel."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from bot.store.base import Queries, marks, reminder_row
from bot.store.db import Connection, to_epoch
from bot.store.rows import OPEN_STATUSES, Kind, NewReminder, Reminder, Status


async def insert_reminders(
    db: Connection, reminders: Sequence[NewReminder], now: datetime
) -> list[int]:
    """Insert outbox rows inside the caller's transaction; return their ids.

    A user's own reminders take the next numbers of that user's sequence.
    """
    numbers = await take_numbers(db, [r.user_id for r in reminders if r.kind is Kind.REMINDER])
    ids = []
    for r in reminders:
        number = numbers[r.user_id].pop(0) if r.kind is Kind.REMINDER else None
        row = await db.fetch_one(
            "INSERT INTO reminders (user_id, chat_id, text, due_at, local_time, timezone, "
            "stage, run_at, created_at, kind, broadcast_id, number, slot) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
            (r.user_id, r.chat_id, r.text, to_epoch(r.due_at), r.local_time, r.timezone,
             r.stage, to_epoch(r.due_at), to_epoch(now), r.kind.value, r.broadcast_id,
             number, r.slot),
        )  # fmt: skip
        assert row is not None
        ids.append(int(row[0]))
    return ids


async def take_numbers(db: Connection, user_ids: Sequence[int]) -> dict[int, list[int | None]]:
    """The next numbers of each user's sequence, as many as ``user_ids`` names them.

    The row lock taken by the UPDATE keeps two writers from handing out one number twice.
    """
    taken: dict[int, list[int | None]] = {}
    for user_id, count in Counter(user_ids).items():
        row = await db.fetch_one(
            "UPDATE users SET reminder_seq = reminder_seq + ? WHERE user_id = ? "
            "RETURNING reminder_seq",
            (count, user_id),
        )
        if row is None:  # no such user: the insert fails on its foreign key, as it always did
            taken[user_id] = [None] * count
            continue
        last = int(row[0])
        taken[user_id] = list(range(last - count + 1, last + 1))
    return taken


class ReminderQueries(Queries):
    async def add_reminders(self, reminders: Sequence[NewReminder], now: datetime) -> list[int]:
        async with self.db.transaction() as db:
            return await insert_reminders(db, reminders, now)

    async def get_reminder(self, reminder_id: int) -> Reminder | None:
        row = await self.db.fetch_one("SELECT * FROM reminders WHERE id = ?", (reminder_id,))
        return reminder_row(row) if row else None

    async def user_reminders(
        self, user_id: int, statuses: Sequence[Status] = OPEN_STATUSES
    ) -> list[Reminder]:
        """The user's own reminders (not announcements) in these statuses, soonest first."""
        rows = await self.db.fetch(
            f"SELECT * FROM reminders WHERE user_id = ? AND status IN ({marks(len(statuses))}) "
            "AND kind = 'reminder' ORDER BY due_at, id",
            (user_id, *(status.value for status in statuses)),
        )
        return [reminder_row(row) for row in rows]

    async def user_deliveries(self, user_id: int) -> dict[str, int]:
        """How many announcements and notices the user was sent or is due, by kind."""
        rows = await self.db.fetch(
            "SELECT kind, count(*) FROM reminders WHERE user_id = ? "
            "AND kind IN ('broadcast', 'notice') "
            "GROUP BY kind",
            (user_id,),
        )
        return {str(row[0]): int(row[1]) for row in rows}

    async def count_reminders(
        self, user_id: int, statuses: Sequence[Status] = OPEN_STATUSES
    ) -> int:
        """How many of the user's own reminders are in these statuses."""
        return await self.scalar(
            f"SELECT count(*) FROM reminders WHERE user_id = ? "
            f"AND status IN ({marks(len(statuses))}) AND kind = 'reminder'",
            (user_id, *(status.value for status in statuses)),
        )

    async def cancel_number(self, user_id: int, number: int) -> Reminder | None:
        """Cancel the user's open reminder shown as #``number``; None if there is none such."""
        async with self.db.transaction() as db:
            row = await db.fetch_one(
                "UPDATE reminders SET status = 'cancelled' WHERE user_id = ? AND number = ? "
                "AND status IN ('pending', 'paused', 'failed') AND kind = 'reminder' "
                "RETURNING *",
                (user_id, number),
            )
        return reminder_row(row) if row else None

    async def cancel(self, user_id: int, reminder_id: int) -> bool:
        """Cancel one of the user's own open reminders; False if there is none such."""
        async with self.db.transaction() as db:
            changed = await db.execute(
                "UPDATE reminders SET status = 'cancelled' WHERE id = ? AND user_id = ? "
                "AND status IN ('pending', 'paused', 'failed') AND kind = 'reminder'",
                (reminder_id, user_id),
            )
        return changed > 0
