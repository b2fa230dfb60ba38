"""Knowledge base versions kept in the store: propose, confirm, roll back, follow.

Every applied knowledge base is a numbered version holding all its files' text,
so it survives an ephemeral disk and reaches every instance: each one loads the
newest stored version at start-up and whenever housekeeping sees a newer one.
With no stored version (or after ``/kb rollback 0``) the deployment's own files
in the knowledge directory serve, and edits to them reload as before.

A change is validated in full (the loader's checks, every problem as
file:line, and no YAML aliases), compared with what serves now, and scored
before and after on the labelled regression set; it goes live only when a
staff member confirms, and only if no other version went live meanwhile.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path

from bot.answers import Answers, Snapshot
from bot.clock import Clock, utc_now
from bot.evaluation import LabelledQuestion, evaluate
from bot.kb_files import Files, alias_problems, directory_texts, zip_texts
from bot.knowledge import KnowledgeBase, KnowledgeBaseError, Problem, load_knowledge
from bot.knowledge.texts import load_texts
from bot.store import ApplyRefusal, KbVersion, Store

logger = logging.getLogger(__name__)

MAX_MISSES = 10


@dataclass(frozen=True, slots=True)
class Diff:
    """What a change does to the topics."""

    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    phrasings: int  # phrasings added, in new and changed topics alike

    @classmethod
    def between(cls, old: KnowledgeBase, new: KnowledgeBase) -> Diff:
        added = tuple(t for t in new.topics if t not in old.topics)
        removed = tuple(t for t in old.topics if t not in new.topics)
        changed = tuple(
            t for t in new.topics if t in old.topics and new.topics[t] != old.topics[t]
        )
        phrasings = sum(
            len(set(topic.questions) - set(old.topics[t].questions if t in old.topics else ()))
            for t, topic in new.topics.items()
        )
        return cls(added, changed, removed, phrasings)

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed)


@dataclass(frozen=True, slots=True)
class Scores:
    """How the labelled questions fare: answered as labelled, out of how many."""

    right: int
    count: int
    misses: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Preview:
    draft_id: int
    note: str
    topics: int
    diff: Diff
    before: Scores
    after: Scores


@dataclass(frozen=True, slots=True)
class Applied:
    number: int
    topics: int
    note: str


@dataclass(frozen=True, slots=True)
class Status:
    live: int  # 0: no stored version ever applied
    from_files: bool  # the deployment's files serve (no version, or a rollback to them)
    topics: int
    versions: list[KbVersion]


def score(snapshot: Snapshot, items: list[LabelledQuestion]) -> Scores:
    report = evaluate(snapshot, items)
    right = report.top1 + report.fallbacks
    misses = tuple(miss.question for miss in report.misses[:MAX_MISSES])
    return Scores(right, report.count, misses)


class KnowledgeVersions:
    def __init__(
        self, store: Store, answers: Answers, directory: Path, clock: Clock = utc_now
    ) -> None:
        self.store = store
        self.answers = answers
        self.directory = directory
        self.clock = clock
        self.live = 0  # the stored version serving; 0 when none
        self.files: Files | None = None  # its files; None while the directory's serve
        self.failed: int | None = None  # a stored version that would not load: not retried
        self.lock = asyncio.Lock()

    @property
    def from_files(self) -> bool:
        return self.files is None

    # -- following the newest version ------------------------------------------------

    async def sync(self) -> list[Problem] | None:
        """Serve the newest stored version if it is not serving yet; its problems if it
        cannot load (the current one keeps serving), else None."""
        newest = await self.store.latest_kb_number()
        if newest in (0, self.live, self.failed):
            return None
        async with self.lock:
            if newest == self.live:
                return None
            version = await self.store.kb_version(newest)
            if version is None:
                return None
            try:
                await self.serve(version.number, version.files)
            except KnowledgeBaseError as error:
                self.failed = newest
                logger.error(
                    "Knowledge base version %d does not load (%d problem(s)); keeping version %d",
                    newest,
                    len(error.problems),
                    self.live,
                )
                return error.problems
        logger.info("Knowledge base version %d is live", newest)
        return None

    async def serve(self, number: int, files: Files | None) -> Snapshot:
        """Load and index ``files`` (None: the directory's) and swap them in."""
        snapshot = await asyncio.to_thread(self.build, files)
        self.swap(snapshot, number, files)
        return snapshot

    def swap(self, snapshot: Snapshot, number: int, files: Files | None) -> None:
        """``snapshot`` serves from now on, as version ``number`` (0: the directory's files)."""
        self.answers.current = snapshot
        self.live, self.files = number, files

    def build(self, files: Files | None) -> Snapshot:
        kb = load_knowledge(self.directory) if files is None else load_texts(files)
        return Snapshot.build(kb)

    async def reload_live(self) -> Snapshot:
        """/reload: what serves, loaded again (the directory's files, or a stored version's).

        Raises KnowledgeBaseError, leaving the current snapshot serving.
        """
        async with self.lock:
            return await self.serve(self.live, self.files)

    async def live_files(self) -> Files:
        if self.files is not None:
            return dict(self.files)
        return await asyncio.to_thread(directory_texts, self.directory)

    # -- changes -----------------------------------------------------------------------

    async def propose(
        self,
        staff_id: int,
        files: Files,
        action: str,
        note: str,
        label: tuple[str, str] | None = None,
    ) -> Preview | list[Problem]:
        """Validate a whole new set of files and keep it as a draft to confirm; or its
        problems (nothing kept, nothing changed)."""
        labelled = [LabelledQuestion(q, t) for q, t in await self.store.labelled_questions()]
        if label is not None and label[0] not in {item.question for item in labelled}:
            labelled.append(LabelledQuestion(*label))
        current = self.answers.current
        try:
            built = await asyncio.to_thread(self.check, files, current, labelled)
        except KnowledgeBaseError as error:
            detail = f"{note}: {len(error.problems)} problem(s)"
            await self.store.audit(staff_id, f"knowledge {action} refused", detail, self.clock())
            return error.problems
        snapshot, before, after = built
        draft_id = await self.store.draft_kb(
            staff_id, self.live, action, note, files, label, self.clock()
        )
        diff = Diff.between(current.kb, snapshot.kb)
        return Preview(draft_id, note, len(snapshot.kb.topics), diff, before, after)

    def check(
        self, files: Files, current: Snapshot, labelled: list[LabelledQuestion]
    ) -> tuple[Snapshot, Scores, Scores]:
        problems = alias_problems(files)
        if problems:
            raise KnowledgeBaseError(problems)
        snapshot = Snapshot.build(load_texts(files))
        return snapshot, score(current, labelled), score(snapshot, labelled)

    async def apply(self, draft_id: int, staff_id: int) -> Applied | ApplyRefusal | list[Problem]:
        """Confirm a preview: it becomes the newest version and serves here at once."""
        draft = await self.store.kb_draft(draft_id)
        if draft is None or draft.status != "draft":
            return ApplyRefusal.DONE
        async with self.lock:
            try:
                snapshot = await asyncio.to_thread(self.build, draft.files)
            except KnowledgeBaseError as error:  # valid when previewed: the code changed since
                return error.problems
            number = await self.store.apply_kb(draft_id, staff_id, self.clock())
            if isinstance(number, ApplyRefusal):
                return number
            self.swap(snapshot, number, draft.files)
        logger.info("Knowledge base version %d applied by staff member %s", number, staff_id)
        return Applied(number, len(snapshot.kb.topics), draft.note)

    async def cancel(self, draft_id: int, staff_id: int) -> bool:
        return await self.store.cancel_kb(draft_id, staff_id, self.clock())

    async def rollback(self, number: int, staff_id: int) -> Applied | list[Problem] | None:
        """Serve version ``number`` again, as a new version (0: the deployment's files);
        None if there is no such version."""
        files: Files | None = None
        if number:
            version = await self.store.kb_version(number)
            if version is None:
                return None
            files = version.files
        note = f"rollback to version {number}" if number else "rollback to the deployment's files"
        async with self.lock:
            try:
                snapshot = await asyncio.to_thread(self.build, files)
            except KnowledgeBaseError as error:
                return error.problems
            live = await self.store.add_kb_version(staff_id, "rollback", note, files, self.clock())
            self.swap(snapshot, live, files)
        logger.info("Knowledge base version %d (%s) applied by %s", live, note, staff_id)
        return Applied(live, len(snapshot.kb.topics), note)

    async def export(self) -> tuple[int, bytes]:
        """The serving files as a .zip, and the version they are."""
        files = await self.live_files()
        return self.live, await asyncio.to_thread(zip_texts, files)

    async def status(self) -> Status:
        versions = await self.store.kb_versions(10)
        return Status(self.live, self.from_files, len(self.answers.current.kb.topics), versions)
