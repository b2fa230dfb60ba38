from __future__ import annotations

import pytest

from bot.analysis import Intent, clauses, detect_language, read_message


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("ALTの仕事は何ですか", "ja"),
        ("こんにちは", "ja"),
        ("面接", "ja"),  # kanji alone: Japanese unless Chinese-only characters show
        ("我想知道这个项目是什么", "zh"),
        ("JET 프로그램은 무엇인가요?", "ko"),
        ("Что такое программа JET?", "ru"),
        ("¿Qué hace un ALT en Japón?", "es"),
        ("Wie bewerbe ich mich für das JET Programm?", "de"),
        ("Qu'est-ce qu'un CIR ?", "fr"),
        ("Como posso me candidatar ao programa?", "pt"),
    ],
)
def test_other_languages_are_detected(text: str, language: str) -> None:
    assert detect_language(text) == language


@pytest.mark.parametrize(
    "text",
    [
        "what is a CIR?",
        "Helo, I want to know if ALT work in public school or private school?",
        "Good morning! I am Tomás from Chile. Which positions exist in the program?",
        "konnichiwa",
        "hallo",
        "I love 日本, how do I apply?",
        "alt job do what",
        "ok",
        "🤔🙏",
        "",
    ],
)
def test_english_and_near_english_is_english(text: str) -> None:
    assert detect_language(text) is None


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("help", Intent.HELP),
        ("Help!", Intent.HELP),
        ("I need help", Intent.HELP),
        ("can you help me", Intent.HELP),
        ("can u help me pls", Intent.HELP),
        ("ok", Intent.OK),
        ("okay", Intent.OK),
        ("ok cool", Intent.OK),
        ("lol ok", Intent.OK),
        ("got it", Intent.OK),
        ("yes", Intent.YES),
        ("yeah", Intent.YES),
        ("no", Intent.NO),
        ("nope", Intent.NO),
        ("no thanks", Intent.NO),
        ("what can you do", Intent.CAPABILITIES),
        ("What can you help me with?", Intent.CAPABILITIES),
        ("what can I ask you", Intent.CAPABILITIES),
    ],
)
def test_bare_intents(text: str, intent: Intent) -> None:
    message = read_message(text)
    assert message.intent is intent
    assert message.questions == ()
    assert not message.thanks
    assert not message.farewell


@pytest.mark.parametrize(
    ("text", "greeting", "thanks", "farewell"),
    [
        ("hi", True, False, False),
        ("Hello!", True, False, False),
        ("good morning 🌞", True, False, False),
        ("hello?", True, False, False),
        ("thanks!", False, True, False),
        ("thank you so much, that really helped 🙏", False, True, False),
        ("cheers mate", False, True, False),
        ("ok thanks", False, True, False),
        ("you're really useful, thanks", False, True, False),
        ("bye", False, False, True),
        ("ok bye", False, False, True),
        ("thx bye", False, False, True),
        ("see you later, have a nice day", False, False, True),
    ],
)
def test_small_talk_is_not_a_question(
    text: str, greeting: bool, thanks: bool, farewell: bool
) -> None:
    message = read_message(text)
    assert message.questions == ()
    assert (message.greeting, message.thanks, message.farewell) == (greeting, thanks, farewell)
    assert message.intent is None


@pytest.mark.parametrize(
    ("text", "questions", "greeting"),
    [
        ("hi, what is a CIR?", ["what is a CIR?"], True),
        ("Hey there! Who runs JET??", ["Who runs JET??"], True),
        ("hi there 👋 who runs jet", ["who runs jet"], True),
        (
            "what is a CIR and what does an ALT do?",
            ["what is a CIR", "what does an ALT do?"],
            False,
        ),
        (
            "where's the interview and how long does it take?",
            ["where's the interview", "how long does it take?"],
            False,
        ),
        (
            "what does a CIR do and do they get paid more?",
            ["what does a CIR do", "do they get paid more?"],
            False,
        ),
        ("can I apply for both CIR and ALT?", ["can I apply for both CIR and ALT?"], False),
        (
            "thanks for that! and who reviews the applications?",
            ["and who reviews the applications?"],
            False,
        ),
        ("hey there! my cousin did jet years ago, what even is it lol", ["what even is it"], True),
        (
            "Helo, I want to know if ALT work in public school? Thank you very much",
            ["if ALT work in public school?"],
            True,
        ),
    ],
)
def test_questions_are_found_among_social_words(
    text: str, questions: list[str], greeting: bool
) -> None:
    message = read_message(text)
    assert list(message.questions) == questions
    assert message.greeting is greeting


@pytest.mark.parametrize(
    ("text", "question", "remark"),
    [
        (
            "I'm a teacher from Canada. How do I apply?",
            "How do I apply?",
            "I'm a teacher from Canada.",
        ),
        (
            "I graduated last year - what does an ALT do",
            "what does an ALT do",
            "I graduated last year",
        ),
        ("i'm canadian who do i contact to apply", "who do i contact to apply", "i'm canadian"),
        (
            "hey, teacher from Ghana here 🇬🇭 is there an interview?",
            "is there an interview?",
            "teacher from Ghana here",
        ),
        (
            "hey so i got accepted!! who tells me my town?",
            "who tells me my town?",
            "so i got accepted!!",
        ),
        ("If I'm rejected, can I reapply?", "can I reapply?", "If I'm rejected"),
    ],
)
def test_self_introductions_and_side_remarks_are_set_apart(
    text: str, question: str, remark: str
) -> None:
    message = read_message(text)
    assert message.questions == (question,)
    assert message.remarks == (remark,)


def test_a_message_of_remarks_only_keeps_them() -> None:
    message = read_message("I'm interested in the CIR position")
    assert message.questions == ()
    assert message.remarks == ("I'm interested in the CIR position",)


def test_clauses_break_at_emoji_and_dashes() -> None:
    assert clauses("hello 👋 what is JET - and who runs it?") == [
        "hello",
        "what is JET",
        "and who runs it?",
    ]


@pytest.mark.parametrize(
    "text", ["got accepted!! how do I learn my town?", "so excited! how do I apply?"]
)
def test_an_exclamation_that_asks_nothing_is_a_remark(text: str) -> None:
    message = read_message(text)
    assert len(message.questions) == 1
    assert len(message.remarks) == 1
    assert message.questions[0].startswith("how do I")


def test_a_first_person_statement_is_a_remark() -> None:
    message = read_message("I speak decent Japanese so I'm tempted by CIR - can I apply for both?")
    assert message.questions == ("can I apply for both?",)
    assert message.remarks == ("I speak decent Japanese so I'm tempted by CIR",)
    assert read_message("I want to know if ALTs work in public schools?").questions
