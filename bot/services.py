"""The running bot's parts, built once and handed to every transport as one object."""

from __future__ import annotations

from dataclasses import dataclass

from bot.answers import Answers
from bot.asking import Asker
from bot.clock import Clock, utc_now
from bot.config import Settings
from bot.flood_guard import FloodGuard
from bot.housekeeping import Housekeeper
from bot.push import Pusher, Sender
from bot.store import Store, open_sqlite
from bot.tracking import Tracker


@dataclass(slots=True)
class Services:
    settings: Settings
    answers: Answers
    store: Store
    asker: Asker
    tracker: Tracker
    pusher: Pusher
    housekeeper: Housekeeper
    flood_guard: FloodGuard
    clock: Clock

    @classmethod
    async def open(
        cls,
        settings: Settings,
        answers: Answers,
        sender: Sender,
        clock: Clock = utc_now,
    ) -> Services:
        """Open the store and build every part; nothing runs until ``start``."""
        store = await open_sqlite(settings.database)
        pusher = Pusher(store, sender, clock=clock)
        tracker = Tracker(store, settings.timezone, clock)
        tracker.listeners.append(pusher.wake)
        housekeeper = Housekeeper(
            store,
            answers,
            settings.knowledge,
            settings.staff_ids,
            settings.retention_days,
            pusher.wake,
            clock,
        )
        return cls(
            settings=settings,
            answers=answers,
            store=store,
            asker=Asker(answers, store, clock),
            tracker=tracker,
            pusher=pusher,
            housekeeper=housekeeper,
            flood_guard=FloodGuard(),
            clock=clock,
        )

    def start(self) -> None:
        """Start delivering the outbox and the background chores."""
        self.pusher.start()
        self.housekeeper.start()

    async def stop(self) -> None:
        """Stop pushing while the bot can still talk; unsent claims go back to the outbox."""
        await self.housekeeper.stop()
        await self.pusher.stop()

    async def close(self) -> None:
        await self.store.close()

    def is_staff(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.settings.staff_ids
