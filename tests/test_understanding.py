from __future__ import annotations

import pytest

from bot.answers import Snapshot
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.understanding import (
    MAX_QUESTIONS,
    Context,
    Intent,
    Kind,
    Need,
    Understanding,
    context_for,
    understand,
)
from tests.conftest import WriteKb, minimal_kb_files


@pytest.fixture(scope="module")
def snapshot(shipped_kb: KnowledgeBase) -> Snapshot:
    return Snapshot.build(shipped_kb)


def ask(snapshot: Snapshot, *messages: str) -> Understanding:
    """The understanding of the last message of a conversation."""
    context: Context | None = None
    understanding = None
    for message in messages:
        understanding = understand(message, context, snapshot)
        context = understanding.context
    assert understanding is not None
    return understanding


def answered(understanding: Understanding) -> str | None:
    if understanding.kind is Kind.ANSWER:
        return understanding.topics[0]
    return None


# -- message analysis -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("hi, what is a CIR?", "positions.cir"),
        ("Hello! What does an ALT do?", "duties.alt"),
        ("good morning, who runs JET?", "programme.about"),
        ("hey there 👋 how do I apply?", "selection.recruitment"),
    ],
)
def test_greeting_and_question_answers_with_the_greeting_flag(
    snapshot: Snapshot, text: str, topic: str
) -> None:
    understanding = understand(text, None, snapshot)
    assert answered(understanding) == topic
    assert understanding.greeting


def test_thanks_and_a_new_question_answers_the_question(snapshot: Snapshot) -> None:
    understanding = understand("thanks! and who reviews the applications?", None, snapshot)
    assert answered(understanding) == "selection.application-review"


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("I'm a teacher from Canada. How do I apply?", "selection.recruitment"),
        ("I graduated last year - what does an ALT do?", "duties.alt"),
        ("im 23 and from nz, what is an ALT", "positions.alt"),
    ],
)
def test_self_introduction_does_not_dilute_the_question(
    snapshot: Snapshot, text: str, topic: str
) -> None:
    assert answered(understand(text, None, snapshot)) == topic


@pytest.mark.parametrize(
    ("text", "topics"),
    [
        ("what is a CIR and what does an ALT do?", ("positions.cir", "duties.alt")),
        ("Who reviews the applications? And where is the interview?",
         ("selection.application-review", "selection.interview")),
        ("whats an alt and where do they work", ("positions.alt",)),
    ],
)  # fmt: skip
def test_two_questions_answer_both(snapshot: Snapshot, text: str, topics: tuple[str, ...]) -> None:
    understanding = understand(text, None, snapshot)
    assert understanding.kind is Kind.ANSWER
    assert understanding.topics == topics


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("help", Intent.HELP),
        ("I need help", Intent.HELP),
        ("can you help me", Intent.HELP),
        ("ok", Intent.OK),
        ("okay", Intent.OK),
        ("yes", Intent.YES),
        ("no", Intent.NO),
        ("what can you do", Intent.CAPABILITIES),
    ],
)
def test_intents(snapshot: Snapshot, text: str, intent: Intent) -> None:
    understanding = understand(text, None, snapshot)
    assert understanding.kind is Kind.INTENT
    assert understanding.intent is intent
    assert understanding.topics == ()


def test_help_is_never_thanks_and_ok_never_goodbye(snapshot: Snapshot) -> None:
    for text in ("help", "I need help", "ok", "okay"):
        understanding = understand(text, None, snapshot)
        assert understanding.kind is not Kind.SMALLTALK


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("hi", "smalltalk.greeting"),
        ("thanks!", "smalltalk.thanks"),
        ("thank you so much, that really helped 🙏", "smalltalk.thanks"),
        ("bye", "smalltalk.bye"),
        ("see you later, have a nice day", "smalltalk.bye"),
        ("who are you?", "smalltalk.bot"),
        ("whats ur name", "smalltalk.bot"),
    ],
)
def test_small_talk(snapshot: Snapshot, text: str, topic: str) -> None:
    understanding = understand(text, None, snapshot)
    assert understanding.kind is Kind.SMALLTALK
    assert understanding.topics == (topic,)


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("wat r the duties of an alt", "duties.alt"),
        ("alt job do what", "duties.alt"),
        ("wht is a cir", "positions.cir"),
        ("can u tell me how 2 apply pls", "selection.recruitment"),
        ("cir where work?", "positions.cir"),
        ("were do the interviews take place", "selection.interview"),
    ],
)
def test_texting_and_non_native_grammar(snapshot: Snapshot, text: str, topic: str) -> None:
    assert answered(understand(text, None, snapshot)) == topic


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("ALTの仕事は何ですか", "ja"),
        ("JETプログラムに応募したいです", "ja"),
        ("¿Qué hace un ALT?", "es"),
    ],
)
def test_not_english(snapshot: Snapshot, text: str, language: str) -> None:
    understanding = understand(text, None, snapshot)
    assert understanding.kind is Kind.NOT_ENGLISH
    assert understanding.language == language


# -- follow-ups -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("messages", "topic"),
    [
        (("what does a CIR do", "and ALTs?"), "duties.alt"),
        (("what does an ALT do", "and for CIR?"), "duties.cir"),
        (("what does an ALT do", "what about SEAs"), "positions.sea"),
        (("what is an ALT", "how about the CIR"), "positions.cir"),
        (("What exactly is a CIR?", "what do they do?"), "duties.cir"),
        (("what is an ALT", "where are they placed"), "positions.alt"),
        (("what is JET?", "who runs it"), "programme.about"),
        (("what is JET?", "when did it start?"), "programme.history"),
        (("what is an ALT", "no, I meant the CIR one"), "positions.cir"),
        (("who reviews the applications?", "and after that?"), "selection.interview"),
        (("where is the interview held?", "and then?"), "selection.results"),
        (("how does placement notification work", "what's next"), "selection.pre-departure"),
        (("what happens after the interview?", "and after that?", "and then?"),
         "selection.pre-departure"),
        (("can I apply for both CIR and ALT?", "ok, which one does interpreting?"), "duties.cir"),
        (("what does a CIR do", "who sends the placement notice?"), "selection.placement"),
    ],
)  # fmt: skip
def test_follow_ups(snapshot: Snapshot, messages: tuple[str, ...], topic: str) -> None:
    assert answered(ask(snapshot, *messages)) == topic


def test_follow_up_alone_is_not_answered_as_if_it_had_context(snapshot: Snapshot) -> None:
    assert answered(understand("and ALTs?", None, snapshot)) == "positions.alt"
    assert answered(understand("and after that?", None, snapshot)) is None


def test_a_clear_new_subject_drops_the_old_context(snapshot: Snapshot) -> None:
    understanding = ask(snapshot, "what does a CIR do", "when did JET start?")
    assert answered(understanding) == "programme.history"
    assert understanding.context is not None
    assert understanding.context.topic == "programme.history"
    assert understanding.context.position is None


def test_context_says_what_the_answer_was_about(snapshot: Snapshot) -> None:
    context = understand("where do CIRs work?", None, snapshot).context
    assert context is not None
    assert (context.topic, context.position, context.stage) == ("positions.cir", "cir", None)
    context = understand("where is the interview held?", None, snapshot).context
    assert context is not None
    assert (context.topic, context.stage) == ("selection.interview", "interview")


def test_context_is_kept_through_small_talk_and_cleared_by_goodbye(snapshot: Snapshot) -> None:
    context = understand("what does a CIR do", None, snapshot).context
    assert understand("thanks!", context, snapshot).context == context
    assert understand("ok", context, snapshot).context == context
    assert understand("ALTの仕事は", context, snapshot).context == context
    assert understand("bye", context, snapshot).context is None
    assert understand("what is sushi made of", context, snapshot).context is None


def test_context_for_a_topic_picked_by_button(snapshot: Snapshot) -> None:
    context = context_for("duties.alt", snapshot)
    assert (context.topic, context.position) == ("duties.alt", "alt")
    assert answered(understand("and CIRs?", context, snapshot)) == "duties.cir"


# -- honest partial answers --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "missing", "shown"),
    [
        ("how much do ALTs earn?", Need.AMOUNT, "positions.alt"),
        ("what's the pay for a CIR", Need.AMOUNT, "positions.cir"),
        ("What month are results announced?", Need.DATE, "selection.results"),
        ("How long is the interview?", Need.DURATION, "selection.interview"),
        ("How many CIRs are there right now?", Need.COUNT, "positions.cir programme.history"),
        ("how many participants are there in 2024", Need.DATE, "programme.history"),
        ("which countries can apply?", Need.LIST, "selection.recruitment"),
        ("what happens at the interview?", Need.DETAIL, "selection.interview"),
        (
            "what does the application review look for?",
            Need.DETAIL,
            "selection.application-review",
        ),
        ("How do I apply to be an SEA?", Need.DETAIL, "positions.sea"),
    ],
)
def test_partial_answers_name_what_is_missing(
    snapshot: Snapshot, text: str, missing: Need, shown: str
) -> None:
    understanding = understand(text, None, snapshot)
    assert understanding.kind is Kind.PARTIAL
    assert missing in understanding.missing
    assert understanding.suggestions[0] in shown.split()
    assert understanding.topics == ()


@pytest.mark.parametrize(
    "text",
    [
        "how much does an ALT get paid",
        "HOW MUCH DO U GET PAID ON JET",
        "do SEAs earn more than ALTs?",
        "Do I need a visa to work as an ALT?",
        "who sorts out the visa for CIRs",
        "is there an age limit for CIRs",
        "hi im 41, am i too old to apply?",
        "can I apply if I'm 45",
        "How many hours a week do CIRs work?",
        "what are the working hours of an ALT",
        "When is the application deadline?",
        "what date is the interview",
        "What's CLAIR's phone number?",
        "What's the address of the Japanese embassy in London?",
        "what's the acceptance rate for ALTs",
        "How long is the contract?",
        "Which countries can apply?",
        "how many participants are on jet this year",
    ],
)
def test_out_of_scope_is_never_answered_confidently(snapshot: Snapshot, text: str) -> None:
    understanding = understand(text, None, snapshot)
    assert understanding.kind in (Kind.PARTIAL, Kind.FALLBACK), understanding.topics


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("what % of applicants are accepted?", Need.RATE),
        ("how many $ do ALTs get", Need.AMOUNT),
        ("is it more than 3,000 \u00a3 for a CIR", Need.AMOUNT),
    ],
)
def test_a_symbol_asks_as_its_word_does(snapshot: Snapshot, text: str, missing: Need) -> None:
    understanding = understand(text, None, snapshot)
    assert understanding.kind is Kind.PARTIAL, understanding.topics
    assert missing in understanding.missing


def test_pay_follow_up_is_partial(snapshot: Snapshot) -> None:
    understanding = ask(snapshot, "what does a CIR do", "how much do they get paid?")
    assert understanding.kind is Kind.PARTIAL
    assert understanding.missing == (Need.AMOUNT,)
    assert understanding.suggestions[0] in ("duties.cir", "positions.cir")


def test_answerable_part_is_answered_and_the_rest_reported(snapshot: Snapshot) -> None:
    understanding = understand("where's the interview and how long does it take?", None, snapshot)
    assert understanding.kind is Kind.ANSWER
    assert understanding.topics == ("selection.interview",)
    assert understanding.missing == (Need.DURATION,)
    assert [p.kind for p in understanding.parts] == [Kind.ANSWER, Kind.PARTIAL]


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("when did JET start?", "programme.history"),
        ("how many countries take part?", "programme.history"),
        ("how long has JET been around?", "programme.history"),
        ("how many SEAs are there?", "positions.sea"),
        ("how many positions are there?", "positions.overview"),
        ("when do I find out my placement?", "selection.placement"),
    ],
)
def test_answers_that_hold_what_is_asked_are_answered(
    snapshot: Snapshot, text: str, topic: str
) -> None:
    assert answered(understand(text, None, snapshot)) == topic


# -- any knowledge base -------------------------------------------------------------


def test_understanding_works_on_another_knowledge_base(write_kb: WriteKb) -> None:
    snapshot = Snapshot.build(load_knowledge(write_kb(minimal_kb_files())))
    understanding = understand("hi! what is an ALT?", None, snapshot)
    assert (understanding.kind, understanding.topics) == (Kind.ANSWER, ("roles.alt",))
    assert understanding.greeting
    context = understanding.context
    assert answered(understand("and CIRs?", context, snapshot)) == "roles.cir"
    context = understand("how do I apply", None, snapshot).context
    assert answered(understand("and then?", context, snapshot)) == "steps.interview"
    assert understand("hello", None, snapshot).topics == ("smalltalk.hello",)


@pytest.mark.parametrize("text", ["", "   ", "🤔🙏", "?!...", "x" * 4096, "what " * 800])
def test_any_text_gives_a_well_formed_understanding(snapshot: Snapshot, text: str) -> None:
    understanding = understand(text, None, snapshot)
    assert isinstance(understanding.kind, Kind)
    if understanding.kind is Kind.ANSWER:
        assert understanding.topics
    if understanding.kind in (Kind.SUGGEST, Kind.PARTIAL):
        assert understanding.suggestions


def test_only_the_first_questions_of_a_long_message_are_read(snapshot: Snapshot) -> None:
    text = ("what is a CIR and what does an ALT do? " * 120)[:4096]
    understanding = understand(text, None, snapshot)
    assert understanding.kind is Kind.ANSWER
    assert understanding.topics == ("positions.cir", "duties.alt")
    assert len(understanding.parts) == MAX_QUESTIONS


def test_a_pay_question_stays_one_when_the_subject_changes(snapshot: Snapshot) -> None:
    understanding = ask(snapshot, "how much do CIRs earn?", "and ALTs?")
    assert understanding.kind is Kind.PARTIAL
    assert understanding.missing == (Need.AMOUNT,)
    assert understanding.suggestions[0] == "positions.alt"


def test_what_the_writer_said_before_that_is_part_of_the_question(snapshot: Snapshot) -> None:
    text = "I'd love to do JET but I have no teaching degree - would that be a problem for an ALT?"
    assert understand(text, None, snapshot).kind in (Kind.PARTIAL, Kind.FALLBACK)
    text = "I speak some Japanese so I'm tempted by CIR. Can I apply for both roles?"
    assert answered(understand(text, None, snapshot)) == "positions.apply-both"
