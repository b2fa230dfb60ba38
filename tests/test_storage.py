from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import aiosqlite
import pytest

import bot.storage
from bot.storage import (
    MIGRATIONS,
    NewReminder,
    Status,
    Storage,
    from_epoch,
    to_epoch,
)

NOW = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)
ZONE = "Europe/London"


def new(
    user_id: int = 1,
    due: datetime = NOW,
    text: str = "Bring passport",
    stage: str | None = None,
) -> NewReminder:
    return NewReminder(user_id, user_id + 100, text, due, ZONE, stage=stage)


async def add(storage: Storage, *reminders: NewReminder) -> list[int]:
    for user_id in {r.user_id for r in reminders}:
        await storage.touch_user(user_id, user_id + 100, NOW)
    return await storage.add_reminders(list(reminders), NOW)


async def status(storage: Storage, reminder_id: int) -> Status:
    reminder = await storage.get_reminder(reminder_id)
    assert reminder is not None
    return reminder.status


async def claimant(storage: Storage, reminder_id: int) -> str | None:
    row = await storage.fetch_one("SELECT claimed_by FROM reminders WHERE id = ?", (reminder_id,))
    assert row is not None
    return row[0]


async def versions(storage: Storage) -> list[int]:
    rows = await storage.fetch("SELECT version FROM schema_version ORDER BY version")
    return [row[0] for row in rows]


async def columns(storage: Storage, table: str) -> list[str]:
    return [row["name"] for row in await storage.fetch(f"PRAGMA table_info({table})")]


# -- migrations ---------------------------------------------------------------------


async def test_fresh_database_is_migrated_to_latest(storage: Storage) -> None:
    rows = await storage.fetch("SELECT version, name FROM schema_version ORDER BY version")
    assert [(row[0], row[1]) for row in rows] == [(v, name) for v, name, _ in MIGRATIONS]
    assert await storage.schema_version() == MIGRATIONS[-1][0]
    tables = {row[0] for row in await storage.fetch("SELECT name FROM sqlite_master")}
    assert {"users", "reminders", "workers", "schema_version", "reminders_to_send"} <= tables


async def test_migrate_again_applies_nothing(storage: Storage) -> None:
    assert await storage.migrate() == []
    assert await versions(storage) == [v for v, _, _ in MIGRATIONS]


async def test_reopening_a_file_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "bot.sqlite3"
    storage = await Storage.open(path)
    [reminder_id] = await add(storage, new(due=NOW + timedelta(days=1)))
    await storage.set_timezone(1, "Asia/Tokyo")
    await storage.close()

    storage = await Storage.open(path)
    try:
        assert await storage.migrate() == []
        assert await versions(storage) == [v for v, _, _ in MIGRATIONS]
        user = await storage.get_user(1)
        assert user is not None
        assert user.timezone == "Asia/Tokyo"
        reminder = await storage.get_reminder(reminder_id)
        assert reminder is not None
        assert reminder.text == "Bring passport"
        assert reminder.due_at == NOW + timedelta(days=1)
    finally:
        await storage.close()


async def add_nickname(db: aiosqlite.Connection) -> None:
    await db.execute("ALTER TABLE users ADD COLUMN nickname TEXT NOT NULL DEFAULT 'none'")


async def test_old_database_is_upgraded_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "bot.sqlite3"
    storage = await Storage.open(path)
    [reminder_id] = await add(storage, new())
    await storage.close()

    monkeypatch.setattr(bot.storage, "MIGRATIONS", [*MIGRATIONS, (999, "nickname", add_nickname)])
    storage = await Storage.open(path)
    try:
        assert await storage.schema_version() == 999
        assert await versions(storage) == [*(v for v, _, _ in MIGRATIONS), 999]
        assert "nickname" in await columns(storage, "users")
        row = await storage.fetch_one("SELECT nickname FROM users WHERE user_id = 1")
        assert row is not None
        assert row[0] == "none"
        assert await storage.get_user(1) is not None
        assert await storage.get_reminder(reminder_id) is not None
        assert await storage.migrate() == []
    finally:
        await storage.close()


async def test_failed_migration_is_rolled_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "bot.sqlite3"
    storage = await Storage.open(path)
    await add(storage, new())
    await storage.close()

    async def half_done(db: aiosqlite.Connection) -> None:
        await add_nickname(db)
        raise RuntimeError("migration bug")

    monkeypatch.setattr(bot.storage, "MIGRATIONS", [*MIGRATIONS, (999, "broken", half_done)])
    db = await aiosqlite.connect(str(path), isolation_level=None)
    db.row_factory = aiosqlite.Row
    storage = Storage(db)
    try:
        with pytest.raises(RuntimeError, match="migration bug"):
            await storage.migrate()
        assert await storage.schema_version() == MIGRATIONS[-1][0]
        assert "nickname" not in await columns(storage, "users")
        assert await storage.get_user(1) is not None
    finally:
        await storage.close()


async def test_wal_journal_mode(tmp_path: Path) -> None:
    storage = await Storage.open(tmp_path / "bot.sqlite3")
    try:
        row = await storage.fetch_one("PRAGMA journal_mode")
        assert row is not None
        assert row[0] == "wal"
        row = await storage.fetch_one("PRAGMA foreign_keys")
        assert row is not None
        assert row[0] == 1
    finally:
        await storage.close()


async def test_due_query_uses_partial_index(
    storage: Storage, monkeypatch: pytest.MonkeyPatch
) -> None:
    await add(storage, *(new(10 + i, due=NOW + timedelta(minutes=i)) for i in range(-5, 5)))
    queries: list[tuple[str, tuple[object, ...]]] = []
    fetch = storage.fetch

    async def recording(sql: str, params: tuple[object, ...] = ()) -> list[aiosqlite.Row]:
        queries.append((sql, tuple(params)))
        return await fetch(sql, params)

    monkeypatch.setattr(storage, "fetch", recording)
    assert len(await storage.due_ids(NOW, 100)) == 6
    [(sql, params)] = queries
    plan = await fetch(f"EXPLAIN QUERY PLAN {sql}", params)
    details = " ".join(row["detail"] for row in plan)
    assert "reminders_to_send" in details


# -- users ----------------------------------------------------------------------------


async def test_touch_user_creates_then_updates(storage: Storage) -> None:
    user, resumed = await storage.touch_user(1, 101, NOW)
    assert resumed == 0
    assert (user.user_id, user.chat_id, user.active) == (1, 101, True)
    assert user.created_at == user.last_seen_at == NOW
    assert user.timezone is None
    assert user.stage is None
    later = NOW + timedelta(hours=1)
    user, _ = await storage.touch_user(1, 102, later)
    assert (user.chat_id, user.created_at, user.last_seen_at) == (102, NOW, later)


async def test_get_user_unknown(storage: Storage) -> None:
    assert await storage.get_user(42) is None


async def test_mark_inactive_pauses_and_touch_user_resumes(storage: Storage) -> None:
    ids = await add(
        storage,
        new(1, NOW - timedelta(minutes=1)),
        new(1, NOW + timedelta(days=1)),
        new(1, NOW + timedelta(days=2)),
        new(2, NOW + timedelta(days=1)),
    )
    await storage.claim_due("w", NOW, 10)  # the first is in flight
    assert await storage.cancel(1, ids[2])
    assert await storage.mark_inactive(1) == 2
    user = await storage.get_user(1)
    assert user is not None
    assert not user.active
    assert [await status(storage, i) for i in ids] == [
        Status.PAUSED,
        Status.PAUSED,
        Status.CANCELLED,
        Status.PENDING,
    ]
    assert await claimant(storage, ids[0]) is None

    user, resumed = await storage.touch_user(1, 101, NOW + timedelta(hours=1))
    assert resumed == 2
    assert user.active
    assert [await status(storage, i) for i in ids[:3]] == [
        Status.PENDING,
        Status.PENDING,
        Status.CANCELLED,
    ]
    # Writing again when already active resumes nothing.
    assert (await storage.touch_user(1, 101, NOW + timedelta(hours=2)))[1] == 0


async def test_set_timezone_moves_only_given_reminders(storage: Storage) -> None:
    a, b = await add(storage, new(due=NOW + timedelta(days=1)), new(due=NOW + timedelta(days=2)))
    moved_to = NOW + timedelta(days=1, hours=3)
    await storage.set_timezone(1, "Asia/Tokyo", [(a, moved_to)])
    user = await storage.get_user(1)
    assert user is not None
    assert user.timezone == "Asia/Tokyo"
    first, second = await storage.user_reminders(1)
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


async def test_delete_user_cascades(storage: Storage) -> None:
    await add(storage, new(1), new(1, NOW + timedelta(days=1)), new(2))
    assert await storage.delete_user(1)
    assert await storage.get_user(1) is None
    rows = await storage.fetch("SELECT user_id FROM reminders")
    assert [row[0] for row in rows] == [2]
    assert not await storage.delete_user(1)


# -- reminders -----------------------------------------------------------------------


async def test_add_and_get_reminder(storage: Storage) -> None:
    await storage.touch_user(1, 101, NOW)
    due = NOW + timedelta(days=3)
    [reminder_id] = await storage.add_reminders(
        [NewReminder(1, 101, "Call", due, ZONE, local_time="2027-01-13 12:00", stage="x")], NOW
    )
    reminder = await storage.get_reminder(reminder_id)
    assert reminder is not None
    assert (reminder.user_id, reminder.chat_id, reminder.text) == (1, 101, "Call")
    assert (reminder.due_at, reminder.run_at) == (due, due)
    assert (reminder.local_time, reminder.timezone, reminder.stage) == (
        "2027-01-13 12:00",
        ZONE,
        "x",
    )
    assert (reminder.status, reminder.attempts, reminder.sent_at, reminder.last_error) == (
        Status.PENDING,
        0,
        None,
        None,
    )
    assert await storage.get_reminder(reminder_id + 1) is None


async def test_user_reminders_open_only_in_due_order(storage: Storage) -> None:
    later, sooner, done = await add(
        storage,
        new(due=NOW + timedelta(days=2)),
        new(due=NOW + timedelta(days=1)),
        new(due=NOW - timedelta(days=1)),
    )
    [claimed] = await storage.claim_due("w", NOW, 10)
    await storage.mark_sent(claimed.id, "w", NOW)
    assert [r.id for r in await storage.user_reminders(1)] == [sooner, later]
    assert [r.id for r in await storage.user_reminders(1, [Status.SENT])] == [done]


async def test_cancel_only_own_open_reminders(storage: Storage) -> None:
    mine, theirs, sent = await add(storage, new(1, NOW + timedelta(days=1)), new(2), new(1))
    assert not await storage.cancel(1, theirs)
    assert await status(storage, theirs) is Status.PENDING
    await storage.claim_due("w", NOW, 10)
    await storage.mark_sent(sent, "w", NOW)
    assert not await storage.cancel(1, sent)
    assert await status(storage, sent) is Status.SENT
    assert await storage.cancel(1, mine)
    assert await status(storage, mine) is Status.CANCELLED
    assert not await storage.cancel(1, mine)
    assert not await storage.cancel(1, 9999)


@pytest.mark.parametrize("state", ["paused", "failed"])
async def test_cancel_paused_or_failed(storage: Storage, state: str) -> None:
    [reminder_id] = await add(storage, new())
    await storage.claim_due("w", NOW, 10)
    if state == "paused":
        await storage.mark_inactive(1)
    else:
        await storage.mark_failed(reminder_id, "w", "boom")
    assert await storage.cancel(1, reminder_id)
    assert await status(storage, reminder_id) is Status.CANCELLED


async def test_set_stage_with_date_replaces_that_stage_defaults(storage: Storage) -> None:
    old_interview, old_apply, custom, sent_interview = await add(
        storage,
        new(due=NOW + timedelta(days=5), stage="interview"),
        new(due=NOW + timedelta(days=5), stage="apply"),
        new(due=NOW + timedelta(days=5)),
        new(due=NOW, stage="interview"),
    )
    [claimed] = await storage.claim_due("w", NOW, 10)
    await storage.mark_sent(claimed.id, "w", NOW)
    stage_at = NOW + timedelta(days=10)
    ids = await storage.set_stage(
        1,
        "interview",
        stage_at,
        "2027-01-20 12:00",
        [new(due=NOW + timedelta(days=9), stage="interview")],
        NOW,
    )
    assert len(ids) == 1
    assert await status(storage, old_interview) is Status.CANCELLED
    assert await status(storage, old_apply) is Status.PENDING
    assert await status(storage, custom) is Status.PENDING
    assert await status(storage, sent_interview) is Status.SENT
    assert await status(storage, ids[0]) is Status.PENDING
    user = await storage.get_user(1)
    assert user is not None
    assert (user.stage, user.stage_at, user.stage_local) == (
        "interview",
        stage_at,
        "2027-01-20 12:00",
    )


async def test_set_stage_only_touches_that_user(storage: Storage) -> None:
    [other] = await add(storage, new(2, NOW + timedelta(days=5), stage="interview"))
    await storage.touch_user(1, 101, NOW)
    await storage.set_stage(1, "interview", NOW + timedelta(days=10), "x", [], NOW)
    assert await status(storage, other) is Status.PENDING


async def test_set_stage_without_date_keeps_reminders(storage: Storage) -> None:
    [old] = await add(storage, new(due=NOW + timedelta(days=5), stage="interview"))
    assert await storage.set_stage(1, "results", None, None, [], NOW) == []
    assert await status(storage, old) is Status.PENDING
    user = await storage.get_user(1)
    assert user is not None
    assert (user.stage, user.stage_at, user.stage_local) == ("results", None, None)


# -- times ---------------------------------------------------------------------------


def test_to_epoch_refuses_naive() -> None:
    with pytest.raises(ValueError, match="naive"):
        to_epoch(datetime(2027, 1, 1, 9, 0))  # noqa: DTZ001


def test_epoch_round_trip() -> None:
    tokyo_noon = datetime(2027, 1, 1, 12, 0, tzinfo=timezone(timedelta(hours=9)))
    assert to_epoch(tokyo_noon) == to_epoch(datetime(2027, 1, 1, 3, 0, tzinfo=UTC))
    assert from_epoch(to_epoch(tokyo_noon)) == tokyo_noon
    assert from_epoch(to_epoch(tokyo_noon)).tzinfo is UTC


async def test_naive_reminder_is_refused_and_nothing_stored(storage: Storage) -> None:
    await storage.touch_user(1, 101, NOW)
    naive = NewReminder(1, 101, "x", datetime(2027, 1, 1, 9, 0), ZONE)  # noqa: DTZ001
    with pytest.raises(ValueError, match="naive"):
        await storage.add_reminders([new(), naive], NOW)
    assert await storage.user_reminders(1) == []
    # The connection is usable afterwards: the transaction was rolled back.
    assert len(await storage.add_reminders([new()], NOW)) == 1


async def test_naive_now_is_refused(storage: Storage) -> None:
    with pytest.raises(ValueError, match="naive"):
        await storage.touch_user(1, 101, datetime(2027, 1, 1, 9, 0))  # noqa: DTZ001


# -- claim, send, mark ----------------------------------------------------------------


async def test_claim_due_takes_only_pending_and_due_oldest_first(storage: Storage) -> None:
    ids = await add(
        storage,
        new(1, due=NOW - timedelta(minutes=1)),  # 0 due
        new(2, due=NOW + timedelta(seconds=1)),  # 1 not yet due
        new(3, due=NOW - timedelta(hours=2)),  # 2 due, oldest
        new(4, due=NOW),  # 3 due exactly now
        new(5, due=NOW - timedelta(hours=1)),  # 4 due, cancelled
    )
    await storage.cancel(5, ids[4])
    assert await storage.due_ids(NOW, 10) == [ids[2], ids[0], ids[3]]
    claimed = await storage.claim_due("w", NOW, 2)
    assert [r.id for r in claimed] == [ids[2], ids[0]]
    assert all(r.status is Status.SENDING and r.attempts == 1 for r in claimed)
    assert [await claimant(storage, r.id) for r in claimed] == ["w", "w"]
    assert [r.id for r in await storage.claim_due("w", NOW, 2)] == [ids[3]]
    assert await storage.claim_due("w", NOW, 2) == []
    assert await status(storage, ids[1]) is Status.PENDING
    assert await status(storage, ids[4]) is Status.CANCELLED
    assert [r.id for r in await storage.claim_due("w", NOW + timedelta(seconds=1), 2)] == [ids[1]]


async def test_claim_due_takes_one_per_chat_so_a_backlog_waits_its_turn(
    storage: Storage,
) -> None:
    backlog = await add(storage, *(new(1, due=NOW - timedelta(minutes=m)) for m in (3, 2, 1)))
    [other] = await add(storage, new(2, due=NOW))
    first = await storage.claim_due("w", NOW, 10)
    assert [r.id for r in first] == [backlog[0], other]
    assert [r.id for r in await storage.claim_due("w", NOW, 10)] == [backlog[1]]
    assert [r.id for r in await storage.claim_due("w", NOW, 10)] == [backlog[2]]


async def test_claim_due_increments_attempts_each_time(storage: Storage) -> None:
    [reminder_id] = await add(storage, new())
    for attempt in (1, 2, 3):
        [claimed] = await storage.claim_due("w", NOW, 10)
        assert claimed.attempts == attempt
        assert await storage.retry_later(reminder_id, "w", NOW, "boom")


async def test_next_run_at(storage: Storage) -> None:
    assert await storage.next_run_at() is None
    await add(storage, new(due=NOW + timedelta(hours=2)), new(due=NOW + timedelta(hours=1)))
    assert await storage.next_run_at() == NOW + timedelta(hours=1)


async def test_concurrent_claims_on_one_connection_never_overlap(storage: Storage) -> None:
    ids = await add(storage, *(new(i % 3 + 1, NOW - timedelta(seconds=i)) for i in range(30)))
    seen: list[int] = []
    while True:
        first, second = await asyncio.gather(
            storage.claim_due("a", NOW, 4), storage.claim_due("b", NOW, 4)
        )
        if not first and not second:
            break
        assert not {r.id for r in first} & {r.id for r in second}
        seen += [r.id for r in first + second]
    assert sorted(seen) == sorted(ids)


async def test_concurrent_claims_on_two_connections_never_overlap(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    one = await Storage.open(path)
    two = await Storage.open(path)
    try:
        ids = await add(one, *(new(i % 3 + 1, NOW - timedelta(seconds=i)) for i in range(40)))
        claims: dict[str, list[int]] = {"a": [], "b": []}

        async def worker(storage: Storage, name: str) -> None:
            while claimed := await storage.claim_due(name, NOW, 3):
                claims[name] += [r.id for r in claimed]
                await asyncio.sleep(0)

        await asyncio.gather(worker(one, "a"), worker(two, "b"))
        assert not set(claims["a"]) & set(claims["b"])
        assert sorted(claims["a"] + claims["b"]) == sorted(ids)
        rows = await two.fetch("SELECT claimed_by, count(*) FROM reminders GROUP BY claimed_by")
        assert {row[0]: row[1] for row in rows} == {
            name: len(got) for name, got in claims.items() if got
        }
    finally:
        await one.close()
        await two.close()


async def test_mark_sent(storage: Storage) -> None:
    [reminder_id] = await add(storage, new())
    await storage.claim_due("w", NOW, 10)
    sent_at = NOW + timedelta(seconds=3)
    assert await storage.mark_sent(reminder_id, "w", sent_at)
    reminder = await storage.get_reminder(reminder_id)
    assert reminder is not None
    assert (reminder.status, reminder.sent_at, reminder.attempts) == (Status.SENT, sent_at, 1)
    assert await claimant(storage, reminder_id) is None
    # Settled once: a second mark does nothing.
    assert not await storage.mark_sent(reminder_id, "w", sent_at)


async def test_retry_later(storage: Storage) -> None:
    [reminder_id] = await add(storage, new())
    await storage.claim_due("w", NOW, 10)
    retry_at = NOW + timedelta(minutes=5)
    assert await storage.retry_later(reminder_id, "w", retry_at, "error: 502")
    reminder = await storage.get_reminder(reminder_id)
    assert reminder is not None
    assert (reminder.status, reminder.run_at, reminder.due_at) == (Status.PENDING, retry_at, NOW)
    assert (reminder.attempts, reminder.last_error) == (1, "error: 502")
    assert await claimant(storage, reminder_id) is None
    assert await storage.claim_due("w", NOW + timedelta(minutes=4), 10) == []
    assert len(await storage.claim_due("w", retry_at, 10)) == 1


async def test_retry_later_without_counting_is_no_attempt(storage: Storage) -> None:
    [reminder_id] = await add(storage, new())
    for _ in range(3):
        await storage.claim_due("w", NOW, 10)
        assert await storage.retry_later(reminder_id, "w", NOW, "flood wait", counts=False)
    reminder = await storage.get_reminder(reminder_id)
    assert reminder is not None
    assert reminder.attempts == 0
    assert reminder.last_error == "flood wait"


async def test_mark_failed_keeps_reminder_visible(storage: Storage) -> None:
    [reminder_id] = await add(storage, new())
    await storage.claim_due("w", NOW, 10)
    assert await storage.mark_failed(reminder_id, "w", "rejected: bad request")
    [reminder] = await storage.user_reminders(1)
    assert (reminder.id, reminder.status, reminder.last_error) == (
        reminder_id,
        Status.FAILED,
        "rejected: bad request",
    )
    assert await storage.claim_due("w", NOW + timedelta(days=1), 10) == []


@pytest.mark.parametrize("action", ["sent", "retry", "retry_free", "failed"])
async def test_only_the_claim_holder_settles(storage: Storage, action: str) -> None:
    [reminder_id] = await add(storage, new())
    await storage.claim_due("a", NOW, 10)
    before = await storage.get_reminder(reminder_id)
    settle = {
        "sent": lambda worker: storage.mark_sent(reminder_id, worker, NOW),
        "retry": lambda worker: storage.retry_later(reminder_id, worker, NOW, "e"),
        "retry_free": lambda worker: storage.retry_later(
            reminder_id, worker, NOW, "e", counts=False
        ),
        "failed": lambda worker: storage.mark_failed(reminder_id, worker, "e"),
    }[action]
    assert not await settle("b")
    assert await storage.get_reminder(reminder_id) == before
    assert await claimant(storage, reminder_id) == "a"
    assert await settle("a")
    assert await status(storage, reminder_id) is not Status.SENDING


async def test_settling_unclaimed_reminder_does_nothing(storage: Storage) -> None:
    [reminder_id] = await add(storage, new())
    assert not await storage.mark_sent(reminder_id, "a", NOW)
    assert not await storage.mark_failed(reminder_id, "a", "e")
    assert await status(storage, reminder_id) is Status.PENDING


async def test_reclaim_stale_takes_back_only_dead_workers_claims(storage: Storage) -> None:
    dead_one, live_one = await add(storage, new(1), new(2))
    await storage.heartbeat("dead", NOW - timedelta(seconds=60))
    await storage.heartbeat("live", NOW - timedelta(seconds=5))
    await storage.claim_due("dead", NOW, 1)
    await storage.claim_due("live", NOW, 1)
    assert await storage.reclaim_stale(NOW, 10) == 1
    assert (await status(storage, dead_one), await claimant(storage, dead_one)) == (
        Status.PENDING,
        None,
    )
    assert (await status(storage, live_one), await claimant(storage, live_one)) == (
        Status.SENDING,
        "live",
    )
    workers = [row[0] for row in await storage.fetch("SELECT id FROM workers")]
    assert workers == ["live"]
    # The dead worker coming back cannot settle what it lost.
    assert not await storage.mark_sent(dead_one, "dead", NOW)
    assert await storage.mark_sent(live_one, "live", NOW)
    assert await storage.reclaim_stale(NOW, 10) == 0


async def test_reclaim_stale_takes_back_claims_of_worker_never_seen(storage: Storage) -> None:
    [reminder_id] = await add(storage, new())
    await storage.claim_due("ghost", NOW, 10)
    assert await storage.reclaim_stale(NOW, 10) == 1
    assert await status(storage, reminder_id) is Status.PENDING


async def test_heartbeat_updates(storage: Storage) -> None:
    await storage.heartbeat("w", NOW - timedelta(seconds=60))
    await storage.heartbeat("w", NOW)
    [claimed] = await add(storage, new())
    await storage.claim_due("w", NOW, 10)
    assert await storage.reclaim_stale(NOW + timedelta(seconds=10), 10) == 0
    assert await storage.reclaim_stale(NOW + timedelta(seconds=11), 10) == 1
    assert await status(storage, claimed) is Status.PENDING


async def test_release_hands_back_a_stopping_workers_claims(storage: Storage) -> None:
    mine_a, mine_b, other = await add(storage, new(1), new(2), new(3))
    await storage.heartbeat("me", NOW)
    await storage.claim_due("me", NOW, 2)
    await storage.claim_due("other", NOW, 10)
    assert await storage.release("me") == 2
    assert [await status(storage, i) for i in (mine_a, mine_b, other)] == [
        Status.PENDING,
        Status.PENDING,
        Status.SENDING,
    ]
    assert await claimant(storage, mine_a) is None
    assert await storage.fetch("SELECT id FROM workers WHERE id = 'me'") == []
    assert await storage.release("me") == 0


async def test_cancelling_writes_never_leaves_the_connection_in_a_transaction(
    storage: Storage,
) -> None:
    """aiosqlite runs a statement even when its awaiting task is cancelled."""
    for delay in (0, 0, 0.0005, 0.001, 0.002):
        task = asyncio.create_task(storage.heartbeat("w", NOW))
        await asyncio.sleep(delay)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await storage.heartbeat("other", NOW)  # would fail inside a stuck transaction
        assert not storage.db.in_transaction
