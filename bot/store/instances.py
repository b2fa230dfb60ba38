"""What processes sharing a database need to know of each other: leases and a census."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.store.base import Queries
from bot.store.db import from_epoch, to_epoch
from bot.store.rows import Census


class InstanceQueries(Queries):
    async def acquire_lease(
        self, name: str, holder: str, now: datetime, duration: timedelta
    ) -> str | None:
        """Take or renew the lease ``name`` for ``holder``; the current holder if another."""
        expires = to_epoch(now + duration)
        async with self.db.transaction() as db:
            taken = await db.fetch_one(
                "INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, "
                "expires_at = excluded.expires_at "
                "WHERE leases.holder = excluded.holder OR leases.expires_at < ? "
                "RETURNING holder",
                (name, holder, expires, to_epoch(now)),
            )
            if taken is not None:
                return None
            row = await db.fetch_one("SELECT holder FROM leases WHERE name = ?", (name,))
        return str(row[0]) if row else None

    async def release_lease(self, name: str, holder: str) -> None:
        async with self.db.transaction() as db:
            await db.execute("DELETE FROM leases WHERE name = ? AND holder = ?", (name, holder))

    async def census(self) -> Census:
        """How much the database holds, for the start-up line."""
        return Census(
            users=await self.scalar("SELECT count(*) FROM users"),
            pending=await self.scalar(
                "SELECT count(*) FROM reminders WHERE status IN ('pending', 'sending')"
            ),
            last_heartbeat=await self.last_heartbeat(),
        )

    async def last_heartbeat(self) -> datetime | None:
        """When any message sender last proved itself alive (health checks ask this)."""
        row = await self.db.fetch_one("SELECT max(heartbeat_at) FROM workers")
        return from_epoch(row[0]) if row and row[0] is not None else None
