"""Background chores: notice knowledge-base edits, release announcements, report
finished broadcasts, purge old question text. Everything it has to say goes out
through the push queue, like any other unprompted message.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from bot import broadcasts, insights
from bot.answers import Answers
from bot.clock import Clock, utc_now
from bot.context import MEMORY
from bot.desk import DRAFT_LIFE as TICKET_DRAFT_LIFE
from bot.kb_versions import KnowledgeVersions
from bot.knowledge import KnowledgeBaseError, Location, Problem, knowledge_files
from bot.logs import Throttled
from bot.replies.staff import reload_text
from bot.store import Store
from bot.store.staff import SYSTEM
from bot.tasks import cancel

logger = logging.getLogger(__name__)

INTERVAL = 1.0  # seconds between rounds: a saved file is live within ~2 rounds
PURGE_EVERY = timedelta(hours=1)
# Kept only while useful: an applicant's unsent question, an unconfirmed knowledge
# base change, a question offered to staff to turn into knowledge.
KB_DRAFT_LIFE = timedelta(days=1)
SUGGESTION_LIFE = timedelta(days=7)

Signature = tuple[tuple[str, int, int], ...]


@dataclass(frozen=True, slots=True)
class ReloadResult:
    topics: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def describe(self) -> str:
        return reload_text(self.topics, self.problems)


def scan(directory: Path) -> Signature:
    """What the knowledge files look like now: paths, modification times, sizes."""
    signature = []
    for path in knowledge_files(directory) if directory.is_dir() else []:
        with contextlib.suppress(OSError):  # deleted between listing and stat
            stat = path.stat()
            signature.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(signature)


class Housekeeper:
    def __init__(
        self,
        store: Store,
        answers: Answers,
        directory: Path,
        staff_ids: frozenset[int],
        retention_days: int,
        wake: Callable[[], None],
        versions: KnowledgeVersions,
        clock: Clock = utc_now,
    ) -> None:
        self.store = store
        # The knowledge base's stored versions: the newest serves, on every instance.
        self.versions = versions
        self.answers = answers
        self.directory = directory
        self.staff_ids = staff_ids
        self.retention_days = retention_days
        self.wake = wake
        self.clock = clock
        self.seen = scan(directory)
        self.settling: Signature | None = None
        self.last_purge: datetime | None = None
        self.reload_lock = asyncio.Lock()
        self.task: asyncio.Task[None] | None = None
        self.log = Throttled(logger)

    def start(self) -> None:
        self.task = asyncio.create_task(self.run(), name="housekeeping")

    async def stop(self) -> None:
        if self.task is not None:
            await cancel(self.task)
            self.task = None

    async def run(self) -> None:
        while True:
            try:
                await self.round()
            except asyncio.CancelledError:
                raise
            except Exception:
                self.log.exception("round", "Housekeeping round failed; retrying")
            else:
                self.log.recovered("round", "Housekeeping works again")
            await asyncio.sleep(INTERVAL)

    async def round(self) -> None:
        if (lost := await self.store.verify()) is not None:
            # Said loudly, every minute, until someone acts: the bot now refuses every
            # change (it would be lost at the next start) and fails its health check.
            self.log.critical("lost", "%s. Nothing more is saved; restore it and restart.", lost)
            return
        now = self.clock()
        queued = False
        problems = await self.versions.sync()
        if problems and self.staff_ids:
            await self.store.notify_staff(sorted(self.staff_ids), reload_text(0, problems), now)
            queued = True
        if (result := await self.watch()) is not None and self.staff_ids:
            await self.store.notify_staff(sorted(self.staff_ids), result.describe(), now)
            queued = True
        kb = self.answers.current.kb
        if await broadcasts.release_announcements(self.store, kb, now):
            queued = True
        if await broadcasts.finish(self.store, now):
            queued = True
        if self.last_purge is None or now - self.last_purge >= PURGE_EVERY:
            # Memory of a conversation that ended is not kept either.
            await self.store.forget_contexts(now - MEMORY)
            purged = await insights.purge_question_text(self.store, now, self.retention_days)
            if purged:
                logger.info("Purged the text of %d question(s) past retention", purged)
            await self.purge_drafts(now)
            self.last_purge = now
        if queued:
            self.wake()

    async def purge_drafts(self, now: datetime) -> None:
        await self.store.purge_ticket_drafts(now - TICKET_DRAFT_LIFE)
        await self.store.purge_kb_drafts(now - KB_DRAFT_LIFE)
        await self.store.purge_suggestions(now - SUGGESTION_LIFE)

    async def watch(self) -> ReloadResult | None:
        """Reload once the files changed and then stayed unchanged for a round.

        Waiting for them to settle keeps a half-saved file from being reported. While
        a stored version serves, the files are not what serves: they are not watched.
        """
        if not self.versions.from_files:
            return None
        current = await asyncio.to_thread(scan, self.directory)
        if current == self.seen:
            self.settling = None
            return None
        if current != self.settling:
            self.settling = current
            return None
        return await self.reload(action="reload (file change)")

    async def reload(self, by: int = SYSTEM, action: str = "reload") -> ReloadResult:
        """Validate the whole knowledge base, then swap it in; on any problem keep the old one.

        Audited as ``action`` by staff member ``by``.
        """
        async with self.reload_lock:
            settled = self.settling
            self.seen = (
                settled if settled is not None else await asyncio.to_thread(scan, self.directory)
            )
            self.settling = None
            result = await self.load()
        await self.store.audit(by, action, result.describe(), self.clock())
        return result

    async def load(self) -> ReloadResult:
        try:
            # Under the versions' lock: a reload never races an upload or a rollback.
            snapshot = await self.versions.reload_live()
        except KnowledgeBaseError as error:
            logger.warning("Knowledge base not reloaded: %d problem(s)", len(error.problems))
            return ReloadResult(problems=error.problems)
        except Exception as error:
            # A bug in loading must still leave the old version serving, and say so.
            logger.exception("Knowledge base reload failed unexpectedly")
            where = Location(self.directory, 0)
            return ReloadResult(problems=[Problem(where, f"unexpected error: {error!r}")])
        logger.info("Knowledge base reloaded: %d topics", len(snapshot.kb.topics))
        return ReloadResult(topics=len(snapshot.kb.topics))
