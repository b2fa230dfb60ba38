"""The only place with SQL: the Store interface, its rows, and its SQL implementation."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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
    Dialog,
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

if TYPE_CHECKING:
    from bot.store.sql import SqlStore, open_postgres, open_sqlite, open_store
    from bot.store.sqlite import probe_sqlite

# The database drivers load on first use: answering a question from the command
# line needs the rows and errors above, not SQLite's or PostgreSQL's code.
_LAZY = {
    "SqlStore": "bot.store.sql",
    "open_postgres": "bot.store.sql",
    "open_sqlite": "bot.store.sql",
    "open_store": "bot.store.sql",
    "probe_sqlite": "bot.store.sqlite",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'bot.store' has no attribute {name!r}")


__all__ = [
    "OPEN_STATUSES",
    "ApplyRefusal",
    "AuditEntry",
    "BroadcastReport",
    "Census",
    "Dialog",
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
