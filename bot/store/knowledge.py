"""Knowledge base versions, changes awaiting Confirm, the labelled regression set, and
the questions staff may turn into knowledge.

A version holds every file's text (JSON: {relative path: text}); NULL stands for
the deployment's own files. Versions are numbered 1, 2, 3... in the order they
went live; the newest is the one every instance serves.
"""

from __future__ import annotations

import json
from datetime import datetime

from bot.store.base import Queries
from bot.store.db import Connection, Row, from_epoch, to_epoch
from bot.store.desk_rows import ApplyRefusal, KbDraft, KbVersion, Suggestion
from bot.store.staff import add_audit

Files = dict[str, str]


def dump_files(files: Files | None) -> str | None:
    return None if files is None else json.dumps(files, ensure_ascii=False, sort_keys=True)


def load_files(text: str | None) -> Files | None:
    if text is None:
        return None
    data = json.loads(text)
    return {str(path): str(body) for path, body in data.items()}


def version_row(row: Row, *, with_files: bool) -> KbVersion:
    return KbVersion(
        number=int(row["number"]),
        action=str(row["action"]),
        note=str(row["note"]),
        staff_id=int(row["staff_id"]),
        applied_at=from_epoch(row["applied_at"]),
        files=load_files(row["files"]) if with_files else None,
    )


class KnowledgeQueries(Queries):
    # -- versions --------------------------------------------------------------------

    async def latest_kb_number(self) -> int:
        """The newest version's number; 0 when none was ever applied (the files serve)."""
        return await self.scalar("SELECT max(number) FROM kb_versions")

    async def kb_version(self, number: int) -> KbVersion | None:
        row = await self.db.fetch_one("SELECT * FROM kb_versions WHERE number = ?", (number,))
        return version_row(row, with_files=True) if row is not None else None

    async def kb_versions(self, limit: int) -> list[KbVersion]:
        """The latest versions, newest first, without their files."""
        rows = await self.db.fetch(
            "SELECT number, action, note, staff_id, applied_at, NULL AS files FROM kb_versions "
            "WHERE number IS NOT NULL ORDER BY number DESC LIMIT ?",
            (limit,),
        )
        return [version_row(row, with_files=False) for row in rows]

    async def draft_kb(
        self,
        staff_id: int,
        base: int,
        action: str,
        note: str,
        files: Files | None,
        label: tuple[str, str] | None,
        now: datetime,
    ) -> int:
        """Keep a validated change until a staff member confirms it; its id."""
        question, topic = label if label is not None else (None, None)
        async with self.db.transaction() as db:
            row = await db.fetch_one(
                "INSERT INTO kb_versions (base, staff_id, action, note, files, label_question, "
                "label_topic, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (base, staff_id, action, note, dump_files(files), question, topic,
                 to_epoch(now)),
            )  # fmt: skip
            await add_audit(db, staff_id, f"knowledge {action} previewed", note, now)
        assert row is not None
        return int(row[0])

    async def kb_draft(self, draft_id: int) -> KbDraft | None:
        row = await self.db.fetch_one(
            "SELECT * FROM kb_versions WHERE id = ? AND number IS NULL", (draft_id,)
        )
        if row is None:
            return None
        question, topic = row["label_question"], row["label_topic"]
        return KbDraft(
            id=int(row["id"]),
            base=int(row["base"]),
            staff_id=int(row["staff_id"]),
            action=str(row["action"]),
            note=str(row["note"]),
            files=load_files(row["files"]),
            label=(str(question), str(topic)) if question is not None else None,
            status=str(row["status"]),
        )

    async def apply_kb(self, draft_id: int, staff_id: int, now: datetime) -> int | ApplyRefusal:
        """Number a previewed change as the newest version, once; its labelled question
        joins the regression set in the same transaction."""
        async with self.db.transaction() as db:
            latest = await db.fetch_one("SELECT max(number) FROM kb_versions")
            newest = int(latest[0]) if latest and latest[0] is not None else 0
            draft = await db.fetch_one(
                "SELECT base, status, label_question, label_topic, note, action "
                "FROM kb_versions WHERE id = ?",
                (draft_id,),
            )
            if draft is None or draft[1] != "draft":
                return ApplyRefusal.DONE
            if int(draft[0]) != newest:
                return ApplyRefusal.STALE
            number = newest + 1
            await db.execute(
                "UPDATE kb_versions SET number = ?, status = 'applied', applied_at = ?, "
                "staff_id = ? WHERE id = ?",
                (number, to_epoch(now), staff_id, draft_id),
            )
            if draft[2] is not None:
                await self._label(db, str(draft[2]), draft[3], str(draft[5]), staff_id, now)
            await add_audit(db, staff_id, "knowledge applied", f"v{number}: {draft[4]}", now)
        return number

    async def cancel_kb(self, draft_id: int, staff_id: int, now: datetime) -> bool:
        async with self.db.transaction() as db:
            changed = await db.execute(
                "UPDATE kb_versions SET status = 'cancelled', files = NULL "
                "WHERE id = ? AND status = 'draft'",
                (draft_id,),
            )
            if changed:
                await add_audit(db, staff_id, "knowledge cancelled", f"draft {draft_id}", now)
        return changed > 0

    async def add_kb_version(
        self, staff_id: int, action: str, note: str, files: Files | None, now: datetime
    ) -> int:
        """A new newest version at once (a rollback: files known to be valid); its number."""
        async with self.db.transaction() as db:
            latest = await db.fetch_one("SELECT max(number) FROM kb_versions")
            number = (int(latest[0]) if latest and latest[0] is not None else 0) + 1
            await db.execute(
                "INSERT INTO kb_versions (number, status, base, staff_id, action, note, files, "
                "created_at, applied_at) VALUES (?, 'applied', ?, ?, ?, ?, ?, ?, ?)",
                (number, number - 1, staff_id, action, note, dump_files(files), to_epoch(now),
                 to_epoch(now)),
            )  # fmt: skip
            await add_audit(db, staff_id, f"knowledge {action}", f"v{number}: {note}", now)
        return number

    async def purge_kb_drafts(self, before: datetime) -> int:
        """Previews nobody confirmed: their files go, the row stays for the audit."""
        async with self.db.transaction() as db:
            return await db.execute(
                "UPDATE kb_versions SET status = 'expired', files = NULL "
                "WHERE status = 'draft' AND created_at < ?",
                (to_epoch(before),),
            )

    # -- the labelled regression set ----------------------------------------------------

    async def labelled_questions(self) -> list[tuple[str, str | None]]:
        rows = await self.db.fetch("SELECT question, topic FROM labelled_questions ORDER BY id")
        return [(str(r[0]), r[1]) for r in rows]

    async def label_question(
        self, question: str, topic: str | None, origin: str, staff_id: int, now: datetime
    ) -> None:
        async with self.db.transaction() as db:
            await self._label(db, question, topic, origin, staff_id, now)

    async def _label(
        self,
        db: Connection,
        question: str,
        topic: str | None,
        origin: str,
        staff_id: int,
        now: datetime,
    ) -> None:
        await db.execute(
            "INSERT INTO labelled_questions (question, topic, origin, staff_id, added_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (question) DO UPDATE SET topic = excluded.topic, "
            "origin = excluded.origin, staff_id = excluded.staff_id, added_at = excluded.added_at",
            (question, topic, origin, staff_id, to_epoch(now)),
        )

    # -- suggestions --------------------------------------------------------------------

    async def add_suggestion(
        self,
        question: str,
        answer: str | None,
        candidates: tuple[str, ...],
        ticket_id: int | None,
        now: datetime,
    ) -> int:
        async with self.db.transaction() as db:
            row = await db.fetch_one(
                "INSERT INTO kb_suggestions (ticket_id, question, answer, candidates, created_at) "
                "VALUES (?, ?, ?, ?, ?) RETURNING id",
                (ticket_id, question, answer, json.dumps(list(candidates)), to_epoch(now)),
            )
        assert row is not None
        return int(row[0])

    async def suggestion(self, suggestion_id: int) -> Suggestion | None:
        row = await self.db.fetch_one(
            "SELECT id, question, answer, candidates, ticket_id FROM kb_suggestions WHERE id = ?",
            (suggestion_id,),
        )
        if row is None:
            return None
        candidates = tuple(str(c) for c in json.loads(row[3]))
        return Suggestion(int(row[0]), str(row[1]), row[2], candidates, row[4])

    async def purge_suggestions(self, before: datetime) -> int:
        async with self.db.transaction() as db:
            return await db.execute(
                "DELETE FROM kb_suggestions WHERE created_at < ?", (to_epoch(before),)
            )
