"""The shared sending budget: slots on one grid for every instance, by the database clock.

Each method answers how long the caller must wait (seconds), measured on the
database's clock, so instances whose own clocks differ still agree.
"""

from __future__ import annotations

from bot.store.base import Queries

CHAT_MEMORY = 60.0  # seconds a chat's turn is remembered after it passed


class BudgetQueries(Queries):
    async def book_send_slot(self, spacing: float, push: bool, lead: float) -> float | None:
        """Take the next slot on the grid; None when a push should let replies go first."""
        now, most = self.db.dialect.now_seconds, self.db.dialect.greatest
        room = f" AND next_at <= {now} + ?" if push else ""
        async with self.db.transaction() as db:
            row = await db.fetch_one(
                f"UPDATE send_budget SET next_at = {most}(next_at, {now}) + ? WHERE id = 1{room} "
                f"RETURNING next_at - ? - {now}",
                (spacing, lead, spacing) if push else (spacing, spacing),
            )
        return max(float(row[0]), 0.0) if row is not None else None

    async def book_chat_slot(self, chat_id: int, interval: float) -> float:
        """Take the chat's next turn, ``interval`` after its last; the wait for it."""
        now, most = self.db.dialect.now_seconds, self.db.dialect.greatest
        async with self.db.transaction() as db:
            row = await db.fetch_one(
                f"INSERT INTO chat_budget (chat_id, next_at) VALUES (?, {now} + ?) "
                f"ON CONFLICT (chat_id) DO UPDATE SET "
                f"next_at = {most}(chat_budget.next_at, {now}) + ? "
                f"RETURNING next_at - ? - {now}",
                (chat_id, interval, interval, interval),
            )
            if row is not None and chat_id % 64 == 0:
                # Now and then, forget chats whose turn is long past.
                await db.execute(
                    f"DELETE FROM chat_budget WHERE next_at < {now} - ?", (CHAT_MEMORY,)
                )
        return max(float(row[0]), 0.0) if row is not None else 0.0

    async def pause_sending(self, seconds: float) -> None:
        """A 429: no slot before ``seconds`` from now, for anyone."""
        now, most = self.db.dialect.now_seconds, self.db.dialect.greatest
        async with self.db.transaction() as db:
            await db.execute(
                f"UPDATE send_budget SET next_at = {most}(next_at, {now} + ?) WHERE id = 1",
                (seconds,),
            )
