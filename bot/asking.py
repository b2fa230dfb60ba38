"""A message becomes a reply: read it with the conversation so far, decide, record, word.

Telegram's handlers, ``jetbot chat`` (the same handlers) and ``jetbot ask`` all
call ``Asker.ask``. What the bot answered is remembered per chat (the
conversation memory, in the store) so that "and ALTs?" can be understood; it is
forgotten after a while of silence, or with /forget.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot import insights
from bot.answers import Answers, Snapshot
from bot.clock import Clock, utc_now
from bot.context import MEMORY, Context
from bot.recorder import Recorder
from bot.replies import Reply, plain
from bot.replies.buttons import Vote
from bot.replies.questions import answer_reply, fallback_reply
from bot.replies.understood import understood_reply
from bot.store import Store, StoreUnavailable
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


class Asker:
    def __init__(
        self,
        answers: Answers,
        store: Store,
        clock: Clock = utc_now,
        recorder: Recorder | None = None,
    ) -> None:
        self.answers = answers
        self.store = store
        self.clock = clock
        # Where the question log and the memory are written, in the background;
        # None writes the memory at once and logs no question (a one-off command).
        self.recorder = recorder
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
        """What was said in the chat within the last MEMORY; None if nothing, or unknown."""
        try:
            stored = await self.store.load_context(chat)
        except StoreUnavailable:
            return None  # answer without the memory rather than not at all
        if stored is None or self.clock() - stored[1] > MEMORY:
            return None
        try:
            return Context.from_dict(json.loads(stored[0]))
        except ValueError:
            return None

    async def remember(self, chat: str, context: Context | None) -> None:
        text = json.dumps(context.to_dict()) if context is not None else None
        now = self.clock()
        if self.recorder is None:
            await self.store.save_context(chat, text, now)
        else:
            self.recorder.record(lambda: self.store.save_context(chat, text, now))

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
