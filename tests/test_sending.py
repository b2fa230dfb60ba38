"""The sending budget: evenly paced, one a second per chat, replies first, 429s pause all."""

from __future__ import annotations

import asyncio
import itertools
import time

import pytest

from bot.sending import LocalBudget, Priority, SharedBudget
from bot.store import SqlStore

REPLY, PUSH = Priority.REPLY, Priority.PUSH


async def send_times(
    budget: LocalBudget | SharedBudget, jobs: list[tuple[int | None, Priority]]
) -> list[float]:
    """When each job's send may go, in the order the jobs finish."""
    times: list[float] = []

    async def one(chat: int | None, priority: Priority) -> None:
        await budget.acquire(chat, priority)
        times.append(time.monotonic())

    await asyncio.gather(*(one(chat, priority) for chat, priority in jobs))
    return sorted(times)


def busiest_window(times: list[float], width: float) -> int:
    return max(sum(1 for t in times if start <= t < start + width) for start in times)


async def test_a_burst_goes_out_evenly_spaced() -> None:
    budget = LocalBudget(rate=20)
    times = await send_times(budget, [(None, REPLY)] * 21)
    assert all(b - a >= 1 / 20 - 0.005 for a, b in itertools.pairwise(times))
    assert busiest_window(times, 1.0) <= 20 + 1
    assert times[-1] - times[0] >= 1.0 - 0.01


async def test_one_chat_gets_one_send_a_second() -> None:
    budget = LocalBudget(rate=100, per_chat=0.2)
    times = await send_times(budget, [(7, REPLY)] * 4)
    assert all(b - a >= 0.2 - 0.005 for a, b in itertools.pairwise(times))


async def test_replies_go_before_queued_pushes() -> None:
    budget = LocalBudget(rate=20)
    order: list[str] = []

    async def one(name: str, priority: Priority) -> None:
        await budget.acquire(None, priority)
        order.append(name)

    pushes = [asyncio.create_task(one(f"push{i}", PUSH)) for i in range(10)]
    await asyncio.sleep(0.12)  # a few pushes are out; the rest wait their turn
    await one("reply", REPLY)
    await asyncio.gather(*pushes)
    assert order.index("reply") <= 4, order


async def test_a_flood_wait_pauses_everything_and_resumes_paced() -> None:
    budget = LocalBudget(rate=20)
    await budget.acquire(None, REPLY)
    await budget.pause(0.3)
    paused_at = time.monotonic()
    times = await send_times(budget, [(None, PUSH)] * 6 + [(None, REPLY)] * 6)
    assert times[0] - paused_at >= 0.3 - 0.005
    # No catch-up burst after the wait: still one slot apart.
    assert all(b - a >= 1 / 20 - 0.005 for a, b in itertools.pairwise(times))


async def test_a_send_booked_before_a_pause_waits_past_it() -> None:
    budget = LocalBudget(rate=10)
    early = asyncio.create_task(send_times(budget, [(None, REPLY)] * 3))
    await asyncio.sleep(0.01)  # the first went at once; two are booked and waiting
    await budget.pause(0.4)
    paused_at = time.monotonic()
    times = await early
    assert [t - paused_at >= 0.4 - 0.005 for t in times] == [False, True, True]


# -- shared across instances -------------------------------------------------------------


@pytest.fixture
def store(backend_store: SqlStore) -> SqlStore:
    return backend_store


async def test_two_instances_share_one_grid(store: SqlStore) -> None:
    one, two = SharedBudget(store, rate=20), SharedBudget(store, rate=20)
    jobs: list[tuple[int | None, Priority]] = [(None, REPLY)] * 10
    first, second = await asyncio.gather(send_times(one, jobs), send_times(two, jobs))
    times = sorted(first + second)
    assert busiest_window(times, 1.0) <= 20 + 1
    assert all(b - a >= 1 / 20 - 0.01 for a, b in itertools.pairwise(times))


async def test_a_pause_in_one_instance_holds_the_other(store: SqlStore) -> None:
    one, two = SharedBudget(store, rate=20), SharedBudget(store, rate=20)
    await one.pause(0.3)
    paused_at = time.monotonic()
    [sent] = await send_times(two, [(None, REPLY)])
    assert sent - paused_at >= 0.3 - 0.02


async def test_shared_chat_turns(store: SqlStore) -> None:
    one, two = (
        SharedBudget(store, rate=100, per_chat=0.2),
        SharedBudget(store, rate=100, per_chat=0.2),
    )
    first, second = await asyncio.gather(
        send_times(one, [(5, REPLY)] * 2), send_times(two, [(5, REPLY)] * 2)
    )
    times = sorted(first + second)
    assert all(b - a >= 0.2 - 0.02 for a, b in itertools.pairwise(times))


async def test_pushes_yield_to_booked_replies(store: SqlStore) -> None:
    budget = SharedBudget(store, rate=10)
    await send_times(budget, [(None, REPLY)] * 1)
    # Replies booked far ahead: a push finds no room now and must wait.
    assert await store.book_send_slot(0.1, push=False, lead=0.05) is not None
    assert await store.book_send_slot(0.1, push=False, lead=0.05) is not None
    assert await store.book_send_slot(0.1, push=True, lead=0.05) is None


async def test_waiting_pushes_take_turns_at_polling_the_shared_grid(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    budget = SharedBudget(store, rate=100)
    booked = store.book_send_slot
    calls = 0

    async def counted(spacing: float, push: bool, lead: float) -> float | None:
        nonlocal calls
        calls += 1
        return await booked(spacing, push, lead)

    monkeypatch.setattr(store, "book_send_slot", counted)
    times = await send_times(budget, [(None, PUSH)] * 40)
    assert busiest_window(times, 1.0) <= 100 + 1
    # Every waiting push polling each slot made it ~25 transactions a push.
    assert calls <= 3 * 40
