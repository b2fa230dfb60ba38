"""A message becomes a reply: read it with the conversation so far, decide, record, word.

Telegram's handlers, ``jetbot chat`` (the same handlers) and ``jetbot ask`` all
call ``Asker.ask``. What the bot answered is remembered per chat (the
conversation memory, in the store) so that "and ALTs?" can be understood; it is
forgotten after a while of silence, or with /forget.
"""

from __future__ import annotations

import asyncio
import json
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot import insights
from bot.answers import Answers, Snapshot
from bot.clock import Clock, utc_now
from bot.context import MEMORY, Context
from bot.recorder import Recorder
from bot.replies import Reply, plain
from bot.replies.buttons import Vote
from bot.replies.questions import answer_reply, fallback_reply
from bot.replies.understood import understood_reply
from bot.store import QuestionRecord, StoreUnavailable
from bot.understanding import Kind, Understanding, context_for, understand


@dataclass(frozen=True, slots=True)
class Asked:
    """A message's reply, and what the bot understood of it."""

    question: str
    understood: Understanding
    reply: Reply

    @property
    def topic(self) -> str | None:
        """The topic that answered the (first) question; None for anything else."""
        understood = self.understood
        return understood.topics[0] if understood.kind is Kind.ANSWER else None

    def as_json(self) -> dict[str, object]:
        """The ``jetbot ask --json`` contract."""
        understood = self.understood
        return {
            "question": self.question,
            "topic": self.topic,
            "topics": list(understood.topics) if understood.kind is Kind.ANSWER else [],
            "score": understood.score,
            "answer": plain(self.reply.text),
            "suggestions": list(understood.suggestions),
            "outcome": understood.kind.value,
            "missing": [need.value for need in understood.missing],
        }


# A sick database may take seconds to answer; a reply does not wait that long.
RECALL_PATIENCE = 0.5
RECENT_CHATS = 10_000


class Memory(Protocol):
    """What answering needs of the store: the conversation memory, the question log, votes."""

    async def load_context(self, chat: str) -> tuple[str, datetime] | None: ...

    async def save_context(self, chat: str, context: str | None, now: datetime) -> None: ...

    async def record_question(self, record: QuestionRecord) -> None: ...

    async def record_vote(self, topic: str, helpful: bool, voter: str, now: datetime) -> bool: ...


class Forgetful:
    """A Memory that keeps nothing: for a one-off ``jetbot ask`` (the asker's own
    per-process memory still carries a conversation from one line to the next)."""

    async def load_context(self, chat: str) -> tuple[str, datetime] | None:
        return None

    async def save_context(self, chat: str, context: str | None, now: datetime) -> None:
        return None

    async def record_question(self, record: QuestionRecord) -> None:
        return None

    async def record_vote(self, topic: str, helpful: bool, voter: str, now: datetime) -> bool:
        return False


class Asker:
    def __init__(
        self,
        answers: Answers,
        store: Memory,
        clock: Clock = utc_now,
        recorder: Recorder | None = None,
    ) -> None:
        self.answers = answers
        self.store = store
        self.clock = clock
        # Where the question log and the memory are written, in the background;
        # None writes the memory at once and logs no question (a one-off command).
        self.recorder = recorder
        # What this process last remembered per chat, so that a quick second message
        # is read with the first even before the background write has landed.
        self.recent: OrderedDict[str, tuple[Context | None, datetime]] = OrderedDict()
        # Adds "Ask a person" under what the bot could not answer (bot/desk.py), if set.
        self.offer: Callable[[Asked, str], Asked] | None = None

    async def ask(self, text: str, chat: str | None = None) -> Asked:
        """Answer a message from ``chat`` (None: no conversation to remember)."""
        snapshot = self.answers.current  # one snapshot per question, whatever reloads meanwhile
        before = await self.recall(chat) if chat is not None else None
        understood = understand(text, before, snapshot)
        if chat is not None:
            # Saved even when unchanged: the silence that ends a conversation starts now.
            await self.remember(chat, understood.context)
        if self.recorder is not None:
            record = insights.understood_record(text, understood, self.clock())
            self.recorder.record(lambda: self.store.record_question(record))
        asked = Asked(text, understood, understood_reply(snapshot.kb, understood))
        return self.offer(asked, chat) if self.offer is not None and chat is not None else asked

    async def recall(self, chat: str) -> Context | None:
        """What was said in the chat within the last MEMORY; None if nothing, or unknown.

        The newer of the store's memory and this process's own: another instance may
        have answered the chat since, or the store may not have our last write yet.
        """
        latest = self.recent.get(chat)
        try:
            stored = await asyncio.wait_for(self.store.load_context(chat), RECALL_PATIENCE)
        except (StoreUnavailable, TimeoutError):
            stored = None  # answer without the store's memory rather than late
        if stored is not None and (latest is None or stored[1] > latest[1]):
            try:
                latest = (Context.from_dict(json.loads(stored[0])), stored[1])
            except ValueError:
                latest = None
        if latest is None or self.clock() - latest[1] > MEMORY:
            return None
        return latest[0]

    async def remember(self, chat: str, context: Context | None) -> None:
        text = json.dumps(context.to_dict()) if context is not None else None
        now = self.clock()
        self.recent[chat] = (context, now)
        self.recent.move_to_end(chat)
        if len(self.recent) > RECENT_CHATS:
            self.recent.popitem(last=False)
        if self.recorder is None:
            await self.store.save_context(chat, text, now)
        else:
            self.recorder.record(lambda: self.store.save_context(chat, text, now))

    def forget(self, chat: str) -> None:
        """Drop this process's memory of the chat (the store's is deleted with the user)."""
        self.recent.pop(chat, None)

    async def answer_topic(self, topic_id: str, chat: str | None = None) -> Reply | None:
        """A chosen topic's answer (a "did you mean" pick or a follow-up); None if gone.

        The conversation goes on from it: "and ALTs?" after a pick refers to the pick.
        """
        snapshot: Snapshot = self.answers.current
        topic = snapshot.kb.topics.get(topic_id)
        if topic is None:
            return None
        if chat is not None:
            await self.remember(chat, context_for(topic_id, snapshot))
        return answer_reply(snapshot.kb, topic)

    def fallback(self) -> Reply:
        return fallback_reply(self.answers.current.kb)

    async def vote(self, vote: Vote, voter: str, now: datetime | None = None) -> bool:
        """Count a helpful / not helpful vote once per ``voter``; False if not counted."""
        if vote.topic not in self.answers.current.kb.topics:
            return False
        return await self.store.record_vote(vote.topic, vote.helpful, voter, now or self.clock())
