"""Staff change the knowledge base from Telegram: uploads, versions, and questions
(answered tickets, unanswered ones) turned into knowledge.

Every change goes the same way (bot/kb_versions.py): validated in full, shown
with what it changes and how the labelled questions fare, applied only after
Confirm, as a new stored version. A question added to a topic joins the labelled
regression set when its change is applied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot import insights
from bot.answers import Answers
from bot.clock import Clock, utc_now
from bot.kb_files import (
    EditError,
    UploadError,
    add_phrasing,
    check_size,
    merge,
    read_upload,
    title_from,
    topic_file,
)
from bot.kb_versions import KnowledgeVersions, Preview
from bot.knowledge import Problem
from bot.replies import Reply, note, problem
from bot.replies import kb as say
from bot.store import ApplyRefusal, Store, Suggestion
from bot.text import printable

CANDIDATES = 3
NUMBER = re.compile(r"[0-9]{1,9}")
MAX_PHRASING = 300  # a phrasing is one line; a longer question is cut at a word


@dataclass(frozen=True, slots=True)
class Export:
    """A file to send: the knowledge base as a .zip."""

    filename: str
    data: bytes
    caption: str


def phrasing(question: str) -> str:
    flat = printable(question)
    return flat if len(flat) <= MAX_PHRASING else flat[:MAX_PHRASING].rsplit(" ", 1)[0]


class Curator:
    def __init__(
        self, store: Store, answers: Answers, versions: KnowledgeVersions, clock: Clock = utc_now
    ) -> None:
        self.store = store
        self.answers = answers
        self.versions = versions
        self.clock = clock

    # -- uploads and versions ----------------------------------------------------------

    async def refuse_upload(self, staff_id: int, name: str, size: int | None) -> Reply | None:
        """Why a document must not even be downloaded (its name or its size), if so."""
        try:
            check_size(name, size)
        except UploadError as error:
            await self.store.audit(staff_id, "knowledge upload refused", str(error), self.clock())
            return say.unreadable(str(error))
        return None

    async def upload(self, staff_id: int, name: str, data: bytes) -> Reply:
        """A staff member sent a knowledge file or a .zip: check it, show what changes."""
        try:
            upload = read_upload(name, data)
        except UploadError as error:
            await self.store.audit(staff_id, "knowledge upload refused", str(error), self.clock())
            return say.unreadable(str(error))
        files = merge(await self.versions.live_files(), upload)
        return shown(await self.versions.propose(staff_id, files, "upload", f"upload {name}"))

    async def confirm(self, staff_id: int, draft_id: int, apply: bool) -> Reply:
        if not apply:
            return say.cancelled(await self.versions.cancel(draft_id, staff_id))
        result = await self.versions.apply(draft_id, staff_id)
        if isinstance(result, ApplyRefusal):
            return say.apply_refused(result)
        if isinstance(result, list):
            return say.refused(result)
        return say.applied(result)

    async def kb_command(self, staff_id: int, args: str) -> Reply | Export:
        """/kb, /kb export, /kb rollback N."""
        words = args.split()
        if not words:
            return say.status(await self.versions.status())
        if words == ["export"]:
            number, data = await self.versions.export()
            name = f"knowledge-v{number}.zip" if number else "knowledge.zip"
            await self.store.audit(staff_id, "knowledge exported", name, self.clock())
            return Export(name, data, say.export_caption(number))
        if len(words) == 2 and words[0] == "rollback":
            if not NUMBER.fullmatch(words[1]):
                return problem(say.KB_USAGE)
            number = int(words[1])
            result = await self.versions.rollback(number, staff_id)
            if result is None:
                return say.no_version(number)
            return say.refused(result) if isinstance(result, list) else say.applied(result)
        return problem(say.KB_USAGE)

    # -- questions into knowledge ----------------------------------------------------

    async def from_ticket(self, ticket_id: int) -> Reply:
        """ "Add to knowledge base" under an answered ticket: which topic covers it?"""
        ticket = await self.store.get_ticket(ticket_id)
        if ticket is None:
            return note(f"Ticket #{ticket_id} no longer exists: the applicant deleted their data.")
        thread = await self.store.ticket_thread(ticket_id)
        answer = next((m.text for m in reversed(thread) if m.author == "staff"), None)
        if answer is None:
            return note(f"Answer ticket #{ticket_id} first (reply to it), then add it.")
        question = phrasing(ticket.question)
        suggestion = await self.suggest(question, answer, ticket_id, ticket.guess)
        return say.choices(suggestion, self.answers.current.kb, f"Ticket #{ticket_id}")

    async def unanswered(self) -> Reply:
        """/unanswered: the most frequent ones, each with a button to add it."""
        groups = await insights.unanswered(self.store)
        ids = []
        for group in groups[: say.CURATE_BUTTONS]:
            suggestion = await self.suggest(phrasing(group.text), None, None, group.best_guess)
            ids.append(suggestion.id)
        return say.unanswered(groups, ids)

    async def offer_topics(self, suggestion_id: int) -> Reply:
        suggestion = await self.store.suggestion(suggestion_id)
        if suggestion is None:
            return say.suggestion_gone()
        return say.choices(suggestion, self.answers.current.kb, "Unanswered question")

    async def pick(self, staff_id: int, suggestion_id: int, choice: int) -> Reply:
        """The question becomes a phrasing of the chosen topic: preview the change."""
        suggestion = await self.store.suggestion(suggestion_id)
        if suggestion is None or choice >= len(suggestion.candidates):
            return say.suggestion_gone()
        topic = suggestion.candidates[choice]
        try:
            files = add_phrasing(await self.versions.live_files(), topic, suggestion.question)
        except EditError as error:
            return problem(str(error))
        note_text = f"{origin(suggestion)}: a phrasing for {topic}"
        label = (suggestion.question, topic)
        return shown(await self.versions.propose(staff_id, files, "phrasing", note_text, label))

    async def new_topic(self, staff_id: int, suggestion_id: int) -> Reply:
        """A new topic from the staff answer, in a file of its own: preview the change."""
        suggestion = await self.store.suggestion(suggestion_id)
        if suggestion is None or suggestion.answer is None:
            return say.suggestion_gone()
        kb = self.answers.current.kb
        base = f"office.ticket-{suggestion.ticket_id or suggestion.id}"
        topic_id = next(
            ident
            for ident in (base, *(f"{base}-{n}" for n in range(2, 100)))
            if ident not in kb.topics
        )
        path, text = topic_file(
            topic_id,
            title_from(suggestion.question),
            suggestion.question,
            suggestion.answer,
            origin(suggestion),
        )
        files = {**await self.versions.live_files(), path: text}
        note_text = f"{origin(suggestion)}: new topic {topic_id}"
        label = (suggestion.question, topic_id)
        return shown(await self.versions.propose(staff_id, files, "new topic", note_text, label))

    async def suggest(
        self, question: str, answer: str | None, ticket_id: int | None, guess: str | None
    ) -> Suggestion:
        """Keep the question with the topics closest to it, for the buttons to name."""
        snapshot = self.answers.current
        ranked = [t.id for t, _ in snapshot.matcher.rank(question) if not t.is_smalltalk]
        topic = snapshot.kb.topics.get(guess or "")
        if topic is not None and not topic.is_smalltalk and topic.id not in ranked:
            ranked.insert(0, topic.id)
        candidates = tuple(ranked[:CANDIDATES])
        now = self.clock()
        ident = await self.store.add_suggestion(question, answer, candidates, ticket_id, now)
        return Suggestion(ident, question, answer, candidates, ticket_id)


def origin(suggestion: Suggestion) -> str:
    if suggestion.ticket_id is not None:
        return f"ticket #{suggestion.ticket_id}"
    return "an unanswered question"


def shown(result: Preview | list[Problem]) -> Reply:
    return say.refused(result) if isinstance(result, list) else say.preview(result)
