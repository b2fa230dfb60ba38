from __future__ import annotations

import asyncio
import collections
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.push import (
    MAX_ATTEMPTS,
    STALE_AFTER,
    Blocked,
    FloodWait,
    Pusher,
    Rejected,
    Transient,
    Uncertain,
)
from bot.replies import Reply
from bot.replies.pushes import LATE_AFTER
from bot.store import NewReminder, SqlStore, Status
from tests.conftest import Clock, Connect

NOW = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)
ZONE = "Europe/London"


class FakeSender:
    """Records what it delivers; raises the exceptions scripted for a chat, in order."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, str, float]] = []  # (chat id, text, time.monotonic())
        self.replies: list[Reply] = []
        self.calls: list[int] = []
        self.script: dict[int, list[Exception]] = {}
        self.raised: list[tuple[Exception, float]] = []

    def fail(self, chat_id: int, *errors: Exception) -> None:
        self.script.setdefault(chat_id, []).extend(errors)

    async def send(self, chat_id: int, reply: Reply) -> None:
        self.calls.append(chat_id)
        if self.script.get(chat_id):
            error = self.script[chat_id].pop(0)
            self.raised.append((error, time.monotonic()))
            raise error
        self.sent.append((chat_id, reply.text, time.monotonic()))
        self.replies.append(reply)

    def sent_ids(self) -> list[int]:
        return [reminder_id(reply) for reply in self.replies]


class GatedSender(FakeSender):
    """Holds every send until ``gate`` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.entered = asyncio.Event()
        self.gate = asyncio.Event()

    async def send(self, chat_id: int, reply: Reply) -> None:
        self.entered.set()
        await self.gate.wait()
        await super().send(chat_id, reply)


def reminder_id(reply: Reply) -> int:
    kind, _, number = reply.buttons[0][1].data.partition(":")  # type: ignore[union-attr]
    assert kind == "rd"
    return int(number)


@pytest.fixture
def sender() -> FakeSender:
    return FakeSender()


def make_pusher(store: SqlStore, sender: FakeSender, clock: Clock, **options: Any) -> Pusher:
    settings: dict[str, Any] = {"per_chat_interval": 0, "backoff_base": 60.0, "rate": 1000}
    return Pusher(store, sender, clock=clock, **{**settings, **options})


@pytest.fixture
def pusher(store: SqlStore, sender: FakeSender, clock: Clock) -> Pusher:
    return make_pusher(store, sender, clock)


async def add(
    store: SqlStore,
    user_id: int = 1,
    due: datetime = NOW,
    text: str = "Bring passport",
) -> int:
    await store.touch_user(user_id, 100 + user_id, NOW - timedelta(days=1))
    new = NewReminder(user_id, 100 + user_id, text, due, ZONE)
    [new_id] = await store.add_reminders([new], NOW - timedelta(days=1))
    return new_id


async def state(store: SqlStore, reminder_id: int) -> tuple[Status, int, str | None]:
    reminder = await store.get_reminder(reminder_id)
    assert reminder is not None
    return reminder.status, reminder.attempts, reminder.last_error


async def until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        await asyncio.sleep(0.005)


# -- the cycle --------------------------------------------------------------------------------


async def test_due_reminders_are_sent_and_marked(
    store: SqlStore, sender: FakeSender, pusher: Pusher, clock: Clock
) -> None:
    first = await add(store, 1, NOW - timedelta(seconds=30))
    second = await add(store, 2, NOW, "Call the embassy")
    later = await add(store, 1, NOW + timedelta(minutes=1))
    assert await pusher.run_once() == 2
    assert sorted((chat, text) for chat, text, _ in sender.sent) == [
        (101, "⏰ Bring passport"),
        (102, "⏰ Call the embassy"),
    ]
    for reminder_id in (first, second):
        reminder = await store.get_reminder(reminder_id)
        assert reminder is not None
        assert (reminder.status, reminder.sent_at, reminder.attempts) == (Status.SENT, NOW, 1)
    assert await state(store, later) == (Status.PENDING, 0, None)
    assert await pusher.run_once() == 0
    clock.now = NOW + timedelta(minutes=1)
    assert await pusher.run_once() == 1
    assert sender.sent_ids() == [first, second, later]


async def test_reply_has_snooze_and_done_buttons(
    store: SqlStore, sender: FakeSender, pusher: Pusher
) -> None:
    reminder_id = await add(store)
    await pusher.run_once()
    [reply] = sender.replies
    [row] = reply.buttons
    assert [(button.label, button.data) for button in row] == [
        ("Snooze 1 h", f"rs:{reminder_id}"),
        ("Done", f"rd:{reminder_id}"),
    ]


async def test_reminder_text_is_escaped(
    store: SqlStore, sender: FakeSender, pusher: Pusher
) -> None:
    await add(store, text="<b>bold</b> & co")
    await pusher.run_once()
    assert sender.sent[0][1] == "⏰ &lt;b&gt;bold&lt;/b&gt; &amp; co"


@pytest.mark.parametrize(
    ("late", "noted"),
    [
        (timedelta(0), False),
        (timedelta(seconds=90), False),
        (LATE_AFTER, False),
        (LATE_AFTER + timedelta(seconds=1), True),
        (timedelta(minutes=3), True),
        (timedelta(days=2), True),
    ],
)
async def test_late_reminder_says_when_it_was_due(
    store: SqlStore, sender: FakeSender, pusher: Pusher, late: timedelta, noted: bool
) -> None:
    due = datetime(2027, 7, 1, 8, 0, tzinfo=UTC)  # 09:00 in London (BST)
    await add(store, due=due)
    pusher.clock = Clock(due + late)
    await pusher.run_once()
    [(_, text, _)] = sender.sent
    assert text.startswith("⏰ Bring passport")
    assert ("was due" in text) is noted
    if noted:
        assert "This reminder was due Thu 01 Jul 2027 09:00" in text


# -- errors -----------------------------------------------------------------------------------


async def test_flood_wait_retries_without_an_attempt(
    store: SqlStore, sender: FakeSender, pusher: Pusher
) -> None:
    reminder_id = await add(store)
    sender.fail(101, FloodWait(30))
    assert await pusher.run_once() == 1
    reminder = await store.get_reminder(reminder_id)
    assert reminder is not None
    assert (reminder.status, reminder.attempts) == (Status.PENDING, 0)
    assert reminder.last_error == "flood wait 30 s"
    assert reminder.run_at == NOW + timedelta(seconds=30)
    assert await pusher.run_once() == 0  # not due again yet
    assert sender.sent == []


async def test_flood_wait_delays_all_sends(
    store: SqlStore, sender: FakeSender, clock: Clock
) -> None:
    # Two slots a second: the second send's turn (half a second in) comes after the
    # first has met the 429, whatever the database's speed, and inside the wait.
    pusher = make_pusher(store, sender, clock, rate=2)
    flooded = await add(store, 1)
    other = await add(store, 2)
    sender.fail(101, FloodWait(0.8))
    assert await pusher.run_once() == 2
    [(_, flood_at)] = sender.raised
    [(chat, _, sent_at)] = sender.sent
    assert chat == 102
    assert sent_at - flood_at >= 0.8 - 1e-6
    assert await state(store, other) == (Status.SENT, 1, None)
    assert await state(store, flooded) == (Status.PENDING, 0, "flood wait 0.8 s")
    # Due again at once (the wait was under a second): sent, with its first attempt.
    assert await pusher.run_once() == 1
    assert await state(store, flooded) == (Status.SENT, 1, None)
    assert sender.sent_ids() == [other, flooded]


async def test_flood_wait_delays_the_next_round(
    store: SqlStore, sender: FakeSender, pusher: Pusher
) -> None:
    await add(store, 1)
    sender.fail(101, FloodWait(0.25))
    await pusher.run_once()
    await add(store, 2)
    await pusher.run_once()
    [(_, flood_at)] = sender.raised
    assert all(sent_at - flood_at >= 0.25 - 1e-6 for _, _, sent_at in sender.sent)
    assert sorted(chat for chat, _, _ in sender.sent) == [101, 102]


async def test_transient_errors_back_off_then_fail(
    store: SqlStore, sender: FakeSender, pusher: Pusher, clock: Clock
) -> None:
    reminder_id = await add(store)
    sender.fail(101, *(Transient("502 Bad Gateway") for _ in range(MAX_ATTEMPTS + 3)))
    delays = []
    for attempt in range(1, MAX_ATTEMPTS):
        assert await pusher.run_once() == 1
        reminder = await store.get_reminder(reminder_id)
        assert reminder is not None
        assert (reminder.status, reminder.attempts) == (Status.PENDING, attempt)
        assert reminder.last_error == "error: 502 Bad Gateway"
        delays.append((reminder.run_at - clock.now).total_seconds())
        clock.now = reminder.run_at - timedelta(seconds=1)
        assert await pusher.run_once() == 0  # backing off
        clock.now = reminder.run_at
    assert delays == [60, 120, 240, 480]
    assert await pusher.run_once() == 1
    reminder = await store.get_reminder(reminder_id)
    assert reminder is not None
    assert (reminder.status, reminder.attempts) == (Status.FAILED, MAX_ATTEMPTS)
    assert reminder.last_error == f"error after {MAX_ATTEMPTS} attempts: 502 Bad Gateway"
    assert reminder.sent_at is None
    assert await store.user_reminders(1) == [reminder]  # kept and listed
    assert sender.calls == [101] * MAX_ATTEMPTS
    assert sender.sent == []
    clock.now += timedelta(days=1)
    assert await pusher.run_once() == 0


async def test_backoff_is_capped(store: SqlStore, sender: FakeSender, clock: Clock) -> None:
    pusher = make_pusher(store, sender, clock, backoff_base=500.0)
    reminder_id = await add(store)
    sender.fail(101, Transient("a"), Transient("b"))
    await pusher.run_once()
    first = await store.get_reminder(reminder_id)
    assert first is not None
    assert first.run_at == NOW + timedelta(seconds=500)
    clock.now = first.run_at
    await pusher.run_once()
    second = await store.get_reminder(reminder_id)
    assert second is not None
    assert second.run_at == clock.now + timedelta(seconds=600)  # 1000 s capped at 600


async def test_transient_then_success(
    store: SqlStore, sender: FakeSender, pusher: Pusher, clock: Clock
) -> None:
    reminder_id = await add(store)
    sender.fail(101, Transient("connection reset"))
    await pusher.run_once()
    clock.now += timedelta(seconds=60)
    assert await pusher.run_once() == 1
    reminder = await store.get_reminder(reminder_id)
    assert reminder is not None
    assert (reminder.status, reminder.attempts, reminder.last_error) == (Status.SENT, 2, None)
    assert reminder.sent_at == clock.now
    assert len(sender.sent) == 1


async def test_uncertain_is_retried(
    store: SqlStore, sender: FakeSender, pusher: Pusher, clock: Clock
) -> None:
    reminder_id = await add(store)
    sender.fail(101, Uncertain("timed out"))
    await pusher.run_once()
    assert await state(store, reminder_id) == (Status.PENDING, 1, "timed out: timed out")
    clock.now += timedelta(seconds=60)
    await pusher.run_once()
    assert await state(store, reminder_id) == (Status.SENT, 2, None)
    assert sender.calls == [101, 101]
    assert sender.sent_ids() == [reminder_id]


async def test_uncertain_every_time_fails_after_max_attempts(
    store: SqlStore, sender: FakeSender, pusher: Pusher, clock: Clock
) -> None:
    reminder_id = await add(store)
    sender.fail(101, *(Uncertain("read timeout") for _ in range(MAX_ATTEMPTS)))
    for _ in range(MAX_ATTEMPTS):
        assert await pusher.run_once() == 1
        clock.now += timedelta(hours=1)
    assert await state(store, reminder_id) == (
        Status.FAILED,
        MAX_ATTEMPTS,
        f"timed out after {MAX_ATTEMPTS} attempts: read timeout",
    )


async def test_rejected_fails_at_once(
    store: SqlStore, sender: FakeSender, pusher: Pusher, clock: Clock
) -> None:
    reminder_id = await add(store)
    sender.fail(101, Rejected("Bad Request: chat not found"))
    await pusher.run_once()
    assert await state(store, reminder_id) == (
        Status.FAILED,
        1,
        "rejected: Bad Request: chat not found",
    )
    assert [r.id for r in await store.user_reminders(1)] == [reminder_id]
    clock.now += timedelta(days=1)
    assert await pusher.run_once() == 0
    assert sender.calls == [101]


async def test_blocked_pauses_that_user_only(
    store: SqlStore, sender: FakeSender, pusher: Pusher
) -> None:
    blocked_now = await add(store, 1)
    blocked_later = await add(store, 1, NOW + timedelta(days=1))
    others = [await add(store, user_id) for user_id in (2, 3, 4)]
    sender.fail(101, Blocked("Forbidden: bot was blocked by the user"))
    assert await pusher.run_once() == 4
    user = await store.get_user(1)
    assert user is not None
    assert not user.active
    assert await state(store, blocked_now) == (Status.PAUSED, 1, None)
    assert await state(store, blocked_later) == (Status.PAUSED, 0, None)
    for reminder_id in others:
        assert (await state(store, reminder_id))[0] is Status.SENT
    assert sorted(sender.sent_ids()) == others
    # Writing to the bot again resumes both.
    assert (await store.touch_user(1, 101, NOW)).resumed == 2
    assert await pusher.run_once() == 1
    assert sender.sent_ids()[-1] == blocked_now


# -- pacing ----------------------------------------------------------------------------------


async def test_per_chat_interval(store: SqlStore, sender: FakeSender, clock: Clock) -> None:
    pusher = make_pusher(store, sender, clock, per_chat_interval=0.5)
    await add(store, 1, text="first")
    await add(store, 1, text="second")
    await add(store, 2, text="elsewhere")
    assert await pusher.run_once() == 2  # one per chat in a round
    assert await pusher.run_once() == 1
    sent = {text: at for _, text, at in sender.sent}
    assert sent["⏰ second"] - sent["⏰ first"] >= 0.49
    assert sent["⏰ elsewhere"] - sent["⏰ first"] < 0.4  # another chat does not wait


async def test_per_chat_interval_holds_across_rounds(
    store: SqlStore, sender: FakeSender, clock: Clock
) -> None:
    pusher = make_pusher(store, sender, clock, per_chat_interval=0.3)
    await add(store, 1, text="first")
    await pusher.run_once()
    await add(store, 1, text="second")
    await pusher.run_once()
    [(_, _, first), (_, _, second)] = sender.sent
    assert second - first >= 0.29


async def test_pusher_rate_limits_overall(
    store: SqlStore, sender: FakeSender, clock: Clock
) -> None:
    pusher = make_pusher(store, sender, clock, rate=20)
    for user_id in range(1, 11):
        await add(store, user_id)
    assert await pusher.run_once() == 10
    times = sorted(at for _, _, at in sender.sent)
    assert times[-1] - times[0] >= 9 / 20 - 0.01
    # Evenly spaced: any five consecutive sends span at least four slots.
    assert all(times[i + 4] - times[i] >= 4 / 20 - 0.01 for i in range(len(times) - 4))


# -- workers ---------------------------------------------------------------------------------


async def test_stop_releases_unsent_claims(store: SqlStore, clock: Clock) -> None:
    sender = GatedSender()
    pusher = make_pusher(store, sender, clock)
    ids = [await add(store, user, text=f"r{user}") for user in range(1, 4)]
    pusher.start()
    await asyncio.wait_for(sender.entered.wait(), timeout=5)
    assert [(await state(store, i))[0] for i in ids] == [Status.SENDING] * 3
    await pusher.stop(grace=0.1)  # the sends never finish: cut them and hand back
    assert pusher.task is None
    assert [(await state(store, i))[0] for i in ids] == [Status.PENDING] * 3
    rows = await store.fetch("SELECT claimed_by FROM reminders")
    assert [row[0] for row in rows] == [None] * 3
    assert await store.fetch("SELECT id FROM workers") == []
    assert sender.sent == []


async def test_stop_lets_sends_under_way_finish(store: SqlStore, clock: Clock) -> None:
    """A deploy must not repeat messages: sends in flight complete and are marked sent."""
    sender = GatedSender()
    pusher = make_pusher(store, sender, clock)
    [reminder] = [await add(store, 1, text="in flight")]
    pusher.start()
    await asyncio.wait_for(sender.entered.wait(), timeout=5)
    stopping = asyncio.create_task(pusher.stop(grace=5))
    await asyncio.sleep(0.05)
    sender.gate.set()
    await stopping
    assert (await state(store, reminder))[0] is Status.SENT
    assert [text for _, text, _ in sender.sent] == ["⏰ in flight"]


async def test_started_pusher_delivers_and_wakes_up(
    store: SqlStore, sender: FakeSender, clock: Clock
) -> None:
    pusher = make_pusher(store, sender, clock, tick=30)
    first = await add(store)
    pusher.start()
    try:
        await until(lambda: len(sender.sent) == 1)
        await asyncio.sleep(0.05)  # now idle, for up to 30 s
        second = await add(store, 2)
        pusher.wake()
        await until(lambda: len(sender.sent) == 2)
    finally:
        await pusher.stop()
    assert sender.sent_ids() == [first, second]


async def test_run_survives_a_failed_round(
    store: SqlStore,
    sender: FakeSender,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    pusher = make_pusher(store, sender, clock, tick=0.01)
    await add(store)
    claim_due = store.claim_due
    failures = [RuntimeError("database is locked")]

    async def flaky(*args: Any) -> Any:
        if failures:
            raise failures.pop()
        return await claim_due(*args)

    monkeypatch.setattr(store, "claim_due", flaky)
    pusher.start()
    try:
        await until(lambda: len(sender.sent) == 1)
    finally:
        await pusher.stop()
    assert "Reminder delivery round failed" in caplog.text


@pytest.mark.parametrize("connections", [1, 2])
async def test_two_pushers_deliver_each_reminder_once(
    connect: Connect, clock: Clock, connections: int
) -> None:
    storages = [await connect() for _ in range(connections)]
    ids = [await add(storages[0], i % 7 + 1, text=f"r{i}") for i in range(120)]
    senders = [FakeSender(), FakeSender()]
    pushers = [make_pusher(storages[i % connections], senders[i], clock) for i in (0, 1)]
    while sum(await asyncio.gather(*(p.run_once() for p in pushers))):
        pass
    delivered = senders[0].sent_ids() + senders[1].sent_ids()
    assert sorted(delivered) == sorted(ids)
    assert all(sender.sent for sender in senders)  # both took part
    statuses = await storages[-1].fetch("SELECT status, count(*) FROM reminders GROUP BY status")
    assert [tuple(row) for row in statuses] == [("sent", 120)]


async def test_live_worker_in_a_long_round_keeps_its_claims(store: SqlStore, clock: Clock) -> None:
    # Worker A's round outlasts STALE_AFTER (here: the per-chat interval for a chat with
    # several due reminders; a long flood wait does the same) while worker B runs a round.
    slow_sender, other_sender = FakeSender(), FakeSender()
    slow = make_pusher(store, slow_sender, clock, per_chat_interval=0.5)
    other = make_pusher(store, other_sender, clock)
    ids = [await add(store, 1, text=f"r{i}") for i in range(2)]
    slow_round = asyncio.create_task(slow.run_once())
    await until(lambda: len(slow_sender.sent) == 1)
    clock.now = NOW + timedelta(seconds=STALE_AFTER + 1)
    await other.run_once()
    await slow_round
    delivered = collections.Counter(slow_sender.sent_ids() + other_sender.sent_ids())
    assert delivered == dict.fromkeys(ids, 1)


@pytest.fixture
def store(backend_store: SqlStore) -> SqlStore:
    """Every push test runs on SQLite and on a real PostgreSQL server."""
    return backend_store


async def test_a_staff_chat_refusing_the_bot_fails_the_post_and_blocks_no_applicant(
    store: SqlStore, sender: FakeSender, pusher: Pusher
) -> None:
    await store.touch_user(5, 5, NOW)
    draft = await store.save_ticket_draft(5, 5, "q", None, NOW)
    await store.open_ticket(5, draft, None, 3, -100, lambda ticket: "🎫 Ticket #1", NOW)
    await store.add_reminders([NewReminder(5, 5, "Bring passport", NOW, ZONE)], NOW)
    sender.fail(-100, Blocked("Forbidden: bot was kicked from the group chat"))
    await pusher.run_once()
    rows = await store.fetch("SELECT kind, status FROM reminders ORDER BY id")
    assert [(r[0], r[1]) for r in rows] == [("ticket", "failed"), ("reminder", "sent")]
    user = await store.get_user(5)
    assert user is not None
    assert user.active
