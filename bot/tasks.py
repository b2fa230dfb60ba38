"""Background tasks: the one way to stop one."""

from __future__ import annotations

import asyncio
import contextlib


async def cancel(task: asyncio.Task[None]) -> None:
    """Cancel ``task`` and wait until it has stopped, so nothing it owns outlives the stop."""
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
