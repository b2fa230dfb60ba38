"""Rows of the help desk and of the knowledge base's versions, as the store hands them back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class TicketStatus(StrEnum):
    OPEN = "open"  # waiting for staff
    ANSWERED = "answered"  # staff answered at least once; the thread goes on until closed
    CLOSED = "closed"


LIVE_TICKET = (TicketStatus.OPEN, TicketStatus.ANSWERED)


@dataclass(frozen=True, slots=True)
class TicketDraft:
    """The last question the bot could not answer for an applicant, ready to pass on."""

    id: int
    user_id: int
    question: str
    guess: str | None
    at: datetime


@dataclass(frozen=True, slots=True)
class Ticket:
    id: int
    user_id: int
    chat_id: int
    question: str
    stage: str | None  # the applicant's stage when they asked
    guess: str | None  # the topic the bot thought closest
    name: str | None  # only when the applicant chose to share it
    status: TicketStatus
    opened_at: datetime
    answered_at: datetime | None  # the first answer
    closed_at: datetime | None


@dataclass(frozen=True, slots=True)
class TicketMessage:
    author: str  # "applicant" or "staff"
    text: str
    at: datetime


class Refusal(StrEnum):
    """Why a ticket was not opened."""

    GONE = "gone"  # the draft was replaced, sent already, or deleted
    TOO_MANY = "too_many"  # the applicant has the most open tickets allowed


@dataclass(frozen=True, slots=True)
class KbVersion:
    """One applied knowledge base: its number, and its files (None: the deployment's own)."""

    number: int
    action: str
    note: str
    staff_id: int
    applied_at: datetime
    files: dict[str, str] | None = None


@dataclass(frozen=True, slots=True)
class KbDraft:
    """A knowledge base change awaiting Confirm, against the version ``base``."""

    id: int
    base: int
    staff_id: int
    action: str
    note: str
    files: dict[str, str] | None
    label: tuple[str, str] | None  # (question, topic) joining the regression set on apply
    status: str


class ApplyRefusal(StrEnum):
    DONE = "done"  # already applied or cancelled
    STALE = "stale"  # another version went live since the preview


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A question staff may turn into knowledge: the topics offered, the answer if any."""

    id: int
    question: str
    answer: str | None
    candidates: tuple[str, ...]
    ticket_id: int | None
