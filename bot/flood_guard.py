"""Per-user message limit, so that no one can eat the bot's sending budget."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from enum import Enum

LIMIT = 20  # messages
# Button taps: browsing a menu at a tap a second never reaches it; a script hammering
# buttons does. Taps get no message back, so they cost little of the sending budget.
TAP_LIMIT = 120
PERIOD = 60.0  # seconds
PRUNE_AT = 10_000  # users remembered before the quiet ones are forgotten


class Verdict(Enum):
    ALLOW = "allow"
    WARN = "warn"  # over the limit just now: tell them once
    IGNORE = "ignore"  # still over the limit: stay silent


class FloodGuard:
    """At most ``limit`` messages per user in any ``period`` seconds.

    In memory on purpose: a restart forgiving everyone is harmless, and a database
    write per message would cost more than the check saves.
    """

    def __init__(
        self,
        limit: int = LIMIT,
        period: float = PERIOD,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.period = period
        self.clock = clock  # monotonic seconds; tests pass their own
        self.seen: dict[int, deque[float]] = {}
        self.warned: dict[int, float] = {}

    def check(self, user_id: int, now: float | None = None) -> Verdict:
        """Count a message from ``user_id`` at monotonic time ``now`` (default: the clock)."""
        now = self.clock() if now is None else now
        if len(self.seen) > PRUNE_AT:
            self.prune(now)
        times = self.seen.setdefault(user_id, deque())
        while times and times[0] <= now - self.period:
            times.popleft()
        warned = self.warned.get(user_id)
        if warned is not None and now - warned < self.period:
            return Verdict.IGNORE
        self.warned.pop(user_id, None)
        times.append(now)
        if len(times) <= self.limit:
            return Verdict.ALLOW
        self.warned[user_id] = now
        times.clear()
        return Verdict.WARN

    def prune(self, now: float) -> None:
        """Forget users quiet for a whole period, so memory follows active users only."""
        cutoff = now - self.period
        self.warned = {u: t for u, t in self.warned.items() if t > cutoff}
        self.seen = {
            u: t for u, t in self.seen.items() if u in self.warned or (t and t[-1] > cutoff)
        }
