"""Announcements to applicants, notices to staff, and the audit trail.

A confirmed broadcast becomes one delivery row per recipient in the reminders
table, in the same transaction that confirms it, so the Pusher delivers it with
every guarantee a reminder has (pacing, 429/403 handling, exactly one claim,
resumption after a restart). When no delivery of it is left open, one report
row to the staff member who sent it is queued the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import aiosqlite

from bot.knowledge import KnowledgeBase
from bot.storage import Kind, Storage, to_epoch

ALL = "all"
# A scheduled announcement whose time passed this long ago when the bot first sees
# it (added late, or the bot was down for days) is skipped, not blasted out.
ANNOUNCEMENT_GRACE = timedelta(hours=24)
SYSTEM = 0  # the staff id recorded for what the knowledge base schedules


@dataclass(frozen=True, slots=True)
class Draft:
    id: int
    stage: str | None
    text: str
    recipients: int


@dataclass(frozen=True, slots=True)
class Report:
    broadcast_id: int
    staff_id: int
    sent: int
    blocked: int
    failed: int

    def text(self) -> str:
        return (
            f"Broadcast #{self.broadcast_id} finished: {self.sent} sent, "
            f"{self.blocked} blocked the bot, {self.failed} failed."
        )


# Who a broadcast reaches: users who have not blocked the bot, at the stage (or all).
RECIPIENTS = "FROM users WHERE active = 1 AND (? IS NULL OR stage = ?)"


async def audit(storage: Storage, staff_id: int, action: str, detail: str, now: datetime) -> None:
    """Record a staff action (who, what, when)."""
    async with storage.transaction() as db:
        await _audit(db, staff_id, action, detail, now)


async def _audit(
    db: aiosqlite.Connection, staff_id: int, action: str, detail: str, now: datetime
) -> None:
    await db.execute(
        "INSERT INTO audit (at, staff_id, action, detail) VALUES (?, ?, ?, ?)",
        (to_epoch(now), staff_id, action, detail),
    )


async def audit_log(storage: Storage, limit: int = 50) -> list[tuple[int, int, str, str]]:
    rows = await storage.fetch(
        "SELECT at, staff_id, action, detail FROM audit ORDER BY id DESC LIMIT ?", (limit,)
    )
    return [(row[0], row[1], row[2], row[3]) for row in rows]


async def draft(
    storage: Storage, staff_id: int, stage: str | None, text: str, now: datetime
) -> Draft:
    """Record a broadcast awaiting confirmation, with how many it would reach now."""
    async with storage.transaction() as db:
        cursor = await db.execute(
            "INSERT INTO broadcasts (staff_id, stage, text, created_at) VALUES (?, ?, ?, ?)",
            (staff_id, stage, text, to_epoch(now)),
        )
        assert cursor.lastrowid is not None
        row = await storage.fetch_one(f"SELECT count(*) {RECIPIENTS}", (stage, stage))
        await _audit(
            db,
            staff_id,
            "broadcast drafted",
            f"#{cursor.lastrowid} to {stage or ALL}: {text[:200]}",
            now,
        )
    return Draft(cursor.lastrowid, stage, text, int(row[0]) if row else 0)


async def confirm(storage: Storage, broadcast_id: int, staff_id: int, now: datetime) -> int | None:
    """Queue a draft for delivery; None if it is not a draft of this staff member any more.

    Pressing Confirm twice, or after Cancel, queues nothing the second time.
    """
    async with storage.transaction() as db:
        cursor = await db.execute(
            "UPDATE broadcasts SET status = 'sending', confirmed_at = ? "
            "WHERE id = ? AND staff_id = ? AND status = 'draft' RETURNING stage, text",
            (to_epoch(now), broadcast_id, staff_id),
        )
        row = await cursor.fetchone()
        if row is None:
            return None
        queued = await _queue(db, broadcast_id, row[0], row[1], now)
        await _audit(db, staff_id, "broadcast confirmed", f"#{broadcast_id} to {queued}", now)
    return queued


async def _queue(
    db: aiosqlite.Connection, broadcast_id: int, stage: str | None, text: str, now: datetime
) -> int:
    cursor = await db.execute(
        "INSERT INTO reminders (user_id, chat_id, text, due_at, timezone, run_at, created_at, "
        "kind, broadcast_id) SELECT user_id, chat_id, ?, ?, coalesce(timezone, 'UTC'), ?, ?, ?, ? "
        + RECIPIENTS,
        (text, to_epoch(now), to_epoch(now), to_epoch(now), Kind.BROADCAST, broadcast_id,
         stage, stage),
    )  # fmt: skip
    await db.execute(
        "UPDATE broadcasts SET recipients = ? WHERE id = ?", (cursor.rowcount, broadcast_id)
    )
    return int(cursor.rowcount)


async def cancel(storage: Storage, broadcast_id: int, staff_id: int, now: datetime) -> bool:
    async with storage.transaction() as db:
        cursor = await db.execute(
            "UPDATE broadcasts SET status = 'cancelled' WHERE id = ? AND staff_id = ? "
            "AND status = 'draft'",
            (broadcast_id, staff_id),
        )
        if cursor.rowcount:
            await _audit(db, staff_id, "broadcast cancelled", f"#{broadcast_id}", now)
        return cursor.rowcount > 0


async def finish(storage: Storage, now: datetime) -> list[Report]:
    """Close broadcasts with no delivery left open and queue each one's report, once."""
    reports = []
    rows = await storage.fetch("SELECT id, staff_id FROM broadcasts WHERE status = 'sending'")
    for broadcast_id, staff_id in rows:
        async with storage.transaction() as db:
            open_row = await storage.fetch_one(
                "SELECT count(*) FROM reminders WHERE broadcast_id = ? "
                "AND status IN ('pending', 'sending')",
                (broadcast_id,),
            )
            if open_row and open_row[0]:
                continue
            counts = dict(
                await storage.fetch(
                    "SELECT status, count(*) FROM reminders WHERE broadcast_id = ? GROUP BY 1",
                    (broadcast_id,),
                )
            )
            cursor = await db.execute(
                "UPDATE broadcasts SET status = 'done', finished_at = ? "
                "WHERE id = ? AND status = 'sending'",
                (to_epoch(now), broadcast_id),
            )
            if not cursor.rowcount:
                continue
            report = Report(
                broadcast_id,
                staff_id,
                counts.get("sent", 0),
                counts.get("blocked", 0) + counts.get("paused", 0),
                counts.get("failed", 0),
            )
            if staff_id != SYSTEM:
                await _notice(db, staff_id, report.text(), now)
            reports.append(report)
    return reports


async def release_announcements(storage: Storage, kb: KnowledgeBase, now: datetime) -> list[str]:
    """Queue every scheduled announcement that is due and was never queued before.

    Keyed by the announcement's id, so reloading the knowledge base, or editing an
    announcement's text after it went out, never sends it again.
    """
    due = [a for a in kb.announcements if a.at <= now]
    if not due:
        return []
    rows = await storage.fetch(
        "SELECT announcement FROM broadcasts WHERE announcement IS NOT NULL"
    )
    seen = {row[0] for row in rows}
    released = []
    for announcement in due:
        if announcement.id in seen:
            continue
        async with storage.transaction() as db:
            late = now - announcement.at > ANNOUNCEMENT_GRACE
            cursor = await db.execute(
                "INSERT OR IGNORE INTO broadcasts (staff_id, stage, text, status, announcement, "
                "created_at, confirmed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (SYSTEM, announcement.stage, announcement.text, "skipped" if late else "sending",
                 announcement.id, to_epoch(now), to_epoch(now)),
            )  # fmt: skip
            if not cursor.rowcount:
                continue
            if late:
                await _audit(
                    db,
                    SYSTEM,
                    "announcement skipped",
                    f"{announcement.id}: first seen over 24 h after its time",
                    now,
                )
                continue
            assert cursor.lastrowid is not None
            count = await _queue(db, cursor.lastrowid, announcement.stage, announcement.text, now)
            await _audit(db, SYSTEM, "announcement sent", f"{announcement.id} to {count}", now)
            released.append(announcement.id)
    return released


async def notify_staff(
    storage: Storage, staff_ids: frozenset[int], text: str, now: datetime
) -> None:
    """Queue a notice to every staff member (e.g. a knowledge base that failed to load)."""
    async with storage.transaction() as db:
        for staff_id in sorted(staff_ids):
            await _notice(db, staff_id, text, now)


async def _notice(db: aiosqlite.Connection, staff_id: int, text: str, now: datetime) -> None:
    await db.execute(
        "INSERT OR IGNORE INTO users (user_id, chat_id, created_at, last_seen_at) "
        "VALUES (?, ?, ?, ?)",
        (staff_id, staff_id, to_epoch(now), to_epoch(now)),
    )
    await db.execute(
        "INSERT INTO reminders (user_id, chat_id, text, due_at, timezone, run_at, created_at, "
        "kind) VALUES (?, ?, ?, ?, 'UTC', ?, ?, ?)",
        (staff_id, staff_id, text[:4000], to_epoch(now), to_epoch(now), to_epoch(now),
         Kind.NOTICE),
    )  # fmt: skip
