"""Is the bot healthy: its store answers, its knowledge base is loaded, its sender beats."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.store import Store

# A sender beats every second; this much silence means it is stuck or gone.
HEARTBEAT_LIMIT = timedelta(seconds=30)


@dataclass(frozen=True, slots=True)
class Health:
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    def describe(self) -> str:
        return "healthy" if self.ok else "; ".join(self.problems)


async def check(store: Store | None, topics: int, now: datetime) -> Health:
    """Everything a health probe asks; ``store`` None means it could not be opened."""
    problems = []
    if topics == 0:
        problems.append("no knowledge base is loaded")
    if store is None:
        problems.append("the database cannot be reached")
        return Health(tuple(problems))
    try:
        beat = await store.last_heartbeat()
    except Exception as error:  # whatever the driver raises, the answer is "unhealthy"
        problems.append(f"the database does not answer ({type(error).__name__})")
        return Health(tuple(problems))
    if beat is None:
        problems.append("no message sender has ever run against this database")
    elif now - beat > HEARTBEAT_LIMIT:
        silent = int((now - beat).total_seconds())
        problems.append(f"the message sender's last heartbeat was {silent} s ago")
    return Health(tuple(problems))
