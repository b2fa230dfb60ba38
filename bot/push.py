"""The one sender of unprompted messages: claim, pace, send, mark.

Delivery rules, all enforced here:
- every send first takes its turn from the sending budget (bot/sending.py), which
  replies share: at most ~28 a second overall, one a second to any one chat;
- a flood wait (429) pauses the whole budget for ``retry_after`` and retries the
  message without counting it as a failed attempt;
- 5xx and network errors retry with exponential backoff, bounded, then the
  reminder is marked failed (kept, visible), never dropped;
- 403 (the user blocked the bot) marks the user inactive and pauses their
  reminders; nobody else's sends are affected;
- a send that timed out may have been delivered: it is retried (at-least-once),
  because a lost interview reminder costs more than a repeated one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from datetime import timedelta
from typing import Protocol

from bot.clock import Clock, utc_now
from bot.logs import Throttled
from bot.replies import Reply
from bot.replies.pushes import compose
from bot.sending import PER_CHAT, RATE, Budget, LocalBudget, Priority
from bot.store import Kind, Reminder, Store
from bot.tasks import cancel

logger = logging.getLogger(__name__)

BATCH = 50
CONCURRENCY = 30
MAX_ATTEMPTS = 5
BACKOFF_BASE = 2.0  # seconds; doubles with each attempt
BACKOFF_CAP = 600.0
TICK = 1.0
STALE_AFTER = 10  # seconds without a heartbeat before a worker's claims are taken back
STOP_GRACE = 15.0  # seconds a stopping worker gives the sends under way


class Blocked(Exception):
    """The user blocked the bot (403)."""


class FloodWait(Exception):
    """Telegram asked us to slow down (429)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"flood wait {seconds:g} s")
        self.seconds = seconds


class Transient(Exception):
    """A 5xx or network error: the message was not delivered; try again later."""


class Uncertain(Exception):
    """The send timed out: Telegram may or may not have delivered it."""


class Rejected(Exception):
    """Telegram refused the message for good (e.g. 400); retrying cannot help."""


class Sender(Protocol):
    async def send(self, chat_id: int, reply: Reply) -> None:
        """Deliver or raise one of Blocked, FloodWait, Transient, Uncertain, Rejected."""


class Pusher:
    """Delivers due outbox rows from the store; safe to run in several processes at once."""

    def __init__(
        self,
        store: Store,
        sender: Sender,
        *,
        clock: Clock = utc_now,
        budget: Budget | None = None,
        rate: int = RATE,
        per_chat_interval: float = PER_CHAT,
        backoff_base: float = BACKOFF_BASE,
        tick: float = TICK,
    ) -> None:
        self.store = store
        self.sender = sender
        self.clock = clock
        self.budget = budget or LocalBudget(rate, per_chat_interval)
        self.backoff_base = backoff_base
        self.tick = tick
        self.worker = uuid.uuid4().hex
        self.log = Throttled(logger)
        self.slots = asyncio.Semaphore(CONCURRENCY)
        self.wakeup = asyncio.Event()
        self.task: asyncio.Task[None] | None = None
        self.stopping = False

    def wake(self) -> None:
        self.wakeup.set()

    def start(self) -> None:
        self.task = asyncio.create_task(self.run(), name="reminder-pusher")

    async def stop(self, grace: float = STOP_GRACE) -> None:
        """Stop claiming, let sends under way finish, then hand back anything unsettled.

        Cancelling mid-send would turn every deploy into repeated messages; only a
        send still running after ``grace`` seconds is cut (and, at-least-once,
        sent again by the next run).
        """
        if self.task is not None:
            self.stopping = True
            self.wake()
            done, _ = await asyncio.wait({self.task}, timeout=grace)
            if not done:
                self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
            self.task = None
        try:
            released = await self.store.release(self.worker)
        except Exception as error:
            # Its claims go back by themselves once its heartbeat is stale.
            logger.warning("Could not hand back claims on stop (%s)", error)
            return
        if released:
            logger.info("Handed back %d unsent reminder(s) on stop", released)

    async def run(self) -> None:
        """Deliver due reminders until cancelled; catches up on start-up."""
        beating = asyncio.create_task(self.heartbeats(), name="reminder-heartbeat")
        try:
            await self.deliver_forever()
        finally:
            await cancel(beating)

    async def heartbeats(self) -> None:
        """Prove this worker alive on its own schedule, however long a round takes.

        Another worker takes back the claims of one whose heartbeat goes stale.
        """
        while True:
            try:
                await self.store.heartbeat(self.worker, self.clock())
            except asyncio.CancelledError:
                raise
            except Exception:
                self.log.exception("heartbeat", "Heartbeat failed")
            await asyncio.sleep(self.tick)

    async def deliver_forever(self) -> None:
        while not self.stopping:
            try:
                sent = await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                # The database or the network hiccupped: keep the loop alive.
                self.log.exception("round", "Reminder delivery round failed; retrying")
                sent = 0
            else:
                self.log.recovered("round", "Reminder delivery works again")
            if sent < BATCH and not self.stopping:
                await self.sleep()

    async def sleep(self) -> None:
        # Cleared before looking, so a wake() during the query is not lost.
        self.wakeup.clear()
        upcoming = await self.store.next_run_at()
        delay = self.tick
        if upcoming is not None:
            delay = min(delay, max((upcoming - self.clock()).total_seconds(), 0.0))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.wakeup.wait(), timeout=delay)

    async def run_once(self) -> int:
        """One round: heartbeat, take back dead workers' claims, deliver a batch."""
        now = self.clock()
        await self.store.heartbeat(self.worker, now)  # before reclaiming: never our own
        reclaimed = await self.store.reclaim_stale(now, STALE_AFTER)
        if reclaimed:
            logger.warning("Took back %d reminder(s) from a stopped worker", reclaimed)
        batch = await self.store.claim_due(self.worker, now, BATCH)
        if batch:
            # claim_due gives at most one row per chat, so no two sends here share a chat.
            await asyncio.gather(*(self.deliver(reminder) for reminder in batch))
        return len(batch)

    async def deliver(self, reminder: Reminder) -> None:
        async with self.slots:
            await self.budget.acquire(reminder.chat_id, Priority.PUSH)
            await self.attempt(reminder)

    async def attempt(self, reminder: Reminder) -> None:
        store, worker = self.store, self.worker
        # Pacing may have kept this send waiting; if our heartbeat lapsed meanwhile,
        # another worker may have taken the reminder back, and it is theirs to send.
        if not await store.holds_claim(reminder.id, worker):
            logger.warning("Reminder %s was taken back by another worker; skipping", reminder.id)
            return
        try:
            await self.sender.send(reminder.chat_id, compose(reminder, self.clock()))
        except FloodWait as wait:
            await self.budget.pause(wait.seconds)
            retry_at = self.clock() + timedelta(seconds=wait.seconds)
            await store.retry_later(reminder.id, worker, retry_at, str(wait), counts=False)
            logger.warning("Flood wait of %g s from Telegram; pausing sends", wait.seconds)
        except Blocked as error:
            if reminder.kind is Kind.TICKET:
                # The bot was removed from the staff chat: the applicant blocked nothing.
                await store.mark_failed(reminder.id, worker, f"staff chat refused: {error}")
                logger.error("The staff chat refuses the bot; ticket post %s failed", reminder.id)
                return
            paused = await store.mark_inactive(reminder.user_id)
            logger.info("User %s blocked the bot; paused %d reminder(s)", reminder.user_id, paused)
        except (Transient, Uncertain) as error:
            await self.retry_or_fail(reminder, error)
        except Rejected as error:
            await store.mark_failed(reminder.id, worker, f"rejected: {error}")
            logger.error("Reminder %s rejected by Telegram: %s", reminder.id, error)
        except Exception as error:
            # Unforeseen (a library error, say): retried and bounded like a network
            # error, so the reminder never sits claimed for good.
            logger.exception("Reminder %s: unexpected error while sending", reminder.id)
            await self.retry_or_fail(reminder, Transient(repr(error)))
        else:
            await store.mark_sent(reminder.id, worker, self.clock())

    async def retry_or_fail(self, reminder: Reminder, error: Exception) -> None:
        kind = "timed out" if isinstance(error, Uncertain) else "error"
        if reminder.attempts >= MAX_ATTEMPTS:
            await self.store.mark_failed(
                reminder.id, self.worker, f"{kind} after {reminder.attempts} attempts: {error}"
            )
            logger.error("Reminder %s failed after %d attempts", reminder.id, reminder.attempts)
            return
        delay = min(self.backoff_base * 2 ** (reminder.attempts - 1), BACKOFF_CAP)
        retry_at = self.clock() + timedelta(seconds=delay)
        await self.store.retry_later(reminder.id, self.worker, retry_at, f"{kind}: {error}")
