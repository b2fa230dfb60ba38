from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.answers import Snapshot
from bot.evaluation import (
    Conversation,
    LabelledQuestion,
    QuestionSetError,
    evaluate,
    format_report,
    load_question_set,
    load_questions,
)
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.matcher import Matcher
from tests.conftest import WriteKb, minimal_kb_files


@pytest.fixture
def snapshot(write_kb: WriteKb) -> Snapshot:
    return Snapshot.build(load_knowledge(write_kb(minimal_kb_files())))


@pytest.fixture
def matcher(snapshot: Snapshot) -> Matcher:
    return snapshot.matcher


def test_evaluate(snapshot: Snapshot) -> None:
    questions = [
        LabelledQuestion("what is an ALT?", "roles.alt"),
        LabelledQuestion("What is a CIR", "roles.cir"),
        LabelledQuestion("how do I apply", "steps.apply"),
        LabelledQuestion("how do I apply", "steps.interview"),
        LabelledQuestion("what is the weather like in Osaka", None),
        LabelledQuestion("hello", None),
        LabelledQuestion("when is the interview", None),
    ]
    report = evaluate(snapshot, questions)
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


def test_evaluate_top3_counts_runners_up(snapshot: Snapshot, matcher: Matcher) -> None:
    ranked = [topic.id for topic, _ in matcher.rank("what is an alt")]
    assert ranked[0] == "roles.alt"
    assert len(ranked) >= 2
    report = evaluate(snapshot, [LabelledQuestion("what is an alt", ranked[1])])
    assert (report.top1, report.top3, report.in_scope) == (0, 1, 1)
    assert (report.top1_rate, report.top3_rate) == (0.0, 1.0)
    [miss] = report.misses
    assert (miss.expected, miss.answered) == (ranked[1], "roles.alt")


def test_evaluate_not_in_top3(snapshot: Snapshot) -> None:
    report = evaluate(snapshot, [LabelledQuestion("weather forecast", "roles.alt")])
    assert (report.top1, report.top3, report.in_scope) == (0, 0, 1)
    assert report.misses[0].answered is None


def test_evaluate_empty_question_set(snapshot: Snapshot) -> None:
    report = evaluate(snapshot, [])
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


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        ("hi, what is an ALT?", True),
        ("hello", False),  # small talk answers no topic
        ("help", False),  # an intent
        ("how much does an ALT earn", False),  # partial at best
        ("ALTの仕事は何ですか", False),  # not English
    ],
)
def test_only_a_confident_answer_counts(snapshot: Snapshot, question: str, answered: bool) -> None:
    report = evaluate(snapshot, [LabelledQuestion(question, "roles.alt")])
    assert report.top1 == answered
    report = evaluate(snapshot, [LabelledQuestion(question, None)])
    assert report.fallbacks == (not answered)


def test_conversation_carries_context_between_turns(snapshot: Snapshot) -> None:
    turns = (
        LabelledQuestion("what is an ALT?", "roles.alt"),
        LabelledQuestion("and CIRs?", "roles.cir"),
        LabelledQuestion("thanks!", None),
    )
    report = evaluate(snapshot, [Conversation(turns)])
    assert report.turns is not None
    assert (report.turns.right, report.turns.count) == (3, 3)
    assert report.turn_rate == 1.0
    # Asked alone, the follow-up has nothing to go on.
    alone = evaluate(snapshot, [LabelledQuestion("and CIRs?", "roles.alt")])
    assert alone.top1 == 0


def test_conversation_misses_name_their_turn(snapshot: Snapshot) -> None:
    turns = (
        LabelledQuestion("what is an ALT?", "roles.alt"),
        LabelledQuestion("and CIRs?", "steps.apply"),
    )
    report = evaluate(snapshot, [Conversation(turns)])
    assert report.turn_rate == 0.5
    [miss] = report.misses
    assert (miss.turn, miss.expected, miss.answered) == (2, "steps.apply", "roles.cir")
    assert "[turn 2]" in format_report(report)


def test_per_category_figures_and_json(snapshot: Snapshot) -> None:
    questions = [
        LabelledQuestion("what is an ALT", "roles.alt", "plain"),
        LabelledQuestion("wat is an alt pls", "roles.alt", "messy"),
        LabelledQuestion("weather forecast", "roles.alt", "messy"),
        LabelledQuestion("hello", None, "smalltalk"),
    ]
    report = evaluate(snapshot, questions)
    figures = report.figures()
    assert figures["count"] == 4
    assert figures["per_cat"] == {
        "messy": {"count": 2, "right": 1, "accuracy": 0.5},
        "plain": {"count": 1, "right": 1, "accuracy": 1.0},
        "smalltalk": {"count": 1, "right": 1, "accuracy": 1.0},
    }
    assert figures["turns"] is None
    assert {"in_scope_top1", "top3", "fallback", "turns", "per_cat", "count"} <= set(figures)
    assert "messy" in format_report(report)


def test_load_question_set_reads_both_formats(tmp_path: Path) -> None:
    questions = tmp_path / "questions.yaml"
    questions.write_text("- {q: what is an alt, topic: roles.alt, cat: plain}\n", encoding="utf-8")
    assert load_question_set(questions) == [
        LabelledQuestion("what is an alt", "roles.alt", "plain")
    ]
    conversations = tmp_path / "conversations.yaml"
    conversations.write_text(
        "- turns:\n"
        "    - {q: what is an alt, topic: roles.alt}\n"
        '    - {q: "and cirs?", topic: null}\n',
        encoding="utf-8",
    )
    [conversation] = load_question_set(conversations)
    assert isinstance(conversation, Conversation)
    assert [t.question for t in conversation.turns] == ["what is an alt", "and cirs?"]
    assert len(load_questions(conversations)) == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- turns: []\n", "non-empty list"),
        ("- turns:\n    - {q: hi}\n", "conversation 1 turn 1"),
    ],
)
def test_load_question_set_rejects_bad_conversations(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(QuestionSetError, match=message):
        load_question_set(path)


def test_shipped_conversations_load(shipped_kb: KnowledgeBase) -> None:
    items = load_question_set(Path(__file__).parent / "data" / "conversations.yaml")
    assert items
    assert all(isinstance(item, Conversation) for item in items)


def test_kb_eval_json_and_turn_floor(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main

    conversations = tmp_path / "conversations.yaml"
    conversations.write_text(
        "- turns:\n"
        '    - {q: "what does a CIR do", topic: duties.cir}\n'
        '    - {q: "and ALTs?", topic: duties.alt}\n'
        '    - {q: "how much do they earn?", topic: null}\n'
        "- turns:\n"
        '    - {q: "hi", topic: null}\n'
        '    - {q: "what is an ALT?", topic: duties.cir}\n',
        encoding="utf-8",
    )
    assert main(["kb", "eval", str(conversations), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert (figures["turns"], figures["turn_count"], figures["count"]) == (0.8, 5, 5)
    assert figures["fallback"] == 1.0
    assert main(["kb", "eval", str(conversations), "--min-turns", "0.9"]) == 1
    assert "turns 80.0% < 90.0%" in capsys.readouterr().err
    assert main(["kb", "eval", str(conversations), "--min-turns", "0.8"]) == 0
