"""The only place with SQL: the Store interface, its rows, and its SQL implementation."""

from __future__ import annotations

from bot.store.db import StoreError, StoreUnavailable
from bot.store.desk_rows import (
    ApplyRefusal,
    KbDraft,
    KbVersion,
    Refusal,
    Suggestion,
    Ticket,
    TicketDraft,
    TicketMessage,
    TicketStatus,
)
from bot.store.interface import Store
from bot.store.rows import (
    OPEN_STATUSES,
    AuditEntry,
    BroadcastReport,
    Census,
    Draft,
    Kind,
    NewReminder,
    QuestionRecord,
    Reminder,
    Seen,
    Stats,
    Status,
    TicketFigures,
    User,
)
from bot.store.sql import SqlStore, open_postgres, open_sqlite, open_store
from bot.store.sqlite import probe_sqlite

__all__ = [
    "OPEN_STATUSES",
    "ApplyRefusal",
    "AuditEntry",
    "BroadcastReport",
    "Census",
    "Draft",
    "KbDraft",
    "KbVersion",
    "Kind",
    "NewReminder",
    "QuestionRecord",
    "Refusal",
    "Reminder",
    "Seen",
    "SqlStore",
    "Stats",
    "Status",
    "Store",
    "StoreError",
    "StoreUnavailable",
    "Suggestion",
    "Ticket",
    "TicketDraft",
    "TicketFigures",
    "TicketMessage",
    "TicketStatus",
    "User",
    "open_postgres",
    "open_sqlite",
    "open_store",
    "probe_sqlite",
]
