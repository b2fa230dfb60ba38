"""Deep links: ``t.me/<bot>?start=<source>`` counted per source, and nothing else kept.

Telegram hands the bot ``/start <source>``; the source is whatever the link
says, so it is checked (letters, digits, _ and -, at most 64, as Telegram allows)
and only then counted. No user id goes with the count.
"""

from __future__ import annotations

import re
from datetime import datetime

from bot.recorder import Recorder
from bot.store import Store

SOURCE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def start_source(text: str) -> str | None:
    """The source of ``/start <source>``; None when there is none or it is malformed."""
    words = text.split()
    if len(words) != 2 or not words[0].startswith("/start"):
        return None
    return words[1] if SOURCE.match(words[1]) else None


def count_start(store: Store, recorder: Recorder, text: str, now: datetime) -> bool:
    """Count a /start through a deep link, in the background; whether it was one."""
    source = start_source(text)
    if source is None:
        return False

    async def count() -> None:
        await store.count_start(source, now)

    recorder.record(count)
    return True
