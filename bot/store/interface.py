"""The store as the core sees it: every query the bot makes, as a method.

The core depends on this Protocol only; ``bot/store/sql.py`` implements it on
SQLite. No SQL, and no type of a database driver, crosses this line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Protocol

from bot.store.desk_rows import (
    ApplyRefusal,
    KbDraft,
    KbVersion,
    Refusal,
    Suggestion,
    Ticket,
    TicketDraft,
    TicketMessage,
)
from bot.store.rows import (
    OPEN_STATUSES,
    AuditEntry,
    BroadcastReport,
    Census,
    Dialog,
    Draft,
    NewReminder,
    QuestionRecord,
    Reminder,
    Seen,
    Stats,
    Status,
    TicketFigures,
    User,
)


class Store(Protocol):
    """Applicants, their reminders, the outbox, and what staff see."""

    created: bool  # opening it created an empty database

    @property
    def backend(self) -> str:
        """Which backend: "sqlite" or "postgresql"."""
        ...

    @property
    def location(self) -> str:
        """Where it is, for people: a path, or a URL without its password."""
        ...

    async def close(self) -> None: ...

    async def verify(self) -> str | None:
        """Why the database can no longer be trusted (its file deleted or replaced)."""
        ...

    # -- users ---------------------------------------------------------------------

    async def touch_user(self, user_id: int, chat_id: int, now: datetime) -> Seen:
        """Record that the user wrote; resume one who had blocked the bot."""
        ...

    async def get_user(self, user_id: int) -> User | None: ...

    async def set_timezone(
        self, user_id: int, zone: str, moved: Iterable[tuple[int, datetime]] = ()
    ) -> None:
        """Set the zone; move the listed reminders to their new UTC times."""
        ...

    async def set_stage(
        self,
        user_id: int,
        stage: str,
        stage_at: datetime | None,
        stage_local: str | None,
        reminders: Sequence[NewReminder],
        now: datetime,
    ) -> list[int]:
        """Set stage and date; a new date moves the stage's open default reminders in
        place (their numbers stay), cancels those no longer planned, adds new ones."""
        ...

    async def set_default_reminders(self, user_id: int, on: bool) -> None:
        """Whether setting a stage date schedules the stage's default reminders."""
        ...

    async def mark_inactive(self, user_id: int) -> int:
        """The user blocked the bot: pause their reminders; how many."""
        ...

    async def delete_user(self, user_id: int) -> bool: ...

    # -- reminders -------------------------------------------------------------------

    async def add_reminders(
        self, reminders: Sequence[NewReminder], now: datetime
    ) -> list[int]: ...

    async def get_reminder(self, reminder_id: int) -> Reminder | None: ...

    async def user_reminders(
        self, user_id: int, statuses: Sequence[Status] = OPEN_STATUSES
    ) -> list[Reminder]: ...

    async def user_deliveries(self, user_id: int) -> dict[str, int]: ...

    async def cancel(self, user_id: int, reminder_id: int) -> bool: ...

    async def count_reminders(
        self, user_id: int, statuses: Sequence[Status] = OPEN_STATUSES
    ) -> int:
        """How many of the user's own reminders are in these statuses."""
        ...

    async def cancel_number(self, user_id: int, number: int) -> Reminder | None:
        """Cancel the user's open reminder shown as #``number``; None if there is none."""
        ...

    # -- the outbox --------------------------------------------------------------------

    async def notify_staff(self, staff_ids: Sequence[int], text: str, now: datetime) -> None: ...

    async def claim_due(self, worker: str, now: datetime, limit: int) -> list[Reminder]:
        """Take up to ``limit`` due rows for ``worker``, at most one per chat."""
        ...

    async def due_ids(self, now: datetime, limit: int) -> list[int]: ...

    async def holds_claim(self, reminder_id: int, worker: str) -> bool: ...

    async def mark_sent(self, reminder_id: int, worker: str, now: datetime) -> bool: ...

    async def retry_later(
        self, reminder_id: int, worker: str, run_at: datetime, error: str, *, counts: bool = True
    ) -> bool: ...

    async def mark_failed(self, reminder_id: int, worker: str, error: str) -> bool: ...

    async def heartbeat(self, worker: str, now: datetime) -> None: ...

    async def release(self, worker: str) -> int: ...

    async def reclaim_stale(self, now: datetime, stale_after: int) -> int: ...

    async def next_run_at(self) -> datetime | None: ...

    # -- staff -------------------------------------------------------------------------

    async def audit(self, staff_id: int, action: str, detail: str, now: datetime) -> None: ...

    async def audit_log(self, limit: int = 50) -> list[AuditEntry]: ...

    async def draft_broadcast(
        self, staff_id: int, stage: str | None, text: str, now: datetime
    ) -> Draft: ...

    async def confirm_broadcast(
        self, broadcast_id: int, staff_id: int, now: datetime
    ) -> int | None: ...

    async def cancel_broadcast(self, broadcast_id: int, staff_id: int, now: datetime) -> bool: ...

    async def finish_broadcasts(
        self, now: datetime, report_text: Callable[[BroadcastReport], str]
    ) -> list[BroadcastReport]: ...

    async def announced(self) -> set[str]: ...

    async def release_announcement(
        self, ident: str, stage: str | None, text: str, now: datetime, *, skip: bool
    ) -> int | None: ...

    async def record_question(self, record: QuestionRecord) -> None: ...

    async def record_vote(self, topic: str, helpful: bool, voter: str, now: datetime) -> bool: ...

    async def purge_question_text(self, before: datetime) -> int: ...

    async def unanswered_texts(self, limit: int) -> list[tuple[str, str | None]]: ...

    async def stats(self, now: datetime) -> Stats: ...

    # -- conversation memory -------------------------------------------------------------

    async def load_context(self, chat: str) -> tuple[str, datetime] | None: ...

    async def save_context(self, chat: str, context: str | None, now: datetime) -> None:
        """Remember the chat's context (a JSON text); None forgets it."""
        ...

    async def forget_contexts(self, before: datetime) -> int: ...

    # -- guided commands: the step each user's dialog waits at ---------------------------

    async def load_dialog(self, user_id: int) -> Dialog | None: ...

    async def save_dialog(self, dialog: Dialog) -> None:
        """Start or move on the user's dialog: one per user, the newest wins."""
        ...

    async def end_dialog(self, user_id: int) -> bool:
        """Drop the user's step in progress; whether there was one."""
        ...

    # -- instances ------------------------------------------------------------------------

    async def acquire_lease(
        self, name: str, holder: str, now: datetime, duration: timedelta
    ) -> str | None:
        """Take or renew a lease; None when ``holder`` has it, else who does."""
        ...

    async def release_lease(self, name: str, holder: str) -> None: ...

    async def census(self) -> Census: ...

    async def last_heartbeat(self) -> datetime | None: ...

    # -- the shared sending budget ----------------------------------------------------

    async def book_send_slot(self, spacing: float, push: bool, lead: float) -> float | None:
        """Seconds to wait for the next send slot; None when a push should yield."""
        ...

    async def book_chat_slot(self, chat_id: int, interval: float) -> float:
        """Seconds to wait for the chat's next turn."""
        ...

    async def pause_sending(self, seconds: float) -> None: ...

    # -- the help desk (bot/store/tickets.py) --------------------------------------------

    async def save_ticket_draft(
        self, user_id: int, chat_id: int, question: str, guess: str | None, now: datetime
    ) -> int:
        """Keep the applicant's latest unanswered question, replacing any older one."""
        ...

    async def ticket_draft(self, user_id: int) -> TicketDraft | None: ...

    async def drop_ticket_draft(self, user_id: int, draft_id: int) -> bool: ...

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
        """The draft becomes a ticket; its post to the staff chat is queued with it."""
        ...

    async def answer_ticket(
        self,
        ticket_id: int,
        staff_id: int,
        text: str,
        word: Callable[[Ticket], str],
        now: datetime,
    ) -> Ticket | None:
        """A staff answer, queued to the applicant; None when the ticket is closed or gone."""
        ...

    async def add_to_ticket(
        self,
        ticket_id: int,
        user_id: int,
        text: str,
        staff_chat: int,
        word: Callable[[Ticket], str],
        now: datetime,
    ) -> Ticket | None: ...

    async def close_ticket(
        self, ticket_id: int, staff_id: int, now: datetime
    ) -> Ticket | None: ...

    async def get_ticket(self, ticket_id: int) -> Ticket | None: ...

    async def live_tickets(self, limit: int) -> list[Ticket]: ...

    async def user_tickets(self, user_id: int) -> list[Ticket]: ...

    async def ticket_thread(self, ticket_id: int) -> list[TicketMessage]: ...

    async def ticket_figures(self) -> TicketFigures: ...

    async def purge_ticket_drafts(self, before: datetime) -> int: ...

    async def count_start(self, source: str, now: datetime) -> None: ...

    async def start_sources(self) -> list[tuple[str, int]]: ...

    # -- knowledge base versions (bot/store/knowledge.py) ---------------------------------

    async def latest_kb_number(self) -> int:
        """The newest applied version; 0 when none (the deployment's files serve)."""
        ...

    async def kb_version(self, number: int) -> KbVersion | None: ...

    async def kb_versions(self, limit: int) -> list[KbVersion]: ...

    async def draft_kb(
        self,
        staff_id: int,
        base: int,
        action: str,
        note: str,
        files: dict[str, str] | None,
        label: tuple[str, str] | None,
        now: datetime,
    ) -> int: ...

    async def kb_draft(self, draft_id: int) -> KbDraft | None: ...

    async def apply_kb(self, draft_id: int, staff_id: int, now: datetime) -> int | ApplyRefusal:
        """The previewed change becomes the newest version, once, if nothing else went live."""
        ...

    async def cancel_kb(self, draft_id: int, staff_id: int, now: datetime) -> bool: ...

    async def add_kb_version(
        self, staff_id: int, action: str, note: str, files: dict[str, str] | None, now: datetime
    ) -> int: ...

    async def purge_kb_drafts(self, before: datetime) -> int: ...

    async def labelled_questions(self) -> list[tuple[str, str | None]]: ...

    async def label_question(
        self, question: str, topic: str | None, origin: str, staff_id: int, now: datetime
    ) -> None: ...

    async def add_suggestion(
        self,
        question: str,
        answer: str | None,
        candidates: tuple[str, ...],
        ticket_id: int | None,
        now: datetime,
    ) -> int: ...

    async def suggestion(self, suggestion_id: int) -> Suggestion | None: ...

    async def purge_suggestions(self, before: datetime) -> int: ...
