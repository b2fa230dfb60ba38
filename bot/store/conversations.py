"""Conversation memory: what the bot last answered in each chat, as a small JSON text."""

from __future__ import annotations

from datetime import datetime

from bot.store.base import Queries
from bot.store.db import from_epoch, to_epoch


class ConversationQueries(Queries):
    async def load_context(self, chat: str) -> tuple[str, datetime] | None:
        """The chat's remembered context and when it was saved, if any."""
        row = await self.db.fetch_one(
            "SELECT context, updated_at FROM conversations WHERE chat = ?", (chat,)
        )
        return (str(row[0]), from_epoch(row[1])) if row else None

    async def save_context(self, chat: str, context: str | None, now: datetime) -> None:
        """Remember ``context`` for the chat; None forgets it."""
        async with self.db.transaction() as db:
            if context is None:
                await db.execute("DELETE FROM conversations WHERE chat = ?", (chat,))
                return
            await db.execute(
                "INSERT INTO conversations (chat, context, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (chat) DO UPDATE SET context = excluded.context, "
                "updated_at = excluded.updated_at",
                (chat, context, to_epoch(now)),
            )

    async def forget_contexts(self, before: datetime) -> int:
        """Drop every context saved before ``before``: memory ends with the conversation."""
        async with self.db.transaction() as db:
            return await db.execute(
                "DELETE FROM conversations WHERE updated_at < ?", (to_epoch(before),)
            )
