"""The running bot's parts, built once and handed to every transport as one object."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bot import health
from bot.account import Account
from bot.answers import Answers
from bot.asking import Asker
from bot.clock import Clock, utc_now
from bot.config import Settings
from bot.curation import Curator
from bot.desk import Desk
from bot.flood_guard import TAP_LIMIT, FloodGuard
from bot.guide import Guide
from bot.health import Health
from bot.housekeeping import Housekeeper
from bot.instances import PollingLease
from bot.kb_versions import KnowledgeVersions
from bot.push import Pusher, Sender
from bot.recorder import Recorder
from bot.replies.staff import reload_text
from bot.sending import Budget, LocalBudget, SharedBudget
from bot.store import Store, open_store
from bot.tracking import Tracker

logger = logging.getLogger(__name__)


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
    budget: Budget
    recorder: Recorder
    clock: Clock
    desk: Desk
    versions: KnowledgeVersions
    curator: Curator
    lease: PollingLease | None = None
    guide: Guide = field(init=False)  # guided commands, over the tracker
    account: Account = field(init=False)  # /settings, /privacy, /calendar
    tap_guard: FloodGuard = field(default_factory=lambda: FloodGuard(TAP_LIMIT))

    def __post_init__(self) -> None:
        self.guide = Guide(self.tracker)
        self.account = Account(self.tracker, self.settings)

    @classmethod
    async def open(
        cls,
        settings: Settings,
        answers: Answers,
        sender: Sender,
        clock: Clock = utc_now,
        budget: Budget | None = None,
    ) -> Services:
        """Open the store and build every part; nothing runs until ``start``.

        ``budget`` replaces the sending budget (tests use a generous one).
        """
        url = settings.database_url.reveal() if settings.database_url else None
        store = await open_store(settings.database, url)
        versions = KnowledgeVersions(store, answers, settings.knowledge, clock)
        # The newest knowledge base staff applied, if any, serves from the start.
        if problems := await versions.sync():
            # Said once: housekeeping does not retry a version that would not load.
            logger.error("The newest stored knowledge base version does not load; see /kb")
            staff = sorted(settings.staff_ids)
            await store.notify_staff(staff, reload_text(0, problems), clock())
        await announce(store, answers)
        # One process on SQLite paces in memory; instances sharing PostgreSQL share a grid.
        if budget is None:
            budget = SharedBudget(store) if store.backend == "postgresql" else LocalBudget()
        pusher = Pusher(store, sender, clock=clock, budget=budget)
        recorder = Recorder()
        tracker = Tracker(store, settings.timezone, clock)
        tracker.listeners.append(pusher.wake)
        housekeeper = Housekeeper(
            store,
            answers,
            settings.knowledge,
            settings.staff_ids,
            settings.retention_days,
            pusher.wake,
            versions,
            clock,
        )
        asker = Asker(answers, store, clock, recorder)
        desk = Desk(store, answers, settings.desk, pusher.wake, recorder, clock)
        asker.offer = desk.offer
        return cls(
            settings=settings,
            answers=answers,
            store=store,
            asker=asker,
            tracker=tracker,
            pusher=pusher,
            housekeeper=housekeeper,
            flood_guard=FloodGuard(),
            budget=budget,
            recorder=recorder,
            clock=clock,
            desk=desk,
            versions=versions,
            curator=Curator(store, answers, versions, clock),
        )

    async def claim_polling(self) -> None:
        """Become this token's one long-poller, or raise AlreadyPolling."""
        lease = PollingLease(self.store, self.clock)
        await lease.acquire()
        self.lease = lease

    def start(self) -> None:
        """Start delivering the outbox and the background chores."""
        self.recorder.start()
        self.pusher.start()
        self.housekeeper.start()

    async def stop(self) -> None:
        """Stop pushing while the bot can still talk; unsent claims go back to the outbox."""
        await self.housekeeper.stop()
        await self.pusher.stop()
        await self.recorder.stop()
        if self.lease is not None:
            await self.lease.release()

    async def close(self) -> None:
        await self.store.close()

    def remember_seen(
        self, user_id: int, chat_id: int, resumed: Callable[[int], Awaitable[None]]
    ) -> None:
        """Record that the user wrote, in the background; ``resumed`` hears of reminders
        resumed for a user who had blocked the bot and came back."""

        async def touch() -> None:
            seen = await self.tracker.seen(user_id, chat_id)
            if seen.resumed:
                await resumed(seen.resumed)

        self.recorder.record(touch)

    async def forget(self, user_id: int) -> bool:
        """Delete everything stored about the user, the memory of their chat included."""
        self.asker.forget(str(user_id))
        return await self.tracker.forget(user_id)

    async def health(self) -> Health:
        problems = [p for p in (await self.store.verify(), self.recorder.problem) if p]
        verdict = await health.check(self.store, len(self.answers.current.kb.topics), self.clock())
        return Health((*problems, *verdict.problems))

    def is_staff(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.settings.staff_ids


async def announce(store: Store, answers: Answers) -> None:
    """One line at start-up: which database, how full, which knowledge base."""
    census = await store.census()
    logger.info(
        "Database: %s at %s (%d users, %d messages waiting); knowledge base: %d topics",
        store.backend,
        store.location,
        census.users,
        census.pending,
        len(answers.current.kb.topics),
    )
    if store.created and store.location != ":memory:":
        logger.warning(
            "The database at %s was just created, empty. If this bot had users before, "
            "JETBOT_DATABASE or DATABASE_URL points at the wrong place, or its disk was wiped.",
            store.location,
        )
