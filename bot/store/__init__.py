"""The only place with SQL: the Store interface, its rows, and its SQL implementation."""

from __future__ import annotations

from bot.store.db import StoreError, StoreUnavailable
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
    User,
)
from bot.store.sql import SqlStore, open_postgres, open_sqlite, open_store
from bot.store.sqlite import probe_sqlite

__all__ = [
    "OPEN_STATUSES",
    "AuditEntry",
    "BroadcastReport",
    "Census",
    "Dialog",
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
    "StoreUnavailable",
    "User",
    "open_postgres",
    "open_sqlite",
    "open_store",
    "probe_sqlite",
]
