"""What staff work with: the audit trail, broadcasts and announcements, the
question log, votes and statistics.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.store.base import Queries
from bot.store.db import Connection, from_epoch, to_epoch
from bot.store.desk_figures import start_sources, ticket_figures
from bot.store.outbox import RECIPIENTS, queue_broadcast, queue_notice
from bot.store.rows import AuditEntry, BroadcastReport, Draft, QuestionRecord, Stats

SYSTEM = 0  # the staff id recorded for what the knowledge base schedules
MAX_AUDIT_DETAIL = 500


async def add_audit(
    db: Connection, staff_id: int, action: str, detail: str, now: datetime
) -> None:
    await db.execute(
        "INSERT INTO audit (at, staff_id, action, detail) VALUES (?, ?, ?, ?)",
        (to_epoch(now), staff_id, action, detail[:MAX_AUDIT_DETAIL]),
    )


class StaffQueries(Queries):
    # -- audit -------------------------------------------------------------------

    async def audit(self, staff_id: int, action: str, detail: str, now: datetime) -> None:
        """Record a staff action (who, what, when)."""
        async with self.db.transaction() as db:
            await add_audit(db, staff_id, action, detail, now)

    async def audit_log(self, limit: int = 50) -> list[AuditEntry]:
        rows = await self.db.fetch(
            "SELECT at, staff_id, action, detail FROM audit ORDER BY id DESC LIMIT ?", (limit,)
        )
        return [AuditEntry(from_epoch(r[0]), int(r[1]), str(r[2]), str(r[3])) for r in rows]

    # -- broadcasts ----------------------------------------------------------------

    async def draft_broadcast(
        self, staff_id: int, stage: str | None, text: str, now: datetime
    ) -> Draft:
        """Record a broadcast awaiting confirmation, with how many it would reach now."""
        async with self.db.transaction() as db:
            row = await db.fetch_one(
                "INSERT INTO broadcasts (staff_id, stage, text, created_at) VALUES (?, ?, ?, ?) "
                "RETURNING id",
                (staff_id, stage, text, to_epoch(now)),
            )
            assert row is not None
            broadcast_id = int(row[0])
            count = await db.fetch_one(f"SELECT count(*) {RECIPIENTS}", (stage, stage))
            detail = f"#{broadcast_id} to {stage or 'all'}: {text[:200]}"
            await add_audit(db, staff_id, "broadcast drafted", detail, now)
        return Draft(broadcast_id, stage, text, int(count[0]) if count else 0)

    async def confirm_broadcast(
        self, broadcast_id: int, staff_id: int, now: datetime
    ) -> int | None:
        """Queue a draft for delivery; None if it is not a draft of this staff member any more.

        Pressing Confirm twice, or after Cancel, queues nothing the second time.
        """
        async with self.db.transaction() as db:
            row = await db.fetch_one(
                "UPDATE broadcasts SET status = 'sending', confirmed_at = ? "
                "WHERE id = ? AND staff_id = ? AND status = 'draft' RETURNING stage, text",
                (to_epoch(now), broadcast_id, staff_id),
            )
            if row is None:
                return None
            queued = await queue_broadcast(db, broadcast_id, row[0], row[1], now)
            await add_audit(
                db, staff_id, "broadcast confirmed", f"#{broadcast_id} to {queued}", now
            )
        return queued

    async def cancel_broadcast(self, broadcast_id: int, staff_id: int, now: datetime) -> bool:
        async with self.db.transaction() as db:
            changed = await db.execute(
                "UPDATE broadcasts SET status = 'cancelled' WHERE id = ? AND staff_id = ? "
                "AND status = 'draft'",
                (broadcast_id, staff_id),
            )
            if changed:
                await add_audit(db, staff_id, "broadcast cancelled", f"#{broadcast_id}", now)
        return changed > 0

    async def finish_broadcasts(
        self, now: datetime, report_text: Callable[[BroadcastReport], str]
    ) -> list[BroadcastReport]:
        """Close broadcasts with no delivery left open; queue each one's report, once.

        The report is queued in the transaction that closes the broadcast, so it is
        neither lost nor sent twice.
        """
        reports = []
        sending = await self.db.fetch(
            "SELECT id, staff_id FROM broadcasts WHERE status = 'sending'"
        )
        for broadcast_id, staff_id in ((int(r[0]), int(r[1])) for r in sending):
            async with self.db.transaction() as db:
                counts = {
                    str(row[0]): int(row[1])
                    for row in await db.fetch(
                        "SELECT status, count(*) FROM reminders WHERE broadcast_id = ? "
                        "GROUP BY status",
                        (broadcast_id,),
                    )
                }
                if counts.get("pending") or counts.get("sending"):
                    continue
                closed = await db.execute(
                    "UPDATE broadcasts SET status = 'done', finished_at = ? "
                    "WHERE id = ? AND status = 'sending'",
                    (to_epoch(now), broadcast_id),
                )
                if not closed:
                    continue
                report = BroadcastReport(
                    broadcast_id,
                    staff_id,
                    counts.get("sent", 0),
                    counts.get("blocked", 0) + counts.get("paused", 0),
                    counts.get("failed", 0),
                )
                if staff_id != SYSTEM:
                    await queue_notice(db, staff_id, report_text(report), now)
                reports.append(report)
        return reports

    async def announced(self) -> set[str]:
        """The ids of scheduled announcements already sent or skipped."""
        rows = await self.db.fetch(
            "SELECT announcement FROM broadcasts WHERE announcement IS NOT NULL"
        )
        return {str(row[0]) for row in rows}

    async def release_announcement(
        self, ident: str, stage: str | None, text: str, now: datetime, *, skip: bool
    ) -> int | None:
        """Queue (or, with ``skip``, record as skipped) an announcement, once per id.

        Returns how many deliveries were queued, or None if the id was seen before.
        """
        async with self.db.transaction() as db:
            row = await db.fetch_one(
                "INSERT INTO broadcasts (staff_id, stage, text, status, announcement, "
                "created_at, confirmed_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (announcement) DO NOTHING RETURNING id",
                (SYSTEM, stage, text, "skipped" if skip else "sending", ident, to_epoch(now),
                 to_epoch(now)),
            )  # fmt: skip
            if row is None:
                return None
            if skip:
                detail = f"{ident}: first seen over 24 h after its time"
                await add_audit(db, SYSTEM, "announcement skipped", detail, now)
                return 0
            count = await queue_broadcast(db, int(row[0]), stage, text, now)
            await add_audit(db, SYSTEM, "announcement sent", f"{ident} to {count}", now)
        return count

    # -- questions and votes -------------------------------------------------------

    async def record_question(self, record: QuestionRecord) -> None:
        async with self.db.transaction() as db:
            await db.execute(
                "INSERT INTO questions (asked_at, outcome, topic, score, text) VALUES (?,?,?,?,?)",
                (to_epoch(record.asked_at), record.outcome, record.topic, record.score,
                 record.text),
            )  # fmt: skip

    async def record_vote(self, topic: str, helpful: bool, voter: str, now: datetime) -> bool:
        """Count a vote once per ``voter`` (who voted on which answer); False if repeated."""
        async with self.db.transaction() as db:
            ballot = hmac.new(await self._ballot_key(db), voter.encode(), hashlib.sha256)
            row = await db.fetch_one(
                "INSERT INTO feedback (topic, helpful, at, ballot) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (ballot) WHERE ballot IS NOT NULL DO NOTHING RETURNING id",
                (topic, int(helpful), to_epoch(now), ballot.hexdigest()),
            )
        return row is not None

    async def _ballot_key(self, db: Connection) -> bytes:
        # A secret of this database's own, so a ballot cannot be traced back to a
        # user id by hashing candidate ids.
        await db.execute(
            "INSERT INTO meta (key, value) VALUES ('ballot_key', ?) ON CONFLICT (key) DO NOTHING",
            (secrets.token_hex(32),),
        )
        row = await db.fetch_one("SELECT value FROM meta WHERE key = 'ballot_key'")
        assert row is not None
        return bytes.fromhex(str(row[0]))

    async def purge_question_text(self, before: datetime) -> int:
        """Forget unanswered questions' text older than ``before``; keep the counts."""
        async with self.db.transaction() as db:
            return await db.execute(
                "UPDATE questions SET text = NULL WHERE asked_at < ? AND text IS NOT NULL",
                (to_epoch(before),),
            )

    async def unanswered_texts(self, limit: int) -> list[tuple[str, str | None]]:
        """The latest kept question texts, with the bot's best guess, newest first."""
        rows = await self.db.fetch(
            "SELECT text, topic FROM questions WHERE text IS NOT NULL "
            "ORDER BY asked_at DESC, id DESC LIMIT ?",
            (limit,),
        )
        return [(str(row[0]), row[1]) for row in rows]

    # -- statistics -----------------------------------------------------------------

    async def stats(self, now: datetime) -> Stats:
        day, week = to_epoch(now - timedelta(days=1)), to_epoch(now - timedelta(days=7))
        return Stats(
            users=await self.scalar("SELECT count(*) FROM users"),
            active_7d=await self.scalar(
                "SELECT count(*) FROM users WHERE last_seen_at >= ?", (week,)
            ),
            blocked=await self.scalar("SELECT count(*) FROM users WHERE active = 0"),
            per_stage=await self._pairs(
                "SELECT coalesce(stage, '(not set)') AS stage, count(*) FROM users "
                "GROUP BY stage ORDER BY count(*) DESC, stage"
            ),
            questions_24h=await self.scalar(
                "SELECT count(*) FROM questions WHERE asked_at >= ?", (day,)
            ),
            questions_7d=await self.scalar(
                "SELECT count(*) FROM questions WHERE asked_at >= ?", (week,)
            ),
            outcomes_7d=dict(
                await self._pairs(
                    "SELECT outcome, count(*) FROM questions WHERE asked_at >= ? GROUP BY outcome",
                    (week,),
                )
            ),
            top_topics_7d=await self._pairs(
                "SELECT topic, count(*) FROM questions WHERE asked_at >= ? "
                "AND outcome = 'answer' GROUP BY topic ORDER BY count(*) DESC, topic LIMIT 10",
                (week,),
            ),
            votes=[
                (str(row[0]), int(row[1]), int(row[2]))
                for row in await self.db.fetch(
                    "SELECT topic, sum(helpful), sum(1 - helpful) FROM feedback "
                    "GROUP BY topic ORDER BY count(*) DESC, topic"
                )
            ],
            reminders=dict(
                await self._pairs(
                    "SELECT status, count(*) FROM reminders WHERE kind = 'reminder' "
                    "GROUP BY status"
                )
            ),
            tickets=await ticket_figures(self.db),
            sources=await start_sources(self.db),
        )

    async def _pairs(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[str, int]]:
        return [(str(row[0]), int(row[1])) for row in await self.db.fetch(sql, params)]
