from __future__ import annotations

from pathlib import Path

import pytest

from bot.evaluation import (
    LabelledQuestion,
    QuestionSetError,
    evaluate,
    format_report,
    load_questions,
)
from bot.knowledge import load_knowledge
from bot.matcher import Matcher
from tests.conftest import WriteKb, minimal_kb_files


@pytest.fixture
def matcher(write_kb: WriteKb) -> Matcher:
    return Matcher(load_knowledge(write_kb(minimal_kb_files())))


def test_evaluate(matcher: Matcher) -> None:
    questions = [
        LabelledQuestion("what is an ALT?", "roles.alt"),
        LabelledQuestion("What is a CIR", "roles.cir"),
        LabelledQuestion("how do I apply", "steps.apply"),
        LabelledQuestion("how do I apply", "steps.interview"),
        LabelledQuestion("what is the weather like in Osaka", None),
        LabelledQuestion("hello", None),
        LabelledQuestion("when is the interview", None),
    ]
    report = evaluate(matcher, questions)
    assert (report.in_scope, report.top1) == (4, 3)
    assert (report.out_of_scope, report.fallbacks) == (3, 2)
    assert report.top1_rate == 0.75
    assert report.fallback_rate == pytest.approx(2 / 3)
    assert [(m.question, m.expected, m.answered) for m in report.misses] == [
        ("how do I apply", "steps.interview", "steps.apply"),
        ("when is the interview", None, "steps.interview"),
    ]
    text = format_report(report)
    assert "(3/4)" in text
    assert "(2/3)" in text
    assert "misses (2):" in text


def test_evaluate_top3_counts_runners_up(matcher: Matcher) -> None:
    ranked = [topic.id for topic, _ in matcher.rank("what is an alt")]
    assert ranked[0] == "roles.alt"
    assert len(ranked) >= 2
    report = evaluate(matcher, [LabelledQuestion("what is an alt", ranked[1])])
    assert (report.top1, report.top3, report.in_scope) == (0, 1, 1)
    assert (report.top1_rate, report.top3_rate) == (0.0, 1.0)
    [miss] = report.misses
    assert (miss.expected, miss.answered) == (ranked[1], "roles.alt")


def test_evaluate_not_in_top3(matcher: Matcher) -> None:
    report = evaluate(matcher, [LabelledQuestion("weather forecast", "roles.alt")])
    assert (report.top1, report.top3, report.in_scope) == (0, 0, 1)
    assert report.misses[0].answered is None


def test_evaluate_empty_question_set(matcher: Matcher) -> None:
    report = evaluate(matcher, [])
    assert (report.top1_rate, report.top3_rate, report.fallback_rate) == (1.0, 1.0, 1.0)
    assert report.misses == []


def test_load_questions(tmp_path: Path) -> None:
    path = tmp_path / "questions.yaml"
    path.write_text(
        "- q: what is an alt\n  topic: roles.alt\n- q: what is sushi\n  topic: null\n",
        encoding="utf-8",
    )
    assert load_questions(path) == [
        LabelledQuestion("what is an alt", "roles.alt"),
        LabelledQuestion("what is sushi", None),
    ]


def test_load_shipped_heldout_questions() -> None:
    path = Path(__file__).parent / "data" / "heldout-questions.yaml"
    questions = load_questions(path)
    assert questions
    assert any(q.topic is None for q in questions)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("q: what\ntopic: roles.alt\n", "expected a list"),
        ("just text\n", "expected a list"),
        ("", "expected a list"),
        ("- q: what is an alt\n  topic: roles.alt\n- topic: roles.cir\n", "item 2 is not"),
        ("- q: what is an alt\n", "item 1 is not"),
        ("- q: [not, text]\n  topic: roles.alt\n", "item 1 is not"),
        ("- just a string\n", "item 1 is not"),
        ("- q: [unclosed\n", "invalid YAML"),
    ],
)
def test_load_questions_rejects_bad_files(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad-questions.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(QuestionSetError, match=message) as excinfo:
        load_questions(path)
    assert str(path) in str(excinfo.value)


def test_load_questions_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    with pytest.raises(QuestionSetError, match="cannot read") as excinfo:
        load_questions(path)
    assert str(path) in str(excinfo.value)
