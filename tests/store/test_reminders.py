"""Reminders: added, read, cancelled; stage defaults replaced; aware times only."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from bot.store import NewReminder, SqlStore, Status
from bot.store.db import from_epoch, to_epoch
from tests.store.helpers import NOW, ZONE, add, new, status

# -- reminders -----------------------------------------------------------------------


async def test_add_and_get_reminder(store: SqlStore) -> None:
    await store.touch_user(1, 101, NOW)
    due = NOW + timedelta(days=3)
    [reminder_id] = await store.add_reminders(
        [NewReminder(1, 101, "Call", due, ZONE, local_time="2027-01-13 12:00", stage="x")], NOW
    )
    reminder = await store.get_reminder(reminder_id)
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
    assert await store.get_reminder(reminder_id + 1) is None


async def test_user_reminders_open_only_in_due_order(store: SqlStore) -> None:
    later, sooner, done = await add(
        store,
        new(due=NOW + timedelta(days=2)),
        new(due=NOW + timedelta(days=1)),
        new(due=NOW - timedelta(days=1)),
    )
    [claimed] = await store.claim_due("w", NOW, 10)
    await store.mark_sent(claimed.id, "w", NOW)
    assert [r.id for r in await store.user_reminders(1)] == [sooner, later]
    assert [r.id for r in await store.user_reminders(1, [Status.SENT])] == [done]


async def test_cancel_only_own_open_reminders(store: SqlStore) -> None:
    mine, theirs, sent = await add(store, new(1, NOW + timedelta(days=1)), new(2), new(1))
    assert not await store.cancel(1, theirs)
    assert await status(store, theirs) is Status.PENDING
    await store.claim_due("w", NOW, 10)
    await store.mark_sent(sent, "w", NOW)
    assert not await store.cancel(1, sent)
    assert await status(store, sent) is Status.SENT
    assert await store.cancel(1, mine)
    assert await status(store, mine) is Status.CANCELLED
    assert not await store.cancel(1, mine)
    assert not await store.cancel(1, 9999)


@pytest.mark.parametrize("state", ["paused", "failed"])
async def test_cancel_paused_or_failed(store: SqlStore, state: str) -> None:
    [reminder_id] = await add(store, new())
    await store.claim_due("w", NOW, 10)
    if state == "paused":
        await store.mark_inactive(1)
    else:
        await store.mark_failed(reminder_id, "w", "boom")
    assert await store.cancel(1, reminder_id)
    assert await status(store, reminder_id) is Status.CANCELLED


async def test_set_stage_with_date_replaces_that_stage_defaults(store: SqlStore) -> None:
    old_interview, old_apply, custom, sent_interview = await add(
        store,
        new(due=NOW + timedelta(days=5), stage="interview"),
        new(due=NOW + timedelta(days=5), stage="apply"),
        new(due=NOW + timedelta(days=5)),
        new(due=NOW, stage="interview"),
    )
    [claimed] = await store.claim_due("w", NOW, 10)
    await store.mark_sent(claimed.id, "w", NOW)
    stage_at = NOW + timedelta(days=10)
    ids = await store.set_stage(
        1,
        "interview",
        stage_at,
        "2027-01-20 12:00",
        [new(due=NOW + timedelta(days=9), stage="interview")],
        NOW,
    )
    assert len(ids) == 1
    assert await status(store, old_interview) is Status.CANCELLED
    assert await status(store, old_apply) is Status.PENDING
    assert await status(store, custom) is Status.PENDING
    assert await status(store, sent_interview) is Status.SENT
    assert await status(store, ids[0]) is Status.PENDING
    user = await store.get_user(1)
    assert user is not None
    assert (user.stage, user.stage_at, user.stage_local) == (
        "interview",
        stage_at,
        "2027-01-20 12:00",
    )


async def test_set_stage_only_touches_that_user(store: SqlStore) -> None:
    [other] = await add(store, new(2, NOW + timedelta(days=5), stage="interview"))
    await store.touch_user(1, 101, NOW)
    await store.set_stage(1, "interview", NOW + timedelta(days=10), "x", [], NOW)
    assert await status(store, other) is Status.PENDING


async def test_set_stage_without_date_keeps_reminders(store: SqlStore) -> None:
    [old] = await add(store, new(due=NOW + timedelta(days=5), stage="interview"))
    assert await store.set_stage(1, "results", None, None, [], NOW) == []
    assert await status(store, old) is Status.PENDING
    user = await store.get_user(1)
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


async def test_naive_reminder_is_refused_and_nothing_stored(store: SqlStore) -> None:
    await store.touch_user(1, 101, NOW)
    naive = NewReminder(1, 101, "x", datetime(2027, 1, 1, 9, 0), ZONE)  # noqa: DTZ001
    with pytest.raises(ValueError, match="naive"):
        await store.add_reminders([new(), naive], NOW)
    assert await store.user_reminders(1) == []
    # The connection is usable afterwards: the transaction was rolled back.
    assert len(await store.add_reminders([new()], NOW)) == 1


async def test_naive_now_is_refused(store: SqlStore) -> None:
    with pytest.raises(ValueError, match="naive"):
        await store.touch_user(1, 101, datetime(2027, 1, 1, 9, 0))  # noqa: DTZ001


# -- numbers the user sees -------------------------------------------------------------


async def test_each_user_numbers_their_reminders_from_one(store: SqlStore) -> None:
    first, other, second = await add(store, new(1), new(2), new(1))
    shown = {r.id: r.number for r in await store.user_reminders(1) + await store.user_reminders(2)}
    assert (shown[first], shown[second], shown[other]) == (1, 2, 1)
    reminder = await store.get_reminder(second)
    assert reminder is not None
    assert reminder.shown == 2


async def test_numbers_are_never_reused(store: SqlStore) -> None:
    [first] = await add(store, new(1))
    cancelled = await store.cancel_number(1, 1)
    assert cancelled is not None
    assert cancelled.id == first
    assert cancelled.status is Status.CANCELLED
    [again] = await store.add_reminders([new(1)], NOW)
    reminder = await store.get_reminder(again)
    assert reminder is not None
    assert reminder.number == 2


async def test_cancel_number_only_own_open_ones(store: SqlStore) -> None:
    await add(store, new(1), new(2))
    assert await store.cancel_number(2, 5) is None
    assert await store.cancel_number(1, 1) is not None
    assert await store.cancel_number(1, 1) is None  # already cancelled
    assert (await store.user_reminders(2))[0].status is Status.PENDING


async def test_count_reminders_by_status(store: SqlStore) -> None:
    await add(store, new(1), new(1), new(1))
    await store.cancel_number(1, 2)
    assert await store.count_reminders(1, [Status.PENDING]) == 2
    assert await store.count_reminders(1, [Status.CANCELLED, Status.SENT]) == 1


async def test_a_new_stage_date_moves_default_reminders_in_place(store: SqlStore) -> None:
    await store.touch_user(1, 101, NOW)
    stage_at = NOW + timedelta(days=10)
    planned = [
        replace(new(due=NOW + timedelta(days=3), stage="interview", text="week"), slot=0),
        replace(new(due=NOW + timedelta(days=9), stage="interview", text="day"), slot=1),
    ]
    week, day = await store.set_stage(1, "interview", stage_at, "x", planned, NOW)
    later = [replace(r, due_at=r.due_at + timedelta(days=1), text=r.text + "!") for r in planned]
    # Only the second default is still ahead: the first is cancelled, the second moved.
    assert await store.set_stage(1, "interview", stage_at, "x", later[1:], NOW) == [day]
    assert await status(store, week) is Status.CANCELLED
    moved = await store.get_reminder(day)
    assert moved is not None
    assert (moved.number, moved.text, moved.due_at, moved.run_at) == (
        2,
        "day!",
        NOW + timedelta(days=10),
        NOW + timedelta(days=10),
    )
    # A slot planned again after it was cancelled gets a new row, with a new number.
    [week_again, day_again] = await store.set_stage(1, "interview", stage_at, "x", later, NOW)
    assert day_again == day
    reminder = await store.get_reminder(week_again)
    assert reminder is not None
    assert reminder.number == 3


async def test_default_reminders_switch(store: SqlStore) -> None:
    await store.touch_user(1, 101, NOW)
    user = await store.get_user(1)
    assert user is not None
    assert user.default_reminders
    await store.set_default_reminders(1, False)
    user = await store.get_user(1)
    assert user is not None
    assert not user.default_reminders
