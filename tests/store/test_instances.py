"""Leases (one poller per token) and the census, on both backends."""

from __future__ import annotations

from datetime import timedelta

from bot.store import NewReminder, SqlStore
from tests.store.helpers import NOW

MINUTE = timedelta(minutes=1)


async def test_a_lease_is_held_renewed_and_refused_to_others(store: SqlStore) -> None:
    assert await store.acquire_lease("polling", "a", NOW, MINUTE) is None
    assert await store.acquire_lease("polling", "b", NOW + timedelta(seconds=30), MINUTE) == "a"
    assert await store.acquire_lease("polling", "a", NOW + timedelta(seconds=50), MINUTE) is None
    # Renewed at :50, so it still holds at 1:30.
    assert await store.acquire_lease("polling", "b", NOW + timedelta(seconds=90), MINUTE) == "a"


async def test_an_expired_lease_passes_to_the_next(store: SqlStore) -> None:
    await store.acquire_lease("polling", "a", NOW, MINUTE)
    assert await store.acquire_lease("polling", "b", NOW + 2 * MINUTE, MINUTE) is None
    assert await store.acquire_lease("polling", "a", NOW + 2 * MINUTE, MINUTE) == "b"


async def test_a_released_lease_is_free_at_once(store: SqlStore) -> None:
    await store.acquire_lease("polling", "a", NOW, MINUTE)
    await store.release_lease("polling", "b")  # not theirs: nothing happens
    assert await store.acquire_lease("polling", "b", NOW, MINUTE) == "a"
    await store.release_lease("polling", "a")
    assert await store.acquire_lease("polling", "b", NOW, MINUTE) is None


async def test_leases_of_different_names_are_independent(store: SqlStore) -> None:
    assert await store.acquire_lease("polling", "a", NOW, MINUTE) is None
    assert await store.acquire_lease("other", "b", NOW, MINUTE) is None


async def test_census_counts_users_pending_and_heartbeats(store: SqlStore) -> None:
    empty = await store.census()
    assert (empty.users, empty.pending, empty.last_heartbeat) == (0, 0, None)
    await store.touch_user(1, 1, NOW)
    await store.touch_user(2, 2, NOW)
    await store.add_reminders([NewReminder(1, 1, "x", NOW, "UTC")] * 3, NOW)
    await store.heartbeat("w", NOW)
    census = await store.census()
    assert (census.users, census.pending, census.last_heartbeat) == (2, 3, NOW)


async def test_a_new_database_says_it_was_created(store: SqlStore) -> None:
    assert store.created
    await store.migrate()
    assert store.created  # still: this process made it
