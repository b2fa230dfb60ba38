"""Per-question matching time on the shipped knowledge base and on one 100 times larger.

    python benchmarks/matching.py [--questions FILE] [--repeat N]

Prints p50 / p99 / mean in milliseconds. The large knowledge base copies every
topic 100 times with a distinct id and a distinct made-up word in each phrasing,
so the index really grows (postings, vocabulary, typo-repair targets) rather
than deduplicating.
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

from bot.config import BUNDLED_KNOWLEDGE
from bot.evaluation import load_questions
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.matcher import Matcher

DEFAULT_QUESTIONS = Path(__file__).resolve().parent.parent / "tests/data/heldout-questions.yaml"


def scaled(kb: KnowledgeBase, factor: int) -> KnowledgeBase:
    topics = {}
    for copy in range(factor):
        for topic in kb.topics.values():
            marker = f"zq{copy}x"
            topic_id = topic.id if copy == 0 else f"{topic.id}-{copy}"
            topics[topic_id] = replace(
                topic,
                id=topic_id,
                questions=tuple(f"{q} {marker}" if copy else q for q in topic.questions),
                related=(),
            )
    return replace(kb, topics=MappingProxyType(topics))


def measure(
    matcher: Matcher, questions: list[str], repeat: int
) -> tuple[list[float], list[float]]:
    """Timings of a first pass (typo repairs not cached yet) and of warm passes."""
    cold = [timed(matcher, question) for question in questions]
    warm = [timed(matcher, question) for _ in range(repeat) for question in questions]
    return sorted(cold), sorted(warm)


def timed(matcher: Matcher, question: str) -> float:
    start = time.perf_counter()
    matcher.match(question)
    return (time.perf_counter() - start) * 1000


def percentile(timings: list[float], fraction: float) -> float:
    return timings[max(0, int(len(timings) * fraction) - 1)]


def report(name: str, kb: KnowledgeBase, questions: list[str], repeat: int) -> None:
    start = time.perf_counter()
    matcher = Matcher(kb)
    build = time.perf_counter() - start
    cold, warm = measure(matcher, questions, repeat)
    phrasings = sum(len(t.questions) + 1 for t in kb.topics.values())
    print(
        f"{name:<8} topics={len(kb.topics):>5} phrasings={phrasings:>6} index={build:6.2f} s | "
        f"p50={statistics.median(warm):.3f} ms p99={percentile(warm, 0.99):.3f} ms "
        f"(n={len(warm)}) | first pass p50={statistics.median(cold):.3f} ms "
        f"p99={percentile(cold, 0.99):.3f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--factor", type=int, default=100)
    args = parser.parse_args()
    questions = [item.question for item in load_questions(args.questions)]
    kb = load_knowledge(BUNDLED_KNOWLEDGE)
    report("shipped", kb, questions, args.repeat)
    report(f"x{args.factor}", scaled(kb, args.factor), questions, max(1, args.repeat // 5))


if __name__ == "__main__":
    main()
