from __future__ import annotations

import json
from typing import Any

import pytest

from bot.answers import Snapshot
from bot.context import Context
from bot.followup import readings, replace_term
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.lexicon import Lexicon, lexicon
from tests.conftest import WriteKb, minimal_kb_files


@pytest.fixture(scope="module")
def lex(shipped_kb: KnowledgeBase) -> Lexicon:
    return lexicon(Snapshot.build(shipped_kb))


def test_context_round_trips_through_json() -> None:
    context = Context("duties.cir", "what does a cir do", "cir", "cir", None)
    stored = json.loads(json.dumps(context.to_dict()))
    assert stored == {
        "topic": "duties.cir",
        "question": "what does a cir do",
        "subject": "cir",
        "position": "cir",
    }
    assert Context.from_dict(stored) == context


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"topic": "duties.cir"},
        {"question": "what"},
        {"topic": 3, "question": "what"},
        {"topic": "duties.cir", "question": "what", "subject": ["x"]},
        [],
        "topic",
    ],
)
def test_malformed_stored_context_is_none(data: Any) -> None:
    assert Context.from_dict(data) is None


def test_stored_question_is_kept_short() -> None:
    context = Context.from_dict({"topic": "t.a", "question": "x" * 5000})
    assert context is not None
    assert len(context.question) == 300


def test_families_come_from_sibling_topic_ids(lex: Lexicon) -> None:
    assert lex.families["positions"] == {"cir", "alt", "sea"}
    assert lex.families["duties"] == {"cir", "alt"}
    assert lex.family_of["alt"] == {"cir", "alt", "sea"}
    assert {"cir", "alt"} <= lex.entities
    assert lex.default_subject == "jet"


def test_stage_order_is_the_knowledge_base_order(lex: Lexicon) -> None:
    assert lex.next_stage_topic("review", 1) == "selection.interview"
    assert lex.next_stage_topic("interview", 1) == "selection.results"
    assert lex.next_stage_topic("interview", -1) == "selection.application-review"
    assert lex.next_stage_topic("pre-departure", 1) is None
    assert lex.stage_terms["interview"] == "interview"


def test_context_after_an_answer(lex: Lexicon) -> None:
    context = lex.context("selection.interview", "where is the interview held")
    assert (context.subject, context.stage, context.position) == ("interview", "interview", None)
    context = lex.context("duties.alt", "what do ALTs do")
    assert (context.subject, context.position, context.stage) == ("alt", "alt", None)


def test_replace_term_keeps_the_rest_of_the_question(lex: Lexicon) -> None:
    assert replace_term("what does a CIR do", "cir", "alt", lex) == "what does a alt do"
    assert (
        replace_term("duties of a coordinator for international relations", "cir", "sea", lex)
        == "duties of a sea"
    )
    assert replace_term("what is JET", "cir", "alt", lex) is None


@pytest.mark.parametrize(
    ("text", "question", "how", "expected"),
    [
        ("and ALTs?", "what does a CIR do", "swap", "what does a alt do"),
        ("what about SEAs", "what does a CIR do", "swap", "what does a sea do"),
        ("no, I meant the CIR one", "what is an ALT", "correction", "what is an cir"),
        ("what do they do?", "what is a CIR", "pronoun", "what do cir do"),
        ("who runs it", "what is JET", "pronoun", "who runs jet"),
    ],
)
def test_readings_of_a_follow_up(
    lex: Lexicon, text: str, question: str, how: str, expected: str
) -> None:
    context = lex.context(lex.matcher.match(question).topic.id, question)
    found = readings(text, context, lex)
    assert found[-1].how == "direct"
    assert (found[0].how, found[0].text) == (how, expected)


def test_sequence_reading_reaches_the_next_stage(lex: Lexicon) -> None:
    context = lex.context("selection.application-review", "who reviews the applications")
    [first, *_] = readings("and after that?", context, lex)
    assert (first.how, first.topic) == ("sequence", "selection.interview")
    [first, *_] = readings("what comes before that", context, lex)
    assert first.topic == "selection.recruitment"


def test_a_stage_named_in_the_question_leads_to_the_next(lex: Lexicon) -> None:
    [first, *_] = readings("what happens after the interview?", None, lex)
    assert (first.how, first.topic) == ("after", "selection.results")


def test_without_context_only_it_means_the_programme(lex: Lexicon) -> None:
    assert [r.text for r in readings("when did it start?", None, lex)] == [
        "when did jet start",
        "when did it start",
    ]
    assert [r.how for r in readings("what do they do?", None, lex)] == ["direct"]


def test_a_pronoun_after_its_own_subject_is_not_replaced(lex: Lexicon) -> None:
    context = lex.context("duties.cir", "what does a cir do")
    found = readings("and the ALTs, what do they do?", context, lex)
    assert all(r.how != "pronoun" for r in found)


def test_families_of_another_knowledge_base(write_kb: WriteKb) -> None:
    snapshot = Snapshot.build(load_knowledge(write_kb(minimal_kb_files())))
    lex = lexicon(snapshot)
    assert lex.families == {"roles": {"alt", "cir"}, "steps": {"apply", "interview"}}
    assert lex.next_stage_topic("apply", 1) == "steps.interview"
    assert lexicon(snapshot) is lex  # built once per snapshot
