"""Floors on the shipped knowledge base's answers to question sets it was not written from.

tests/data/heldout-questions*.yaml were written independently of the knowledge base,
as real applicants ask; a change to phrasings, synonyms or the matcher that makes
the bot worse on them fails here. (The public set is checked by .ci/run.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.evaluation import evaluate, load_questions
from bot.knowledge import KnowledgeBase
from bot.matcher import Matcher

DATA = Path(__file__).resolve().parent / "data"


@pytest.mark.parametrize(
    ("name", "top1", "fallback"),
    [("heldout-questions.yaml", 0.92, 0.88), ("heldout-questions-2.yaml", 0.85, 0.86)],
)
def test_question_set_floor(
    shipped_kb: KnowledgeBase, name: str, top1: float, fallback: float
) -> None:
    report = evaluate(Matcher(shipped_kb), load_questions(DATA / name))
    assert report.top1_rate >= top1, f"in-scope top-1 {report.top1_rate:.1%} < {top1:.0%}"
    assert report.fallback_rate >= fallback, (
        f"out-of-scope fallback {report.fallback_rate:.1%} < {fallback:.0%}"
    )
