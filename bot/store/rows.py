"""What the store hands back: plain frozen rows, with aware UTC datetimes.

Nothing here knows which database holds them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Status(StrEnum):
    PENDING = "pending"  # waiting for run_at
    SENDING = "sending"  # claimed by a worker, send in flight
    SENT = "sent"
    FAILED = "failed"  # gave up after bounded retries; kept and shown
    PAUSED = "paused"  # the user blocked the bot; resumes when they write again
    BLOCKED = "blocked"  # an announcement or notice the user blocked: not sent later
    CANCELLED = "cancelled"


class Kind(StrEnum):
    REMINDER = "reminder"  # the user's own: /remind, stage defaults, snoozes
    BROADCAST = "broadcast"  # an announcement from staff (or the knowledge base)
    NOTICE = "notice"  # a message to staff: a broadcast report, a failed reload
    # Help-desk messages, their text already worded (HTML) when queued:
    TICKET = "ticket"  # to the staff chat: a ticket or an applicant's addition to it
    ANSWER = "answer"  # to an applicant: the office's answer to their ticket


OPEN_STATUSES = (Status.PENDING, Status.SENDING, Status.PAUSED, Status.FAILED)


@dataclass(frozen=True, slots=True)
class User:
    user_id: int
    chat_id: int
    timezone: str | None
    stage: str | None
    stage_at: datetime | None
    stage_local: str | None
    active: bool
    created_at: datetime
    last_seen_at: datetime
    default_reminders: bool = True  # schedule a stage's default reminders (/settings)


@dataclass(frozen=True, slots=True)
class Seen:
    """A user as recorded for an update, and what coming back resumed."""

    user: User
    resumed: int  # reminders resumed because the user had blocked the bot and came back


@dataclass(frozen=True, slots=True)
class Reminder:
    """One row of the outbox: a reminder, an announcement delivery or a staff notice."""

    id: int
    user_id: int
    chat_id: int
    text: str
    due_at: datetime
    local_time: str | None
    timezone: str
    stage: str | None
    status: Status
    run_at: datetime
    attempts: int
    sent_at: datetime | None
    last_error: str | None
    kind: Kind = Kind.REMINDER
    broadcast_id: int | None = None
    number: int | None = None  # what the user sees (#3): per user, never changes
    slot: int | None = None  # a stage default reminder's place in its stage's list

    @property
    def shown(self) -> int:
        """The number to show: rows from before numbering fall back to their id."""
        return self.number if self.number is not None else self.id

    ticket_id: int | None = None


@dataclass(frozen=True, slots=True)
class NewReminder:
    user_id: int
    chat_id: int
    text: str
    due_at: datetime
    timezone: str
    local_time: str | None = None  # "YYYY-MM-DD HH:MM" in the user's zone, for wall-clock ones
    stage: str | None = None
    kind: Kind = Kind.REMINDER
    broadcast_id: int | None = None
    slot: int | None = None  # a stage default reminder's place in its stage's list


@dataclass(frozen=True, slots=True)
class Dialog:
    """The step a guided command waits at: what it has collected so far, as JSON."""

    user_id: int
    command: str
    step: str
    data: str
    started_at: datetime


@dataclass(frozen=True, slots=True)
class Draft:
    """A broadcast awaiting confirmation, with how many it would reach now."""

    id: int
    stage: str | None
    text: str
    recipients: int


@dataclass(frozen=True, slots=True)
class BroadcastReport:
    """How a finished broadcast went."""

    broadcast_id: int
    staff_id: int
    sent: int
    blocked: int
    failed: int


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: datetime
    staff_id: int
    action: str
    detail: str


@dataclass(frozen=True, slots=True)
class QuestionRecord:
    """One question as the insights keep it: no user id, text only when unanswered."""

    asked_at: datetime
    outcome: str
    topic: str | None
    score: float
    text: str | None


@dataclass(frozen=True, slots=True)
class Stats:
    users: int
    active_7d: int
    blocked: int
    per_stage: list[tuple[str, int]]
    questions_24h: int
    questions_7d: int
    outcomes_7d: dict[str, int]
    top_topics_7d: list[tuple[str, int]]
    votes: list[tuple[str, int, int]]  # topic, helpful, not helpful
    reminders: dict[str, int] = field(default_factory=dict)
    tickets: TicketFigures = field(default_factory=lambda: TicketFigures(0, 0, None))
    sources: list[tuple[str, int]] = field(default_factory=list)  # /start <source> counts


@dataclass(frozen=True, slots=True)
class TicketFigures:
    opened: int
    answered: int
    median_first_answer: float | None  # seconds from opening to the first answer


@dataclass(frozen=True, slots=True)
class Census:
    users: int
    pending: int  # outbox rows not yet delivered
    last_heartbeat: datetime | None  # the freshest sign of life of any push sender
