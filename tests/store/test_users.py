"""Users: recorded on every update, paused when they block the bot, deleted on request."""

from __future__ import annotations

from datetime import timedelta

from bot.store import SqlStore, Status
from tests.store.helpers import NOW, add, claimant, new, status

# -- users ----------------------------------------------------------------------------


async def test_touch_user_creates_then_updates(store: SqlStore) -> None:
    seen = await store.touch_user(1, 101, NOW)
    user = seen.user
    assert seen.resumed == 0
    assert (user.user_id, user.chat_id, user.active) == (1, 101, True)
    assert user.created_at == user.last_seen_at == NOW
    assert user.timezone is None
    assert user.stage is None
    later = NOW + timedelta(hours=1)
    user = (await store.touch_user(1, 102, later)).user
    assert (user.chat_id, user.created_at, user.last_seen_at) == (102, NOW, later)


async def test_get_user_unknown(store: SqlStore) -> None:
    assert await store.get_user(42) is None


async def test_mark_inactive_pauses_and_touch_user_resumes(store: SqlStore) -> None:
    ids = await add(
        store,
        new(1, NOW - timedelta(minutes=1)),
        new(1, NOW + timedelta(days=1)),
        new(1, NOW + timedelta(days=2)),
        new(2, NOW + timedelta(days=1)),
    )
    await store.claim_due("w", NOW, 10)  # the first is in flight
    assert await store.cancel(1, ids[2])
    assert await store.mark_inactive(1) == 2
    user = await store.get_user(1)
    assert user is not None
    assert not user.active
    assert [await status(store, i) for i in ids] == [
        Status.PAUSED,
        Status.PAUSED,
        Status.CANCELLED,
        Status.PENDING,
    ]
    assert await claimant(store, ids[0]) is None

    seen = await store.touch_user(1, 101, NOW + timedelta(hours=1))
    user = seen.user
    assert seen.resumed == 2
    assert user.active
    assert [await status(store, i) for i in ids[:3]] == [
        Status.PENDING,
        Status.PENDING,
        Status.CANCELLED,
    ]
    # Writing again when already active resumes nothing.
    assert (await store.touch_user(1, 101, NOW + timedelta(hours=2))).resumed == 0


async def test_set_timezone_moves_only_given_reminders(store: SqlStore) -> None:
    a, b = await add(store, new(due=NOW + timedelta(days=1)), new(due=NOW + timedelta(days=2)))
    moved_to = NOW + timedelta(days=1, hours=3)
    await store.set_timezone(1, "Asia/Tokyo", [(a, moved_to)])
    user = await store.get_user(1)
    assert user is not None
    assert user.timezone == "Asia/Tokyo"
    first, second = await store.user_reminders(1)
    assert (first.id, first.due_at, first.run_at, first.timezone) == (
        a,
        moved_to,
        moved_to,
        "Asia/Tokyo",
    )
    assert (second.id, second.due_at, second.timezone) == (
        b,
        NOW + timedelta(days=2),
        "Asia/Tokyo",
    )


async def test_delete_user_cascades(store: SqlStore) -> None:
    await add(store, new(1), new(1, NOW + timedelta(days=1)), new(2))
    assert await store.delete_user(1)
    assert await store.get_user(1) is None
    rows = await store.fetch("SELECT user_id FROM reminders")
    assert [row[0] for row in rows] == [2]
    assert not await store.delete_user(1)
