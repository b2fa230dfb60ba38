"""Score the bot against labelled question sets (``jetbot kb eval``).

A set is a YAML list of ``{q, topic}`` items (optionally with a ``cat``egory), or
of ``{turns: [{q, topic}, ...]}`` conversations, whose turns are asked in order
with the context carried from one to the next. Every message goes through
``understand()``, as in the bot: it counts as answered with topic T only when
the bot answers (kind ANSWER) with T first. A partial answer, a "did you mean",
small talk, an intent or a fallback answers nothing, which is right for items
whose topic is null.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from bot.answers import Snapshot
    from bot.understanding import Context, Understanding


class QuestionSetError(ValueError):
    """The question file is not a list of {q, topic} or of {turns: [...]}."""


@dataclass(frozen=True, slots=True)
class LabelledQuestion:
    question: str
    topic: str | None
    cat: str | None = None


@dataclass(frozen=True, slots=True)
class Conversation:
    turns: tuple[LabelledQuestion, ...]


@dataclass(frozen=True, slots=True)
class Miss:
    question: str
    expected: str | None
    answered: str | None
    suggestions: tuple[str, ...]
    score: float
    kind: str = ""
    cat: str | None = None
    turn: int | None = None  # 1-based turn of a conversation


@dataclass(slots=True)
class Tally:
    count: int = 0
    right: int = 0

    @property
    def rate(self) -> float:
        return self.right / self.count if self.count else 1.0

    def add(self, right: bool) -> None:
        self.count += 1
        self.right += right


@dataclass(slots=True)
class Report:
    in_scope: int = 0
    top1: int = 0
    top3: int = 0
    out_of_scope: int = 0
    fallbacks: int = 0
    turns: Tally | None = None
    per_cat: dict[str, Tally] = field(default_factory=dict)
    misses: list[Miss] = field(default_factory=list)

    @property
    def count(self) -> int:
        return self.in_scope + self.out_of_scope

    @property
    def top1_rate(self) -> float:
        return self.top1 / self.in_scope if self.in_scope else 1.0

    @property
    def top3_rate(self) -> float:
        return self.top3 / self.in_scope if self.in_scope else 1.0

    @property
    def fallback_rate(self) -> float:
        return self.fallbacks / self.out_of_scope if self.out_of_scope else 1.0

    @property
    def turn_rate(self) -> float | None:
        return self.turns.rate if self.turns is not None else None

    def figures(self) -> dict[str, Any]:
        """The figures as one JSON-ready object."""
        return {
            "count": self.count,
            "in_scope": self.in_scope,
            "in_scope_top1": round(self.top1_rate, 4),
            "top3": round(self.top3_rate, 4),
            "out_of_scope": self.out_of_scope,
            "fallback": round(self.fallback_rate, 4),
            "turns": None if self.turns is None else round(self.turns.rate, 4),
            "turn_count": None if self.turns is None else self.turns.count,
            "per_cat": {
                cat: {"count": t.count, "right": t.right, "accuracy": round(t.rate, 4)}
                for cat, t in sorted(self.per_cat.items())
            },
            "misses": len(self.misses),
        }


# -- loading ----------------------------------------------------------------------


def load_question_set(path: Path) -> list[LabelledQuestion] | list[Conversation]:
    """Read either a list of ``{q, topic[, cat]}`` or a list of ``{turns: [...]}``."""
    data = _read_yaml(path)
    if data and all(isinstance(item, dict) and "turns" in item for item in data):
        return [_conversation(path, number, item) for number, item in enumerate(data, 1)]
    return [_question(path, f"item {number}", item) for number, item in enumerate(data, 1)]


def load_questions(path: Path) -> list[LabelledQuestion]:
    """Read a YAML list of ``{q: ..., topic: id-or-null}`` (conversations: every turn)."""
    items = load_question_set(path)
    return [turn for item in items for turn in _turns(item)]


def unknown_topics(
    items: Sequence[LabelledQuestion | Conversation], known: Collection[str]
) -> list[str]:
    """Where a question set expects a topic the knowledge base lacks (a typo scores as a miss)."""
    found: list[str] = []
    for number, item in enumerate(items, 1):
        for turn, question in enumerate(_turns(item), 1):
            if question.topic is not None and question.topic not in known:
                conversation = isinstance(item, Conversation)
                where = f"conversation {number} turn {turn}" if conversation else f"item {number}"
                found.append(f"{where}: {question.topic!r}")
    return found


def _turns(item: LabelledQuestion | Conversation) -> tuple[LabelledQuestion, ...]:
    return item.turns if isinstance(item, Conversation) else (item,)


def _read_yaml(path: Path) -> list[Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise QuestionSetError(f"{path}: cannot read: {error.strerror}") from error
    except yaml.YAMLError as error:
        raise QuestionSetError(f"{path}: invalid YAML: {error}") from error
    if not isinstance(data, list):
        raise QuestionSetError(f"{path}: expected a list of {{q, topic}} items")
    return data


def _question(path: Path, where: str, item: Any) -> LabelledQuestion:
    if not isinstance(item, dict) or not isinstance(item.get("q"), str) or "topic" not in item:
        raise QuestionSetError(f"{path}: {where} is not {{q: text, topic: id or null}}")
    topic, cat = item["topic"], item.get("cat")
    return LabelledQuestion(
        item["q"], None if topic is None else str(topic), None if cat is None else str(cat)
    )


def _conversation(path: Path, number: int, item: dict[str, Any]) -> Conversation:
    turns = item["turns"]
    if not isinstance(turns, list) or not turns:
        raise QuestionSetError(f"{path}: conversation {number}: 'turns' must be a non-empty list")
    return Conversation(
        tuple(
            _question(path, f"conversation {number} turn {turn}", entry)
            for turn, entry in enumerate(turns, 1)
        )
    )


# -- scoring ----------------------------------------------------------------------


def understood_topic(understanding: Understanding) -> str | None:
    """The topic the bot answers with: only a confident ANSWER counts."""
    if understanding.kind == "answer" and understanding.topics:
        return understanding.topics[0]
    return None


def evaluate(snapshot: Snapshot, items: list[LabelledQuestion] | list[Conversation]) -> Report:
    """Ask every question (every conversation turn, in order) and tally the answers."""
    # Here rather than at the top: the CLI imports this module for every command.
    from bot.understanding import understand

    report = Report()
    for item in items:
        if isinstance(item, Conversation):
            report.turns = report.turns or Tally()
            context: Context | None = None
            for number, turn in enumerate(item.turns, 1):
                understanding = understand(turn.question, context, snapshot)
                right = _score(report, snapshot, turn, understanding, number)
                report.turns.add(right)
                context = understanding.context
        else:
            _score(report, snapshot, item, understand(item.question, None, snapshot), None)
    return report


def _score(
    report: Report,
    snapshot: Snapshot,
    item: LabelledQuestion,
    understanding: Understanding,
    turn: int | None,
) -> bool:
    answered = understood_topic(understanding)
    right = answered == item.topic
    if item.topic is None:
        report.out_of_scope += 1
        report.fallbacks += right
    else:
        report.in_scope += 1
        report.top1 += right
        report.top3 += right or item.topic in _top3(snapshot, understanding)
    if item.cat is not None:
        report.per_cat.setdefault(item.cat, Tally()).add(right)
    if not right:
        report.misses.append(
            Miss(
                item.question,
                item.topic,
                answered,
                understanding.suggestions,
                understanding.score,
                understanding.kind.value,
                item.cat,
                turn,
            )
        )
    return right


def _top3(snapshot: Snapshot, understanding: Understanding) -> list[str]:
    """The three topics the bot ranks first for the main question, answered or not."""
    offered = [*understanding.topics, *understanding.suggestions]
    if understanding.parts:
        main = understanding.parts[0].text
        offered += [topic.id for topic, _ in snapshot.matcher.rank_text(main)]
    return list(dict.fromkeys(offered))[:3]


def shown(rate: float, right: int, count: int) -> str:
    """A rate with its counts; a figure over nothing says so instead of reading 100%."""
    return f"{rate:6.1%}  ({right}/{count})" if count else "    n/a  (none in this set)"


def format_report(report: Report) -> str:
    lines = [
        f"in-scope top-1:  {shown(report.top1_rate, report.top1, report.in_scope)}",
        f"in-scope top-3:  {shown(report.top3_rate, report.top3, report.in_scope)}",
        "fallback on out-of-scope: "
        + shown(report.fallback_rate, report.fallbacks, report.out_of_scope),
    ]
    if report.turns is not None:
        lines.append(
            f"conversation turns: {report.turns.rate:6.1%}  "
            f"({report.turns.right}/{report.turns.count})"
        )
    for cat, tally in sorted(report.per_cat.items()):
        lines.append(f"  {cat:<10} {tally.rate:6.1%}  ({tally.right}/{tally.count})")
    if report.misses:
        lines.append("")
        lines.append(f"misses ({len(report.misses)}):")
    for miss in report.misses:
        got = miss.answered or (
            f"{miss.kind} {', '.join(miss.suggestions)}".strip() if miss.kind else "fallback"
        )
        where = f" [turn {miss.turn}]" if miss.turn else ""
        label = f" ({miss.cat})" if miss.cat else ""
        lines.append(f"  {miss.question!r}{where}{label}")
        lines.append(f"      expected {miss.expected or 'fallback'}, got {got} ({miss.score:.1f})")
    return "\n".join(lines)
