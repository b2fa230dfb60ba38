"""A question becomes an answer: match, record, word. Every transport asks here.

Telegram's handlers, ``jetbot chat`` (the same handlers) and ``jetbot ask`` call
``Asker.ask`` and get the words to send back along with what was decided.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot import insights
from bot.answers import Answers
from bot.clock import Clock, utc_now
from bot.evaluation import answered_topic
from bot.matcher import Match
from bot.recorder import Recorder
from bot.replies import Reply, plain
from bot.replies.buttons import Vote
from bot.replies.questions import answer_reply, fallback_reply, match_reply
from bot.store import Store


@dataclass(frozen=True, slots=True)
class Asked:
    """A question's reply, and the decision behind it."""

    question: str
    match: Match
    reply: Reply

    @property
    def topic(self) -> str | None:
        """The topic that answered the question; None for choices, small talk, fallback."""
        return answered_topic(self.match)

    def as_json(self) -> dict[str, object]:
        """The ``jetbot ask --json`` contract."""
        return {
            "question": self.question,
            "topic": self.topic,
            "score": self.match.score,
            "answer": plain(self.reply.text),
            "suggestions": [t.id for t in self.match.suggestions],
            "outcome": self.match.outcome.value,
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
        self.recorder = recorder  # None: nothing is recorded (a one-off command)

    async def ask(self, text: str) -> Asked:
        """Answer a free-text question, offer choices, or say honestly where to ask."""
        snapshot = self.answers.current  # one snapshot per question, whatever reloads meanwhile
        match = snapshot.match(text)
        if self.recorder is not None:
            record = insights.question_record(text, match, self.clock())
            self.recorder.record(lambda: self.store.record_question(record))
        return Asked(text, match, match_reply(snapshot.kb, match))

    def answer_topic(self, topic_id: str) -> Reply | None:
        """A chosen topic's answer (a "did you mean" pick or a follow-up); None if gone."""
        kb = self.answers.current.kb
        topic = kb.topics.get(topic_id)
        return answer_reply(kb, topic) if topic is not None else None

    def fallback(self) -> Reply:
        return fallback_reply(self.answers.current.kb)

    async def vote(self, vote: Vote, voter: str, now: datetime | None = None) -> bool:
        """Count a helpful / not helpful vote once per ``voter``; False if not counted."""
        if vote.topic not in self.answers.current.kb.topics:
            return False
        return await self.store.record_vote(vote.topic, vote.helpful, voter, now or self.clock())
