"""The only place with SQL: the Store interface, its rows, and its SQL implementation."""

from __future__ import annotations

from bot.store.db import StoreError, probe_sqlite
from bot.store.interface import Store
from bot.store.rows import (
    OPEN_STATUSES,
    AuditEntry,
    BroadcastReport,
    Draft,
    Kind,
    NewReminder,
    QuestionRecord,
    Reminder,
    Seen,
    Stats,
    Status,
    User,
)
from bot.store.sql import SqlStore, open_sqlite

__all__ = [
    "OPEN_STATUSES",
    "AuditEntry",
    "BroadcastReport",
    "Draft",
    "Kind",
    "NewReminder",
    "QuestionRecord",
    "Reminder",
    "Seen",
    "SqlStore",
    "Stats",
    "Status",
    "Store",
    "StoreError",
    "User",
    "open_sqlite",
    "probe_sqlite",
]
