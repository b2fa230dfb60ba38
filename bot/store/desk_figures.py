"""The help desk's figures for /stats: tickets, and where applicants came from."""

from __future__ import annotations

import statistics

from bot.store.db import Connection, Database
from bot.store.rows import TicketFigures


async def ticket_figures(reader: Database | Connection) -> TicketFigures:
    """Tickets opened and answered, and the median time to a first answer."""
    rows = await reader.fetch("SELECT opened_at, answered_at FROM tickets")
    waits = [int(r[1]) - int(r[0]) for r in rows if r[1] is not None]
    median = float(statistics.median(waits)) if waits else None
    return TicketFigures(len(rows), len(waits), median)


async def start_sources(reader: Database | Connection) -> list[tuple[str, int]]:
    """How many /start presses came through each deep link, most first."""
    rows = await reader.fetch(
        "SELECT source, starts FROM start_sources ORDER BY starts DESC, source"
    )
    return [(str(r[0]), int(r[1])) for r in rows]
