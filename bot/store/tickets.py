"""The help desk: tickets, their threads, and the outbox rows that carry them.

Every message a ticket causes (its post in the staff chat, an answer to the
applicant, an addition) is an outbox row queued in the transaction that changes
the ticket, so the push sender delivers it with every guarantee: nothing lost
by a restart, nothing sent twice.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime

from bot.store.base import Queries, marks
from bot.store.db import Connection, Row, from_epoch, maybe_epoch, to_epoch
from bot.store.desk_figures import start_sources, ticket_figures
from bot.store.desk_rows import (
    LIVE_TICKET,
    Refusal,
    Ticket,
    TicketDraft,
    TicketMessage,
    TicketStatus,
)
from bot.store.rows import Kind, TicketFigures
from bot.store.staff import add_audit

LIVE = f"status IN ({marks(len(LIVE_TICKET))})"
LIVE_VALUES = tuple(status.value for status in LIVE_TICKET)
DRAFT_ID_BITS = 53  # within the digits a button may carry


def ticket_row(row: Row) -> Ticket:
    return Ticket(
        id=int(row["id"]),
        user_id=int(row["user_id"]),
        chat_id=int(row["chat_id"]),
        question=str(row["question"]),
        stage=row["stage"],
        guess=row["guess"],
        name=row["name"],
        status=TicketStatus(row["status"]),
        opened_at=from_epoch(row["opened_at"]),
        answered_at=maybe_epoch(row["answered_at"]),
        closed_at=maybe_epoch(row["closed_at"]),
    )


async def queue_ticket_message(
    db: Connection, ticket: Ticket, kind: Kind, chat_id: int, text: str, now: datetime
) -> None:
    """One outbox row about ``ticket``, inside the caller's transaction.

    Owned by the applicant (user_id), so that /forget takes it away too.
    """
    await db.execute(
        "INSERT INTO reminders (user_id, chat_id, text, due_at, timezone, run_at, created_at, "
        "kind, ticket_id) VALUES (?, ?, ?, ?, 'UTC', ?, ?, ?, ?)",
        (ticket.user_id, chat_id, text, to_epoch(now), to_epoch(now), to_epoch(now), kind.value,
         ticket.id),
    )  # fmt: skip


async def ensure_user(db: Connection, user_id: int, chat_id: int, now: datetime) -> None:
    # Recording who wrote runs in the background: it may not have landed yet.
    await db.execute(
        "INSERT INTO users (user_id, chat_id, created_at, last_seen_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (user_id) DO NOTHING",
        (user_id, chat_id, to_epoch(now), to_epoch(now)),
    )


class TicketQueries(Queries):
    # -- drafts: what the applicant may pass on ----------------------------------------

    async def save_ticket_draft(
        self, user_id: int, chat_id: int, question: str, guess: str | None, now: datetime
    ) -> int:
        """Keep the applicant's latest unanswered question (only the latest); its id.

        A new random id each time (SQLite would reuse a deleted row's): a confirmation
        shown for an older question cannot send the newer one.
        """
        draft_id = secrets.randbits(DRAFT_ID_BITS) or 1
        async with self.db.transaction() as db:
            await ensure_user(db, user_id, chat_id, now)
            await db.execute("DELETE FROM ticket_drafts WHERE user_id = ?", (user_id,))
            await db.execute(
                "INSERT INTO ticket_drafts (id, user_id, question, guess, at) "
                "VALUES (?, ?, ?, ?, ?)",
                (draft_id, user_id, question, guess, to_epoch(now)),
            )
        return draft_id

    async def ticket_draft(self, user_id: int) -> TicketDraft | None:
        row = await self.db.fetch_one(
            "SELECT id, user_id, question, guess, at FROM ticket_drafts WHERE user_id = ?",
            (user_id,),
        )
        if row is None:
            return None
        return TicketDraft(int(row[0]), int(row[1]), str(row[2]), row[3], from_epoch(row[4]))

    async def drop_ticket_draft(self, user_id: int, draft_id: int) -> bool:
        async with self.db.transaction() as db:
            dropped = await db.execute(
                "DELETE FROM ticket_drafts WHERE id = ? AND user_id = ?", (draft_id, user_id)
            )
        return dropped > 0

    # -- tickets -------------------------------------------------------------------------

    async def open_ticket(
        self,
        user_id: int,
        draft_id: int,
        name: str | None,
        limit: int,
        staff_chat: int,
        word: Callable[[Ticket], str],
        now: datetime,
    ) -> Ticket | Refusal:
        """Turn the draft into a ticket and queue its post to the staff chat, at once."""
        async with self.db.transaction() as db:
            draft = await db.fetch_one(
                "SELECT question, guess FROM ticket_drafts WHERE id = ? AND user_id = ?",
                (draft_id, user_id),
            )
            if draft is None:
                return Refusal.GONE
            live = await db.fetch_one(
                f"SELECT count(*) FROM tickets WHERE user_id = ? AND {LIVE}",
                (user_id, *LIVE_VALUES),
            )
            if live is not None and int(live[0]) >= limit:
                return Refusal.TOO_MANY
            row = await db.fetch_one(
                "INSERT INTO tickets (user_id, chat_id, question, stage, guess, name, opened_at) "
                "SELECT user_id, chat_id, ?, stage, ?, ?, ? FROM users WHERE user_id = ? "
                "RETURNING *",
                (draft[0], draft[1], name, to_epoch(now), user_id),
            )
            if row is None:
                return Refusal.GONE
            ticket = ticket_row(row)
            await db.execute("DELETE FROM ticket_drafts WHERE id = ?", (draft_id,))
            await self._add_message(db, ticket.id, "applicant", None, ticket.question, now)
            await queue_ticket_message(db, ticket, Kind.TICKET, staff_chat, word(ticket), now)
        return ticket

    async def answer_ticket(
        self,
        ticket_id: int,
        staff_id: int,
        text: str,
        word: Callable[[Ticket], str],
        now: datetime,
    ) -> Ticket | None:
        """Record a staff answer and queue it to the applicant; None if the ticket is closed
        or gone."""
        async with self.db.transaction() as db:
            row = await db.fetch_one(
                "UPDATE tickets SET status = ?, answered_at = coalesce(answered_at, ?) "
                f"WHERE id = ? AND {LIVE} RETURNING *",
                (TicketStatus.ANSWERED.value, to_epoch(now), ticket_id, *LIVE_VALUES),
            )
            if row is None:
                return None
            ticket = ticket_row(row)
            await self._add_message(db, ticket.id, "staff", staff_id, text, now)
            await queue_ticket_message(db, ticket, Kind.ANSWER, ticket.chat_id, word(ticket), now)
            await add_audit(db, staff_id, "ticket answered", f"#{ticket.id}", now)
        return ticket

    async def add_to_ticket(
        self,
        ticket_id: int,
        user_id: int,
        text: str,
        staff_chat: int,
        word: Callable[[Ticket], str],
        now: datetime,
    ) -> Ticket | None:
        """The applicant adds to their open ticket; None if it is closed, gone or not theirs."""
        async with self.db.transaction() as db:
            row = await db.fetch_one(
                f"SELECT * FROM tickets WHERE id = ? AND user_id = ? AND {LIVE}",
                (ticket_id, user_id, *LIVE_VALUES),
            )
            if row is None:
                return None
            ticket = ticket_row(row)
            await self._add_message(db, ticket.id, "applicant", None, text, now)
            await queue_ticket_message(db, ticket, Kind.TICKET, staff_chat, word(ticket), now)
        return ticket

    async def close_ticket(self, ticket_id: int, staff_id: int, now: datetime) -> Ticket | None:
        """Close a live ticket; None if it was closed already or is gone."""
        async with self.db.transaction() as db:
            row = await db.fetch_one(
                "UPDATE tickets SET status = ?, closed_at = ?, closed_by = ? "
                f"WHERE id = ? AND {LIVE} RETURNING *",
                (TicketStatus.CLOSED.value, to_epoch(now), staff_id, ticket_id, *LIVE_VALUES),
            )
            if row is not None:
                await add_audit(db, staff_id, "ticket closed", f"#{ticket_id}", now)
        return ticket_row(row) if row is not None else None

    async def get_ticket(self, ticket_id: int) -> Ticket | None:
        row = await self.db.fetch_one("SELECT * FROM tickets WHERE id = ?", (ticket_id,))
        return ticket_row(row) if row is not None else None

    async def live_tickets(self, limit: int) -> list[Ticket]:
        """Open and answered tickets, oldest first."""
        rows = await self.db.fetch(
            f"SELECT * FROM tickets WHERE {LIVE} ORDER BY opened_at, id LIMIT ?",
            (*LIVE_VALUES, limit),
        )
        return [ticket_row(row) for row in rows]

    async def user_tickets(self, user_id: int) -> list[Ticket]:
        rows = await self.db.fetch(
            "SELECT * FROM tickets WHERE user_id = ? ORDER BY id", (user_id,)
        )
        return [ticket_row(row) for row in rows]

    async def ticket_thread(self, ticket_id: int) -> list[TicketMessage]:
        rows = await self.db.fetch(
            "SELECT author, text, at FROM ticket_messages WHERE ticket_id = ? ORDER BY at, id",
            (ticket_id,),
        )
        return [TicketMessage(str(r[0]), str(r[1]), from_epoch(r[2])) for r in rows]

    async def ticket_figures(self) -> TicketFigures:
        return await ticket_figures(self.db)

    async def purge_ticket_drafts(self, before: datetime) -> int:
        """Drafts are kept for a day at most: an unanswered question, with who asked it."""
        async with self.db.transaction() as db:
            return await db.execute("DELETE FROM ticket_drafts WHERE at < ?", (to_epoch(before),))

    async def _add_message(
        self,
        db: Connection,
        ticket_id: int,
        author: str,
        staff_id: int | None,
        text: str,
        now: datetime,
    ) -> None:
        await db.execute(
            "INSERT INTO ticket_messages (ticket_id, author, staff_id, text, at) "
            "VALUES (?, ?, ?, ?, ?)",
            (ticket_id, author, staff_id, text, to_epoch(now)),
        )

    # -- where applicants come from --------------------------------------------------

    async def count_start(self, source: str, now: datetime) -> None:
        """One more /start through a link with ``source``; no one's id is kept."""
        async with self.db.transaction() as db:
            await db.execute(
                "INSERT INTO start_sources (source, starts, first_at, last_at) "
                "VALUES (?, 1, ?, ?) ON CONFLICT (source) DO UPDATE SET "
                "starts = start_sources.starts + 1, last_at = excluded.last_at",
                (source, to_epoch(now), to_epoch(now)),
            )

    async def start_sources(self) -> list[tuple[str, int]]:
        return await start_sources(self.db)
