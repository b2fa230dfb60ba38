"""Applicants: who they are to the bot, their zone and stage."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from bot.store.base import Queries, user_row
from bot.store.db import Connection, to_epoch
from bot.store.reminders import insert_reminders
from bot.store.rows import NewReminder, Seen, User

# Reminders the user can still change: not yet sent, not being sent.
CHANGEABLE = "status IN ('pending', 'paused', 'failed')"


async def move_reminder(db: Connection, reminder_id: int, planned: NewReminder) -> None:
    """Give an open reminder a new time and text in place: its number stays."""
    await db.execute(
        "UPDATE reminders SET text = ?, due_at = ?, run_at = ?, timezone = ?, "
        "local_time = ?, attempts = 0, last_error = NULL, "
        "status = CASE status WHEN 'failed' THEN 'pending' ELSE status END WHERE id = ?",
        (planned.text, to_epoch(planned.due_at), to_epoch(planned.due_at), planned.timezone,
         planned.local_time, reminder_id),
    )  # fmt: skip


class UserQueries(Queries):
    async def touch_user(self, user_id: int, chat_id: int, now: datetime) -> Seen:
        """Record that the user wrote; a user who had blocked the bot is active again."""
        # One statement on the hot path (every update); the upsert returns the row.
        async with self.db.transaction() as db:
            row = await db.fetch_one(
                "INSERT INTO users (user_id, chat_id, created_at, last_seen_at) VALUES (?,?,?,?) "
                "ON CONFLICT (user_id) DO UPDATE SET chat_id = excluded.chat_id, "
                "last_seen_at = excluded.last_seen_at RETURNING *",
                (user_id, chat_id, to_epoch(now), to_epoch(now)),
            )
            assert row is not None
            resumed = 0
            if not row["active"]:
                row = await db.fetch_one(
                    "UPDATE users SET active = 1 WHERE user_id = ? RETURNING *", (user_id,)
                )
                assert row is not None
                resumed = await db.execute(
                    "UPDATE reminders SET status = 'pending' "
                    "WHERE user_id = ? AND status = 'paused'",
                    (user_id,),
                )
        return Seen(user_row(row), resumed)

    async def get_user(self, user_id: int) -> User | None:
        row = await self.db.fetch_one("SELECT * FROM users WHERE user_id = ?", (user_id,))
        return user_row(row) if row else None

    async def set_timezone(
        self, user_id: int, zone: str, moved: Iterable[tuple[int, datetime]] = ()
    ) -> None:
        """Set the user's zone, and move wall-clock reminders to their new UTC times."""
        async with self.db.transaction() as db:
            await db.execute("UPDATE users SET timezone = ? WHERE user_id = ?", (zone, user_id))
            await db.execute(
                f"UPDATE reminders SET timezone = ? WHERE user_id = ? AND {CHANGEABLE}",
                (zone, user_id),
            )
            await db.executemany(
                "UPDATE reminders SET due_at = ?, run_at = ? WHERE id = ? AND user_id = ? "
                f"AND {CHANGEABLE}",
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
        """Set the stage (and date); a new date moves the stage's open default reminders.

        A default reminder keeps its row, and so its number, when its slot is planned
        again; slots no longer planned are cancelled, new ones inserted. Returns the ids of
        the planned reminders, in their order.
        """
        async with self.db.transaction() as db:
            await db.execute(
                "UPDATE users SET stage = ?, stage_at = ?, stage_local = ? WHERE user_id = ?",
                (stage, to_epoch(stage_at) if stage_at else None, stage_local, user_id),
            )
            if stage_at is None:
                return await insert_reminders(db, reminders, now)
            rows = await db.fetch(
                "SELECT id, slot FROM reminders WHERE user_id = ? AND stage = ? "
                f"AND kind = 'reminder' AND {CHANGEABLE} ORDER BY id",
                (user_id, stage),
            )
            by_slot: dict[int, int] = {}
            for row in rows:
                if row["slot"] is not None:
                    by_slot.setdefault(int(row["slot"]), int(row["id"]))
            ids: list[int] = []
            for reminder in reminders:
                kept = by_slot.pop(reminder.slot, None) if reminder.slot is not None else None
                if kept is None:
                    ids += await insert_reminders(db, [reminder], now)
                    continue
                await move_reminder(db, kept, reminder)
                ids.append(kept)
            await db.executemany(
                "UPDATE reminders SET status = 'cancelled' WHERE id = ?",
                [(row["id"],) for row in rows if int(row["id"]) not in ids],
            )
            return ids

    async def set_default_reminders(self, user_id: int, on: bool) -> None:
        """Whether setting a stage date schedules the stage's default reminders."""
        async with self.db.transaction() as db:
            await db.execute(
                "UPDATE users SET default_reminders = ? WHERE user_id = ?", (int(on), user_id)
            )

    async def mark_inactive(self, user_id: int) -> int:
        """The user blocked the bot: pause their reminders until they write again."""
        async with self.db.transaction() as db:
            await db.execute("UPDATE users SET active = 0 WHERE user_id = ?", (user_id,))
            return await db.execute(
                "UPDATE reminders SET claimed_by = NULL, "
                "status = CASE kind WHEN 'reminder' THEN 'paused' ELSE 'blocked' END "
                "WHERE user_id = ? AND status IN ('pending', 'sending')",
                (user_id,),
            )

    async def delete_user(self, user_id: int) -> bool:
        """Everything stored about the user goes: their row, reminders, deliveries and the
        memory of their private chat (whose id is their user id)."""
        async with self.db.transaction() as db:
            await db.execute("DELETE FROM conversations WHERE chat = ?", (str(user_id),))
            return await db.execute("DELETE FROM users WHERE user_id = ?", (user_id,)) > 0
