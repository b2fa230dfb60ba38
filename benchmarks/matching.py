"""Matching time per question, understanding time per message, and start-up time.

    python benchmarks/matching.py [--questions FILE] [--repeat N] [--factor F] [--startup-runs N]

Prints, in milliseconds:
- Matcher.match p50 / p99 on the shipped knowledge base and on one F times larger
  (the large one copies every topic F times with a distinct id and a distinct
  made-up word in each phrasing, so the index really grows rather than
  deduplicating), warm and on a first pass (typo repairs not cached yet);
- understand() p50 / p99 on the shipped knowledge base (message analysis,
  follow-up readings, needs, over the same questions);
- the start-up of ``jetbot ask "what is an ALT"`` as a whole process, run
  repeatedly after a warm-up (min and median wall time), and where it goes:
  imports, loading the knowledge base, building the index, answering.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

from bot.answers import Snapshot
from bot.config import BUNDLED_KNOWLEDGE
from bot.evaluation import load_questions
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.matcher import Matcher
from bot.understanding import understand

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_QUESTIONS = ROOT / "tests/data/heldout-questions.yaml"
STARTUP_QUESTION = "what is an ALT"
# Run in a fresh interpreter: where the start-up of `jetbot ask` goes.
PHASES = """
import json, sys, time
t0 = time.perf_counter()
import bot.cli
t1 = time.perf_counter()
from bot.config import BUNDLED_KNOWLEDGE
from bot.knowledge import load_knowledge
kb = load_knowledge(BUNDLED_KNOWLEDGE)
t2 = time.perf_counter()
from bot.answers import Snapshot
snapshot = Snapshot.build(kb)
t3 = time.perf_counter()
snapshot.match(sys.argv[1])
t4 = time.perf_counter()
print(json.dumps([t1 - t0, t2 - t1, t3 - t2, t4 - t3]))
"""


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
    work: Callable[[str], object], questions: list[str], repeat: int
) -> tuple[list[float], list[float]]:
    """Timings (ms) of a first pass (typo repairs not cached yet) and of warm passes."""
    cold = [timed(work, question) for question in questions]
    warm = [timed(work, question) for _ in range(repeat) for question in questions]
    return sorted(cold), sorted(warm)


def timed(work: Callable[[str], object], question: str) -> float:
    start = time.perf_counter()
    work(question)
    return (time.perf_counter() - start) * 1000


def percentile(timings: list[float], fraction: float) -> float:
    return timings[max(0, int(len(timings) * fraction) - 1)]


def figures(timings: list[float]) -> str:
    return f"p50={statistics.median(timings):.3f} ms p99={percentile(timings, 0.99):.3f} ms"


def report(name: str, kb: KnowledgeBase, questions: list[str], repeat: int) -> None:
    start = time.perf_counter()
    matcher = Matcher(kb)
    build = time.perf_counter() - start
    cold, warm = measure(matcher.match, questions, repeat)
    phrasings = sum(len(t.questions) + 1 for t in kb.topics.values())
    print(
        f"match       {name:<8} topics={len(kb.topics):>5} phrasings={phrasings:>6} "
        f"index={build:6.2f} s | {figures(warm)} (n={len(warm)}) | first pass {figures(cold)}"
    )


def report_understanding(kb: KnowledgeBase, questions: list[str], repeat: int) -> None:
    snapshot = Snapshot.build(kb)
    cold, warm = measure(lambda text: understand(text, None, snapshot), questions, repeat)
    print(f"understand  shipped  {figures(warm)} (n={len(warm)}) | first pass {figures(cold)}")


def report_startup(runs: int) -> None:
    """Whole-process start-up of `jetbot ask`, then its phases, each the median of runs."""
    command = [sys.executable, "-m", "handlers.cli", "ask", STARTUP_QUESTION]
    walls = []
    for run in range(runs + 1):  # the first run warms the file cache and is not counted
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        if run:
            walls.append(time.perf_counter() - start)
    phases = [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", PHASES, STARTUP_QUESTION],
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        for _ in range(runs)
    ]
    names = ("imports", "load", "index", "answer")
    parts = ", ".join(
        f"{name} {statistics.median(p[i] for p in phases) * 1000:.0f} ms"
        for i, name in enumerate(names)
    )
    print(
        f'start-up    jetbot ask "{STARTUP_QUESTION}": median {statistics.median(walls):.3f} s, '
        f"min {min(walls):.3f} s (n={runs}) | {parts}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--factor", type=int, default=100)
    parser.add_argument("--startup-runs", type=int, default=5)
    args = parser.parse_args()
    questions = [item.question for item in load_questions(args.questions)]
    kb = load_knowledge(BUNDLED_KNOWLEDGE)
    report("shipped", kb, questions, args.repeat)
    report(f"x{args.factor}", scaled(kb, args.factor), questions, max(1, args.repeat // 5))
    report_understanding(kb, questions, args.repeat)
    if args.startup_runs:
        report_startup(args.startup_runs)


if __name__ == "__main__":
    main()
