"""The outbox: claim, send, mark; heartbeats; dead workers' claims taken back."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

import aiosqlite
import pytest

from bot.store import SqlStore, Status
from tests.conftest import Connect
from tests.store.helpers import NOW, add, claimant, new, status


async def test_due_query_uses_partial_index(
    sqlite_store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = sqlite_store  # SQLite's plan; PostgreSQL's planner chooses by table size
    await add(store, *(new(10 + i, due=NOW + timedelta(minutes=i)) for i in range(-5, 5)))
    queries: list[tuple[str, tuple[object, ...]]] = []
    fetch = store.db.fetch

    async def recording(sql: str, params: tuple[object, ...] = ()) -> list[aiosqlite.Row]:
        queries.append((sql, tuple(params)))
        return await fetch(sql, params)

    monkeypatch.setattr(store.db, "fetch", recording)
    assert len(await store.due_ids(NOW, 100)) == 6
    [(sql, params)] = queries
    plan = await fetch(f"EXPLAIN QUERY PLAN {sql}", params)
    details = " ".join(row["detail"] for row in plan)
    assert "reminders_to_send" in details


# -- claim, send, mark ----------------------------------------------------------------


async def test_claim_due_takes_only_pending_and_due_oldest_first(store: SqlStore) -> None:
    ids = await add(
        store,
        new(1, due=NOW - timedelta(minutes=1)),  # 0 due
        new(2, due=NOW + timedelta(seconds=1)),  # 1 not yet due
        new(3, due=NOW - timedelta(hours=2)),  # 2 due, oldest
        new(4, due=NOW),  # 3 due exactly now
        new(5, due=NOW - timedelta(hours=1)),  # 4 due, cancelled
    )
    await store.cancel(5, ids[4])
    assert await store.due_ids(NOW, 10) == [ids[2], ids[0], ids[3]]
    claimed = await store.claim_due("w", NOW, 2)
    assert [r.id for r in claimed] == [ids[2], ids[0]]
    assert all(r.status is Status.SENDING and r.attempts == 1 for r in claimed)
    assert [await claimant(store, r.id) for r in claimed] == ["w", "w"]
    assert [r.id for r in await store.claim_due("w", NOW, 2)] == [ids[3]]
    assert await store.claim_due("w", NOW, 2) == []
    assert await status(store, ids[1]) is Status.PENDING
    assert await status(store, ids[4]) is Status.CANCELLED
    assert [r.id for r in await store.claim_due("w", NOW + timedelta(seconds=1), 2)] == [ids[1]]


async def test_claim_due_takes_one_per_chat_so_a_backlog_waits_its_turn(
    store: SqlStore,
) -> None:
    backlog = await add(store, *(new(1, due=NOW - timedelta(minutes=m)) for m in (3, 2, 1)))
    [other] = await add(store, new(2, due=NOW))
    first = await store.claim_due("w", NOW, 10)
    assert [r.id for r in first] == [backlog[0], other]
    assert [r.id for r in await store.claim_due("w", NOW, 10)] == [backlog[1]]
    assert [r.id for r in await store.claim_due("w", NOW, 10)] == [backlog[2]]


async def test_claim_due_increments_attempts_each_time(store: SqlStore) -> None:
    [reminder_id] = await add(store, new())
    for attempt in (1, 2, 3):
        [claimed] = await store.claim_due("w", NOW, 10)
        assert claimed.attempts == attempt
        assert await store.retry_later(reminder_id, "w", NOW, "boom")


async def test_next_run_at(store: SqlStore) -> None:
    assert await store.next_run_at() is None
    await add(store, new(due=NOW + timedelta(hours=2)), new(due=NOW + timedelta(hours=1)))
    assert await store.next_run_at() == NOW + timedelta(hours=1)


async def test_concurrent_claims_on_one_connection_never_overlap(store: SqlStore) -> None:
    ids = await add(store, *(new(i % 3 + 1, NOW - timedelta(seconds=i)) for i in range(30)))
    seen: list[int] = []
    while True:
        first, second = await asyncio.gather(
            store.claim_due("a", NOW, 4), store.claim_due("b", NOW, 4)
        )
        if not first and not second:
            break
        assert not {r.id for r in first} & {r.id for r in second}
        seen += [r.id for r in first + second]
    assert sorted(seen) == sorted(ids)


async def test_concurrent_claims_on_two_connections_never_overlap(connect: Connect) -> None:
    one, two = await connect(), await connect()
    ids = await add(one, *(new(i % 3 + 1, NOW - timedelta(seconds=i)) for i in range(40)))
    claims: dict[str, list[int]] = {"a": [], "b": []}

    async def worker(store: SqlStore, name: str) -> None:
        while claimed := await store.claim_due(name, NOW, 3):
            claims[name] += [r.id for r in claimed]
            await asyncio.sleep(0)

    await asyncio.gather(worker(one, "a"), worker(two, "b"))
    assert not set(claims["a"]) & set(claims["b"])
    assert sorted(claims["a"] + claims["b"]) == sorted(ids)
    rows = await two.fetch("SELECT claimed_by, count(*) FROM reminders GROUP BY claimed_by")
    assert {row[0]: row[1] for row in rows} == {
        name: len(got) for name, got in claims.items() if got
    }


async def test_mark_sent(store: SqlStore) -> None:
    [reminder_id] = await add(store, new())
    await store.claim_due("w", NOW, 10)
    sent_at = NOW + timedelta(seconds=3)
    assert await store.mark_sent(reminder_id, "w", sent_at)
    reminder = await store.get_reminder(reminder_id)
    assert reminder is not None
    assert (reminder.status, reminder.sent_at, reminder.attempts) == (Status.SENT, sent_at, 1)
    assert await claimant(store, reminder_id) is None
    # Settled once: a second mark does nothing.
    assert not await store.mark_sent(reminder_id, "w", sent_at)


async def test_retry_later(store: SqlStore) -> None:
    [reminder_id] = await add(store, new())
    await store.claim_due("w", NOW, 10)
    retry_at = NOW + timedelta(minutes=5)
    assert await store.retry_later(reminder_id, "w", retry_at, "error: 502")
    reminder = await store.get_reminder(reminder_id)
    assert reminder is not None
    assert (reminder.status, reminder.run_at, reminder.due_at) == (Status.PENDING, retry_at, NOW)
    assert (reminder.attempts, reminder.last_error) == (1, "error: 502")
    assert await claimant(store, reminder_id) is None
    assert await store.claim_due("w", NOW + timedelta(minutes=4), 10) == []
    assert len(await store.claim_due("w", retry_at, 10)) == 1


async def test_retry_later_without_counting_is_no_attempt(store: SqlStore) -> None:
    [reminder_id] = await add(store, new())
    for _ in range(3):
        await store.claim_due("w", NOW, 10)
        assert await store.retry_later(reminder_id, "w", NOW, "flood wait", counts=False)
    reminder = await store.get_reminder(reminder_id)
    assert reminder is not None
    assert reminder.attempts == 0
    assert reminder.last_error == "flood wait"


async def test_mark_failed_keeps_reminder_visible(store: SqlStore) -> None:
    [reminder_id] = await add(store, new())
    await store.claim_due("w", NOW, 10)
    assert await store.mark_failed(reminder_id, "w", "rejected: bad request")
    [reminder] = await store.user_reminders(1)
    assert (reminder.id, reminder.status, reminder.last_error) == (
        reminder_id,
        Status.FAILED,
        "rejected: bad request",
    )
    assert await store.claim_due("w", NOW + timedelta(days=1), 10) == []


@pytest.mark.parametrize("action", ["sent", "retry", "retry_free", "failed"])
async def test_only_the_claim_holder_settles(store: SqlStore, action: str) -> None:
    [reminder_id] = await add(store, new())
    await store.claim_due("a", NOW, 10)
    before = await store.get_reminder(reminder_id)
    settle = {
        "sent": lambda worker: store.mark_sent(reminder_id, worker, NOW),
        "retry": lambda worker: store.retry_later(reminder_id, worker, NOW, "e"),
        "retry_free": lambda worker: store.retry_later(
            reminder_id, worker, NOW, "e", counts=False
        ),
        "failed": lambda worker: store.mark_failed(reminder_id, worker, "e"),
    }[action]
    assert not await settle("b")
    assert await store.get_reminder(reminder_id) == before
    assert await claimant(store, reminder_id) == "a"
    assert await settle("a")
    assert await status(store, reminder_id) is not Status.SENDING


async def test_settling_unclaimed_reminder_does_nothing(store: SqlStore) -> None:
    [reminder_id] = await add(store, new())
    assert not await store.mark_sent(reminder_id, "a", NOW)
    assert not await store.mark_failed(reminder_id, "a", "e")
    assert await status(store, reminder_id) is Status.PENDING


async def test_reclaim_stale_takes_back_only_dead_workers_claims(store: SqlStore) -> None:
    dead_one, live_one = await add(store, new(1), new(2))
    await store.heartbeat("dead", NOW - timedelta(seconds=60))
    await store.heartbeat("live", NOW - timedelta(seconds=5))
    await store.claim_due("dead", NOW, 1)
    await store.claim_due("live", NOW, 1)
    assert await store.reclaim_stale(NOW, 10) == 1
    assert (await status(store, dead_one), await claimant(store, dead_one)) == (
        Status.PENDING,
        None,
    )
    assert (await status(store, live_one), await claimant(store, live_one)) == (
        Status.SENDING,
        "live",
    )
    workers = [row[0] for row in await store.fetch("SELECT id FROM workers")]
    assert workers == ["live"]
    # The dead worker coming back cannot settle what it lost.
    assert not await store.mark_sent(dead_one, "dead", NOW)
    assert await store.mark_sent(live_one, "live", NOW)
    assert await store.reclaim_stale(NOW, 10) == 0


async def test_reclaim_stale_takes_back_claims_of_worker_never_seen(store: SqlStore) -> None:
    [reminder_id] = await add(store, new())
    await store.claim_due("ghost", NOW, 10)
    assert await store.reclaim_stale(NOW, 10) == 1
    assert await status(store, reminder_id) is Status.PENDING


async def test_heartbeat_updates(store: SqlStore) -> None:
    await store.heartbeat("w", NOW - timedelta(seconds=60))
    await store.heartbeat("w", NOW)
    [claimed] = await add(store, new())
    await store.claim_due("w", NOW, 10)
    assert await store.reclaim_stale(NOW + timedelta(seconds=10), 10) == 0
    assert await store.reclaim_stale(NOW + timedelta(seconds=11), 10) == 1
    assert await status(store, claimed) is Status.PENDING


async def test_release_hands_back_a_stopping_workers_claims(store: SqlStore) -> None:
    mine_a, mine_b, other = await add(store, new(1), new(2), new(3))
    await store.heartbeat("me", NOW)
    await store.claim_due("me", NOW, 2)
    await store.claim_due("other", NOW, 10)
    assert await store.release("me") == 2
    assert [await status(store, i) for i in (mine_a, mine_b, other)] == [
        Status.PENDING,
        Status.PENDING,
        Status.SENDING,
    ]
    assert await claimant(store, mine_a) is None
    assert await store.fetch("SELECT id FROM workers WHERE id = 'me'") == []
    assert await store.release("me") == 0


async def test_cancelling_writes_never_leaves_the_connection_in_a_transaction(
    sqlite_store: SqlStore,
) -> None:
    """aiosqlite runs a statement even when its awaiting task is cancelled."""
    store = sqlite_store
    for delay in (0, 0, 0.0005, 0.001, 0.002):
        task = asyncio.create_task(store.heartbeat("w", NOW))
        await asyncio.sleep(delay)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await store.heartbeat("other", NOW)  # would fail inside a stuck transaction
        assert not store.db.db.in_transaction
