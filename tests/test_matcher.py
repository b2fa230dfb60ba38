from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.knowledge import KnowledgeBase, Topic, load_knowledge
from bot.matcher import FUZZY_CANDIDATES, MAX_SUGGESTIONS, MIN_BOUND, Match, Matcher, Outcome
from tests.conftest import WriteKb, minimal_kb_files

HELDOUT = Path(__file__).parent / "data" / "heldout-questions.yaml"


@pytest.fixture(scope="module")
def matcher(shipped_kb: KnowledgeBase) -> Matcher:
    return Matcher(shipped_kb)


def assert_well_formed(match: Match) -> None:
    assert 0.0 <= match.score <= 100.0
    if match.outcome is Outcome.ANSWER:
        assert match.topic is not None
        assert not match.topic.is_smalltalk
        assert match.suggestions == ()
    elif match.outcome is Outcome.SMALLTALK:
        assert match.topic is not None
        assert match.topic.is_smalltalk
    elif match.outcome is Outcome.SUGGEST:
        assert match.topic is None
        ids = [topic.id for topic in match.suggestions]
        assert 1 <= len(ids) <= MAX_SUGGESTIONS
        assert len(set(ids)) == len(ids)
        assert not any(topic.is_smalltalk for topic in match.suggestions)
    else:
        assert match.outcome is Outcome.FALLBACK
        assert match.topic is None
        assert match.suggestions == ()


@pytest.mark.parametrize(
    "text",
    [
        "can I apply for both CIR and ALT?",
        "CAN I APPLY FOR BOTH CIR AND ALT",
        "can i apply for both cir and alt",
        "can I apply for both CIR and ALT??!",
        "can I apply for both ALT and CIR?",
        "both CIR and ALT, can I apply for?",
        "can I apply for both CIR and ALT? 🤔🙏",
        "🙂 can I apply for both CIR and ALT",
        "can i aply for both cir and alt",
        "can I apply for bothh CIR and ALT?",
        "can I apply for both assistant language teacher and CIR?",
    ],
)
def test_robust_to_case_punctuation_order_emoji_and_typos(matcher: Matcher, text: str) -> None:
    match = matcher.match(text)
    assert match.outcome is Outcome.ANSWER
    assert match.topic is not None
    assert match.topic.id == "positions.apply-both"


@pytest.mark.parametrize(
    ("text", "topic_id"),
    [
        ("what is an ALT", "positions.alt"),
        ("what does an ALT do", "duties.alt"),
        ("what is a CIR", "positions.cir"),
        ("what does a CIR do", "duties.cir"),
    ],
)
def test_position_versus_duties(matcher: Matcher, text: str, topic_id: str) -> None:
    match = matcher.match(text)
    assert match.outcome is Outcome.ANSWER
    assert match.topic is not None
    assert match.topic.id == topic_id


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "   \n\t ",
        "🤔🙏😊",
        "?!...",
        "???",
        "応募の締め切りはいつですか\uff1f",
        "こんにちは",
    ],
)
def test_no_words_falls_back(matcher: Matcher, text: str) -> None:
    match = matcher.match(text)
    assert match.outcome is Outcome.FALLBACK
    assert match.topic is None
    assert match.suggestions == ()


@pytest.mark.parametrize(
    "text",
    [
        "x" * 4096,
        ("can I apply for both CIR and ALT? " * 200)[:4096],
        " ".join(["interview"] * 500)[:4096],
        ("word " * 1000)[:4096],
    ],
)
def test_message_of_telegram_maximum_length(matcher: Matcher, text: str) -> None:
    assert len(text) == 4096
    match = matcher.match(text)
    assert isinstance(match, Match)
    assert_well_formed(match)


@pytest.mark.parametrize(
    "text", ["how much does an ALT get paid", "what is sushi made of", "is there an age limit"]
)
def test_out_of_scope_is_not_answered(matcher: Matcher, text: str) -> None:
    assert matcher.match(text).outcome is not Outcome.ANSWER


@pytest.mark.parametrize(
    "text", ["what is the salary of an ALT", "what does a CIR earn", "what's the pay for CIRs"]
)
def test_pay_question_is_not_answered_with_what_the_position_is(
    matcher: Matcher, text: str
) -> None:
    """The shipped source says nothing about pay; answering "what an ALT is" is wrong."""
    match = matcher.match(text)
    assert match.outcome is not Outcome.ANSWER, match.topic and match.topic.id


@pytest.mark.parametrize("text", ["hello", "Hello! 😊", "hi", "thanks!", "thank you so much"])
def test_greetings_are_smalltalk(matcher: Matcher, text: str) -> None:
    match = matcher.match(text)
    assert match.outcome is Outcome.SMALLTALK
    assert match.topic is not None
    assert match.topic.is_smalltalk


def test_every_outcome_is_well_formed_on_heldout_questions(matcher: Matcher) -> None:
    questions = [item["q"] for item in yaml.safe_load(HELDOUT.read_text(encoding="utf-8"))]
    outcomes = set()
    for question in questions:
        match = matcher.match(question)
        assert_well_formed(match)
        outcomes.add(match.outcome)
    assert outcomes == set(Outcome)


def test_rank_is_sorted_and_within_range(matcher: Matcher) -> None:
    ranked = matcher.rank("how does the interview work and when are the results")
    scores = [score for _, score in ranked]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= score <= 100 for score in scores)
    assert len({topic.id for topic, _ in ranked}) == len(ranked)


def topic(topic_id: str) -> Topic:
    return Topic(id=topic_id, title=topic_id, questions=(topic_id,), answer=topic_id)


def test_decide_suggest_offers_at_most_three_non_smalltalk_topics(matcher: Matcher) -> None:
    ranked = [
        (topic("a.one"), 44.0),
        (topic("smalltalk.hi"), 43.9),
        (topic("a.two"), 43.0),
        (topic("a.three"), 42.0),
        (topic("a.four"), 41.0),
    ]
    match = matcher.decide(ranked)
    assert match.outcome is Outcome.SUGGEST
    assert [t.id for t in match.suggestions] == ["a.one", "a.two", "a.three"]
    assert match.topic is None
    assert match.best_guess is not None
    assert match.best_guess.id == "a.one"


@pytest.mark.parametrize(
    ("ranked", "outcome"),
    [
        ([], Outcome.FALLBACK),
        ([(topic("a.one"), 90.0)], Outcome.ANSWER),
        ([(topic("a.one"), 90.0), (topic("a.two"), 89.0)], Outcome.SUGGEST),
        ([(topic("a.one"), 90.0), (topic("smalltalk.hi"), 89.0)], Outcome.ANSWER),
        ([(topic("smalltalk.hi"), 90.0), (topic("a.one"), 89.0)], Outcome.SMALLTALK),
        ([(topic("smalltalk.hi"), 42.0)], Outcome.FALLBACK),
        ([(topic("a.one"), 10.0)], Outcome.FALLBACK),
    ],
)
def test_decide(matcher: Matcher, ranked: list[tuple[Topic, float]], outcome: Outcome) -> None:
    match = matcher.decide(ranked)
    assert match.outcome is outcome
    assert_well_formed(match)


def test_near_identical_topics_are_both_suggested(write_kb: WriteKb) -> None:
    files = minimal_kb_files()
    files["visa.yaml"] = """\
        topics:
          - id: visa.work
            title: Work visa
            questions: [how do i get a work visa]
            answer: Your work visa is arranged for you.
          - id: visa.spouse
            title: Spouse visa
            questions: [how do i get a spouse visa]
            answer: A spouse visa is arranged separately.
        """
    matcher = Matcher(load_knowledge(write_kb(files)))
    match = matcher.match("how do I get a visa?")
    assert match.outcome is Outcome.SUGGEST
    assert {t.id for t in match.suggestions} == {"visa.work", "visa.spouse"}
    assert match.topic is None
    assert matcher.match("how do I get a work visa").topic.id == "visa.work"
    assert matcher.match("spouse visa").topic.id == "visa.spouse"


def test_minimal_kb_answers_its_own_questions(write_kb: WriteKb) -> None:
    kb = load_knowledge(write_kb(minimal_kb_files()))
    matcher = Matcher(kb)
    for topic_ in kb.topics.values():
        for question in topic_.questions:
            match = matcher.match(question)
            assert match.topic is not None, question
            assert match.topic.id == topic_.id


def brute_force_lexical(matcher: Matcher, terms: frozenset[str]) -> list[float]:
    """Every phrasing's lexical score, the slow obvious way, best first."""
    query_weight = sum(matcher.term_weight(t) for t in terms)
    scores = []
    for phrasing in matcher.phrasings:
        shared = sum(matcher.weights[t] for t in phrasing.terms & terms)
        score = (shared / query_weight) * (shared / phrasing.weight)
        if score >= MIN_BOUND:
            scores.append(score)
    return sorted(scores, reverse=True)


def test_candidate_search_finds_the_same_best_phrasings_as_scoring_all(matcher: Matcher) -> None:
    questions = [item["q"] for item in yaml.safe_load(HELDOUT.read_text(encoding="utf-8"))]
    checked = 0
    for question in questions:
        terms = matcher.terms(question)
        if not terms:
            continue
        query_weight = sum(matcher.term_weight(t) for t in terms)
        found = sorted(matcher.candidates(terms, query_weight).values(), reverse=True)
        found = [score for score in found if score >= MIN_BOUND]
        expected = brute_force_lexical(matcher, terms)[:FUZZY_CANDIDATES]
        assert found[: len(expected)] == pytest.approx(expected), question
        checked += 1
    assert checked > 200


def test_phrasings_are_numbered_by_weight(matcher: Matcher) -> None:
    weights = [phrasing.weight for phrasing in matcher.phrasings]
    assert weights == sorted(weights)
    for postings in matcher.postings.values():
        assert postings == sorted(postings)
