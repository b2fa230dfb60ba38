"""Guided commands: the one step each user's dialog waits at, kept across restarts."""

from __future__ import annotations

from bot.store.base import Queries
from bot.store.db import from_epoch, to_epoch
from bot.store.rows import Dialog


class DialogQueries(Queries):
    async def load_dialog(self, user_id: int) -> Dialog | None:
        """The user's step in progress, however old; the caller decides if it expired."""
        row = await self.db.fetch_one(
            "SELECT user_id, command, step, data, started_at FROM dialogs WHERE user_id = ?",
            (user_id,),
        )
        if row is None:
            return None
        return Dialog(
            int(row["user_id"]),
            str(row["command"]),
            str(row["step"]),
            str(row["data"]),
            from_epoch(row["started_at"]),
        )

    async def save_dialog(self, dialog: Dialog) -> None:
        """Start or move on the user's dialog: one per user, the newest wins."""
        async with self.db.transaction() as db:
            await db.execute(
                "INSERT INTO dialogs (user_id, command, step, data, started_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET "
                "command = excluded.command, step = excluded.step, data = excluded.data, "
                "started_at = excluded.started_at",
                (dialog.user_id, dialog.command, dialog.step, dialog.data,
                 to_epoch(dialog.started_at)),
            )  # fmt: skip

    async def end_dialog(self, user_id: int) -> bool:
        """Drop the user's step in progress; whether there was one."""
        async with self.db.transaction() as db:
            return await db.execute("DELETE FROM dialogs WHERE user_id = ?", (user_id,)) > 0
