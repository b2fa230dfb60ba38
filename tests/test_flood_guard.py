"""The per-user message limit: 20 a minute, one warning, then silence until the minute ends."""

from __future__ import annotations

import pytest

from bot import flood_guard
from bot.flood_guard import LIMIT, PERIOD, FloodGuard, Verdict

T0 = 1000.0  # monotonic seconds


def burst(
    guard: FloodGuard, user_id: int, count: int, start: float = T0, step: float = 0.5
) -> list[Verdict]:
    return [guard.check(user_id, start + i * step) for i in range(count)]


def test_defaults_are_twenty_a_minute() -> None:
    guard = FloodGuard()
    assert (guard.limit, guard.period) == (LIMIT, PERIOD) == (20, 60.0)


def test_twenty_messages_in_a_minute_are_allowed() -> None:
    guard = FloodGuard()
    assert burst(guard, 1, 20) == [Verdict.ALLOW] * 20


def test_the_21st_warns_once_then_the_rest_of_the_minute_is_ignored() -> None:
    guard = FloodGuard()
    burst(guard, 1, 20)  # T0 .. T0 + 9.5
    warned_at = T0 + 10
    assert guard.check(1, warned_at) is Verdict.WARN
    assert burst(guard, 1, 50, start=warned_at + 0.5, step=1.0) == [Verdict.IGNORE] * 50
    assert guard.check(1, warned_at + PERIOD - 0.01) is Verdict.IGNORE
    assert guard.check(1, warned_at + PERIOD) is Verdict.ALLOW


def test_after_the_minute_a_full_allowance_again() -> None:
    guard = FloodGuard()
    burst(guard, 1, 21)
    after = T0 + 10 + PERIOD
    assert burst(guard, 1, 20, start=after) == [Verdict.ALLOW] * 20
    assert guard.check(1, after + 10) is Verdict.WARN


def test_a_second_flood_warns_again() -> None:
    guard = FloodGuard()
    first = burst(guard, 1, 22, step=0.1)
    second = burst(guard, 1, 22, start=T0 + 120, step=0.1)
    for verdicts in (first, second):
        assert verdicts == [Verdict.ALLOW] * 20 + [Verdict.WARN, Verdict.IGNORE]


def test_users_are_independent() -> None:
    guard = FloodGuard()
    assert burst(guard, 1, 21, step=0.1)[-1] is Verdict.WARN
    assert burst(guard, 2, 20, start=T0 + 2.1, step=0.1) == [Verdict.ALLOW] * 20
    assert guard.check(1, T0 + 5) is Verdict.IGNORE
    assert guard.check(2, T0 + 5) is Verdict.WARN
    assert guard.check(3, T0 + 5) is Verdict.ALLOW


@pytest.mark.parametrize("step", [3.0, 3.5, 10.0])
def test_messages_spread_over_more_than_a_minute_never_trip_it(step: float) -> None:
    guard = FloodGuard()
    assert set(burst(guard, 1, 200, step=step)) == {Verdict.ALLOW}


def test_a_steady_rate_just_too_fast_trips_it() -> None:
    guard = FloodGuard()
    verdicts = burst(guard, 1, 21, step=2.9)  # 21 messages within 58 s
    assert verdicts == [Verdict.ALLOW] * 20 + [Verdict.WARN]


def test_custom_limit_and_period() -> None:
    guard = FloodGuard(limit=2, period=10)
    assert burst(guard, 1, 4, step=1.0) == [
        Verdict.ALLOW,
        Verdict.ALLOW,
        Verdict.WARN,
        Verdict.IGNORE,
    ]
    assert guard.check(1, T0 + 2 + 10) is Verdict.ALLOW


def test_prune_forgets_quiet_users_and_keeps_warned_ones() -> None:
    guard = FloodGuard()
    guard.check(1, T0)  # quiet since T0
    burst(guard, 2, 21, start=T0 + 30, step=0.1)  # warned at T0 + 32
    guard.check(3, T0 + 50)  # active
    guard.prune(T0 + 80)
    assert set(guard.seen) == {2, 3}
    assert set(guard.warned) == {2}
    assert guard.check(2, T0 + 81) is Verdict.IGNORE
    guard.prune(T0 + 200)
    assert guard.seen == {}
    assert guard.warned == {}
    assert guard.check(2, T0 + 201) is Verdict.ALLOW


def test_memory_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(flood_guard, "PRUNE_AT", 50)
    guard = FloodGuard()
    sizes = []
    for user_id in range(1000):
        assert guard.check(user_id, T0 + user_id * 1.0) is Verdict.ALLOW
        sizes.append(len(guard.seen))
    # Once past PRUNE_AT, only the users heard from in the last minute are remembered.
    assert max(sizes) <= PERIOD + 1
    assert min(guard.seen) > 1000 - 62


def test_the_clock_is_the_guards_own_when_no_time_is_given() -> None:
    now = [T0]
    guard = FloodGuard(limit=2, clock=lambda: now[0])
    assert [guard.check(1), guard.check(1), guard.check(1)] == [
        Verdict.ALLOW,
        Verdict.ALLOW,
        Verdict.WARN,
    ]
    now[0] += PERIOD
    assert guard.check(1) is Verdict.ALLOW


def test_taps_at_one_a_second_for_two_minutes_stay_under_the_tap_limit() -> None:
    guard = FloodGuard(flood_guard.TAP_LIMIT)
    assert burst(guard, 1, 120, step=1.0) == [Verdict.ALLOW] * 120
    # A script tapping ten times a second is stopped.
    assert Verdict.WARN in burst(guard, 2, 200, step=0.1)
