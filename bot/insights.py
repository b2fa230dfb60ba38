"""What applicants asked and thought: recording, unanswered questions, statistics.

No user id is stored with a question or a vote. The text of a question is kept
only when the bot could not answer it (a fallback or a "did you mean"), and only
for the retention period.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from rapidfuzz import fuzz, process

from bot.knowledge import normalise_phrasing
from bot.matcher import Match, Outcome
from bot.storage import Storage, to_epoch
from bot.text import QUESTION_WORDS, STOPWORDS, stem, words

SIMILAR = 80  # rapidfuzz token_set_ratio at or above which two wordings are one question
UNANSWERED = (Outcome.SUGGEST, Outcome.FALLBACK)
MAX_QUESTION_TEXT = 500
MAX_GROUPED = 5000  # latest unanswered questions grouped per /unanswered


def printable(text: str) -> str:
    """Control characters out: the text goes into Telegram messages and YAML files."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


async def record_question(storage: Storage, question: str, match: Match, now: datetime) -> None:
    """Count every question; keep the text of those the bot could not answer."""
    topic = match.topic or match.best_guess
    question = printable(question)
    keep = match.outcome in UNANSWERED and question
    async with storage.transaction() as db:
        await db.execute(
            "INSERT INTO questions (asked_at, outcome, topic, score, text) VALUES (?,?,?,?,?)",
            (
                to_epoch(now),
                match.outcome.value,
                topic.id if topic else None,
                match.score,
                question[:MAX_QUESTION_TEXT] if keep else None,
            ),
        )


async def record_vote(storage: Storage, topic: str, helpful: bool, now: datetime) -> None:
    async with storage.transaction() as db:
        await db.execute(
            "INSERT INTO feedback (topic, helpful, at) VALUES (?, ?, ?)",
            (topic, int(helpful), to_epoch(now)),
        )


async def purge_question_text(storage: Storage, now: datetime, days: int) -> int:
    """Forget unanswered questions' text older than the retention period; keep the counts."""
    cutoff = to_epoch(now - timedelta(days=days))
    async with storage.transaction() as db:
        cursor = await db.execute(
            "UPDATE questions SET text = NULL WHERE asked_at < ? AND text IS NOT NULL", (cutoff,)
        )
        return cursor.rowcount


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


async def unanswered(storage: Storage, limit: int = 20) -> list[Group]:
    """The most frequent unanswered questions among the latest MAX_GROUPED."""
    rows = await storage.fetch(
        "SELECT text, topic FROM questions WHERE text IS NOT NULL ORDER BY asked_at DESC LIMIT ?",
        (MAX_GROUPED,),
    )
    # Grouping compares wordings pairwise: in a thread, so the bot keeps answering.
    groups = await asyncio.to_thread(group_questions, [(row[0], row[1]) for row in rows])
    return groups[:limit]


@dataclass(frozen=True, slots=True)
class Stats:
    users: int
    active_7d: int
    blocked: int
    per_stage: list[tuple[str, int]]
    questions_24h: int
    questions_7d: int
    outcomes_7d: dict[str, int]
    top_topics_7d: list[tuple[str, int]]
    votes: list[tuple[str, int, int]]  # topic, helpful, not helpful
    reminders: dict[str, int]


async def stats(storage: Storage, now: datetime) -> Stats:
    day, week = to_epoch(now - timedelta(days=1)), to_epoch(now - timedelta(days=7))

    async def scalar(sql: str, params: tuple[object, ...] = ()) -> int:
        row = await storage.fetch_one(sql, params)
        return int(row[0]) if row and row[0] is not None else 0

    async def pairs(sql: str, params: tuple[object, ...] = ()) -> list[tuple[str, int]]:
        return [(str(row[0]), int(row[1])) for row in await storage.fetch(sql, params)]

    return Stats(
        users=await scalar("SELECT count(*) FROM users"),
        active_7d=await scalar("SELECT count(*) FROM users WHERE last_seen_at >= ?", (week,)),
        blocked=await scalar("SELECT count(*) FROM users WHERE active = 0"),
        per_stage=await pairs(
            "SELECT coalesce(stage, '(not set)'), count(*) FROM users GROUP BY 1 ORDER BY 2 DESC"
        ),
        questions_24h=await scalar("SELECT count(*) FROM questions WHERE asked_at >= ?", (day,)),
        questions_7d=await scalar("SELECT count(*) FROM questions WHERE asked_at >= ?", (week,)),
        outcomes_7d=dict(
            await pairs(
                "SELECT outcome, count(*) FROM questions WHERE asked_at >= ? GROUP BY 1", (week,)
            )
        ),
        top_topics_7d=await pairs(
            "SELECT topic, count(*) FROM questions WHERE asked_at >= ? AND outcome = 'answer' "
            "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10",
            (week,),
        ),
        votes=[
            (str(row[0]), int(row[1]), int(row[2]))
            for row in await storage.fetch(
                "SELECT topic, sum(helpful), sum(1 - helpful) FROM feedback "
                "GROUP BY 1 ORDER BY count(*) DESC, 1"
            )
        ],
        reminders=dict(
            await pairs(
                "SELECT status, count(*) FROM reminders WHERE kind = 'reminder' GROUP BY 1"
            )
        ),
    )


def share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "-"


def format_stats(s: Stats) -> str:
    asked = sum(s.outcomes_7d.values())
    lines = [
        f"Users: {s.users} total, {s.active_7d} active in 7 days, {s.blocked} blocked the bot",
        "Users per stage: " + (", ".join(f"{stage} {n}" for stage, n in s.per_stage) or "-"),
        f"Questions: {s.questions_24h} in 24 h, {s.questions_7d} in 7 days",
        "Last 7 days: "
        + ", ".join(
            f"{label} {share(s.outcomes_7d.get(key, 0), asked)}"
            for key, label in (
                ("answer", "answered"),
                ("suggest", "did you mean"),
                ("fallback", "fallback"),
                ("smalltalk", "small talk"),
            )
        ),
        "Top topics (7 days): "
        + (", ".join(f"{topic} {n}" for topic, n in s.top_topics_7d) or "-"),
        "Helpful votes: "
        + (
            ", ".join(f"{t} {share(up, up + down)} of {up + down}" for t, up, down in s.votes)
            or "-"
        ),
        "Reminders: "
        + ", ".join(
            f"{status} {s.reminders.get(status, 0)}" for status in ("pending", "sent", "failed")
        )
        + (f", paused {s.reminders['paused']}" if s.reminders.get("paused") else ""),
    ]
    return "\n".join(lines)


def format_unanswered(groups: list[Group]) -> str:
    if not groups:
        return "No unanswered questions recorded."
    lines = ["Most frequent unanswered questions (similar wordings grouped):"]
    for number, group in enumerate(groups, start=1):
        others = len(group.wordings) - 1
        variants = f" (+{others} similar wording{'s' if others > 1 else ''})" if others else ""
        guess = f" — best guess {group.best_guess}" if group.best_guess else ""
        lines.append(f"{number}. [{group.count}] {group.text}{variants}{guess}")
    return "\n".join(lines)


def unanswered_yaml(groups: list[Group]) -> str:
    """A question list for ``jetbot kb eval``: staff fill in each topic (null = fall back)."""
    lines = [
        "# Unanswered questions, most frequent first. Set each topic to the id that should",
        "# answer it (and add phrasings to that topic), or leave null where the bot must",
        "# fall back. Then: jetbot kb eval THIS_FILE",
    ]
    for group in groups:
        lines.append(f"# asked {group.count} time(s); best guess: {group.best_guess or '-'}")
        # A JSON string of printable text is a valid YAML scalar.
        lines.append(f"- q: {json.dumps(printable(group.text), ensure_ascii=False)}")
        lines.append("  topic: null")
    if not groups:
        lines.append("[]")
    return "\n".join(lines) + "\n"
