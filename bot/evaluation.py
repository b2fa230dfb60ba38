"""Score the matcher against a labelled question set (``jetbot kb eval``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.matcher import Match, Matcher, Outcome


class QuestionSetError(ValueError):
    """The question file is not a list of {q, topic}."""


@dataclass(frozen=True, slots=True)
class LabelledQuestion:
    question: str
    topic: str | None


@dataclass(frozen=True, slots=True)
class Miss:
    question: str
    expected: str | None
    answered: str | None
    suggestions: tuple[str, ...]
    score: float


@dataclass(slots=True)
class Report:
    in_scope: int = 0
    top1: int = 0
    top3: int = 0
    out_of_scope: int = 0
    fallbacks: int = 0
    misses: list[Miss] = field(default_factory=list)

    @property
    def top1_rate(self) -> float:
        return self.top1 / self.in_scope if self.in_scope else 1.0

    @property
    def top3_rate(self) -> float:
        return self.top3 / self.in_scope if self.in_scope else 1.0

    @property
    def fallback_rate(self) -> float:
        return self.fallbacks / self.out_of_scope if self.out_of_scope else 1.0


def load_questions(path: Path) -> list[LabelledQuestion]:
    """Read a YAML list of ``{q: ..., topic: id-or-null}``."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise QuestionSetError(f"{path}: cannot read: {error.strerror}") from error
    except yaml.YAMLError as error:
        raise QuestionSetError(f"{path}: invalid YAML: {error}") from error
    if not isinstance(data, list):
        raise QuestionSetError(f"{path}: expected a list of {{q, topic}} items")
    questions = []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("q"), str) or "topic" not in item:
            raise QuestionSetError(f"{path}: item {number} is not {{q: text, topic: id or null}}")
        topic = item["topic"]
        questions.append(LabelledQuestion(item["q"], None if topic is None else str(topic)))
    return questions


def answered_topic(match: Match) -> str | None:
    """The knowledge-base topic a reply answered with; small talk and choices answer none."""
    return match.topic.id if match.outcome is Outcome.ANSWER and match.topic else None


def evaluate(matcher: Matcher, questions: list[LabelledQuestion]) -> Report:
    report = Report()
    for item in questions:
        ranked = matcher.rank(item.question)
        match = matcher.decide(ranked)
        answered = answered_topic(match)
        offered = tuple(t.id for t in match.suggestions)
        if item.topic is None:
            report.out_of_scope += 1
            if answered is None:
                report.fallbacks += 1
                continue
        else:
            report.in_scope += 1
            if answered == item.topic:
                report.top1 += 1
                report.top3 += 1
                continue
            if item.topic in [topic.id for topic, _ in ranked[:3]]:
                report.top3 += 1
        report.misses.append(Miss(item.question, item.topic, answered, offered, match.score))
    return report


def format_report(report: Report) -> str:
    lines = [
        f"in-scope top-1:  {report.top1_rate:6.1%}  ({report.top1}/{report.in_scope})",
        f"in-scope top-3:  {report.top3_rate:6.1%}  ({report.top3}/{report.in_scope})",
        f"fallback on out-of-scope: {report.fallback_rate:6.1%}  "
        f"({report.fallbacks}/{report.out_of_scope})",
    ]
    if report.misses:
        lines.append("")
        lines.append(f"misses ({len(report.misses)}):")
    for miss in report.misses:
        got = miss.answered or (
            f"did you mean {', '.join(miss.suggestions)}" if miss.suggestions else "fallback"
        )
        lines.append(f"  {miss.question!r}")
        lines.append(f"      expected {miss.expected or 'fallback'}, got {got} ({miss.score:.1f})")
    return "\n".join(lines)
