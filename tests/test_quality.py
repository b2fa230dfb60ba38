"""Floors on the shipped knowledge base's answers to question sets it was not written from.

tests/data/heldout-*.yaml were written independently of the knowledge base, as real
applicants ask (heldout-questions-3 and heldout-conversations-3 before the language
analysis was tuned, and never tuned on); a change to phrasings, synonyms, the
matcher or the understanding that makes the bot worse on them fails here. The
public sets (dev-questions*.yaml, conversations.yaml) are held to the issue's targets.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answers import Snapshot
from bot.evaluation import Report, evaluate, load_question_set
from bot.knowledge import KnowledgeBase, iter_phrasings

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def snapshot(shipped_kb: KnowledgeBase) -> Snapshot:
    return Snapshot.build(shipped_kb)


def report_for(snapshot: Snapshot, name: str) -> Report:
    return evaluate(snapshot, load_question_set(DATA / name))


@pytest.mark.parametrize(
    ("name", "top1", "fallback"),
    [
        ("heldout-questions.yaml", 0.93, 0.96),
        ("heldout-questions-2.yaml", 0.87, 0.97),
        ("heldout-questions-3.yaml", 0.90, 0.96),
        # The targets; out of scope, no public question may be answered.
        ("dev-questions.yaml", 0.95, 1.0),
        ("dev-questions-2.yaml", 0.90, 1.0),
    ],
)
def test_question_set_floor(snapshot: Snapshot, name: str, top1: float, fallback: float) -> None:
    report = report_for(snapshot, name)
    assert report.top1_rate >= top1, f"in-scope top-1 {report.top1_rate:.1%} < {top1:.0%}"
    assert report.fallback_rate >= fallback, (
        f"out-of-scope fallback {report.fallback_rate:.1%} < {fallback:.0%}"
    )


@pytest.mark.parametrize(
    ("name", "turns"), [("conversations.yaml", 0.95), ("heldout-conversations-3.yaml", 0.90)]
)
def test_conversation_floor(snapshot: Snapshot, name: str, turns: float) -> None:
    report = report_for(snapshot, name)
    assert report.turn_rate is not None
    assert report.turn_rate >= turns, f"turns {report.turn_rate:.1%} < {turns:.0%}"
    assert report.fallback_rate == 1.0, "an out-of-scope follow-up was answered"


def test_no_two_topics_share_a_phrasing_once_analysed(snapshot: Snapshot) -> None:
    """kb check catches identical phrasings; this catches ones equal after analysis
    ("what is jet for" is "what is jet": "for" is a stopword), which make the choice
    between their topics arbitrary."""
    matcher = snapshot.matcher
    owner: dict[frozenset[str], str] = {}
    clashes = []
    for topic, phrasing in iter_phrasings(snapshot.kb):
        terms = matcher.terms(phrasing)
        first = owner.setdefault(terms, topic.id) if terms else topic.id
        both_small_talk = topic.is_smalltalk and first.startswith("smalltalk.")
        if first != topic.id and not both_small_talk:
            clashes.append(f"{topic.id}: {phrasing!r} analyses like a phrasing of {first}")
    assert clashes == []
