"""What applicants asked and thought: recording, unanswered questions, statistics.

No user id is stored with a question or a vote. The text of a question is kept
only when the bot could not answer it (a fallback or a "did you mean"), and only
for the retention period.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from rapidfuzz import fuzz, process

from bot.knowledge import normalise_phrasing
from bot.matcher import Match, Outcome
from bot.store import QuestionRecord, Store
from bot.text import QUESTION_WORDS, STOPWORDS, printable, stem, words
from bot.understanding import Understanding

SIMILAR = 80  # rapidfuzz token_set_ratio at or above which two wordings are one question
UNANSWERED = (Outcome.SUGGEST, Outcome.FALLBACK)
MAX_QUESTION_TEXT = 500
MAX_GROUPED = 5000  # latest unanswered questions grouped per /unanswered


def question_record(question: str, match: Match, now: datetime) -> QuestionRecord:
    """What is kept of a question: always the outcome, the text only if unanswered."""
    topic = match.topic or match.best_guess
    question = printable(question)
    keep = match.outcome in UNANSWERED and question
    return QuestionRecord(
        asked_at=now,
        outcome=match.outcome.value,
        topic=topic.id if topic else None,
        score=match.score,
        text=question[:MAX_QUESTION_TEXT] if keep else None,
    )


# What the bot could not answer from the knowledge base: worth a staff member's look.
UNANSWERED_KINDS = ("suggest", "fallback", "partial", "not_english")


def understood_record(question: str, understood: Understanding, now: datetime) -> QuestionRecord:
    """What is kept of a message: always the outcome, the text only if unanswered."""
    topic = understood.topics[0] if understood.topics else understood.best_guess
    question = printable(question)
    keep = understood.kind.value in UNANSWERED_KINDS and question
    return QuestionRecord(
        asked_at=now,
        outcome=understood.kind.value,
        topic=topic,
        score=understood.score,
        text=question[:MAX_QUESTION_TEXT] if keep else None,
    )


async def record_question(store: Store, question: str, match: Match, now: datetime) -> None:
    """Count every question; keep the text of those the bot could not answer."""
    await store.record_question(question_record(question, match, now))


async def purge_question_text(store: Store, now: datetime, days: int) -> int:
    """Forget unanswered questions' text older than the retention period; keep the counts."""
    return await store.purge_question_text(now - timedelta(days=days))


@dataclass(slots=True)
class Group:
    """Similar wordings of one unanswered question."""

    text: str  # the most frequent wording
    count: int = 0
    wordings: Counter[str] = field(default_factory=Counter)
    best_guess: str | None = None


def content(text: str) -> str:
    """The words that carry a question's subject, stemmed: "what is the salary?" -> "salari"."""
    return " ".join(stem(w) for w in words(text) if w not in STOPWORDS and w not in QUESTION_WORDS)


def group_questions(rows: list[tuple[str, str | None]], similar: int = SIMILAR) -> list[Group]:
    """Group (text, best guess) rows whose wordings are alike; biggest groups first.

    Exact repeats (case and punctuation aside) are counted first; then each wording,
    most frequent first, joins the first group it resembles, compared on content
    words so that "what is the" and "of an" do not keep alike questions apart.
    """
    exact: Counter[str] = Counter()
    original: dict[str, str] = {}
    guesses: dict[str, str | None] = {}
    for text, guess in rows:
        key = normalise_phrasing(text)
        if not key:
            continue
        exact[key] += 1
        original.setdefault(key, text.strip())
        guesses.setdefault(key, guess)
    groups: list[Group] = []
    keys: list[str] = []
    for key, count in exact.most_common():
        subject = content(key) or key
        found = process.extractOne(
            subject, keys, scorer=fuzz.token_set_ratio, score_cutoff=similar
        )
        if found is None:
            groups.append(Group(original[key], best_guess=guesses[key]))
            keys.append(subject)
            group = groups[-1]
        else:
            group = groups[found[2]]
        group.count += count
        group.wordings[original[key]] += count
    return sorted(groups, key=lambda g: g.count, reverse=True)


async def unanswered(store: Store, limit: int = 20) -> list[Group]:
    """The most frequent unanswered questions among the latest MAX_GROUPED."""
    rows = await store.unanswered_texts(MAX_GROUPED)
    # Grouping compares wordings pairwise: in a thread, so the bot keeps answering.
    groups = await asyncio.to_thread(group_questions, rows)
    return groups[:limit]
