"""Every store test runs on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import pytest

from bot.store import SqlStore


@pytest.fixture
def store(backend_store: SqlStore) -> SqlStore:
    return backend_store
