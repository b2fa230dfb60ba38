from __future__ import annotations

import re

import pytest

from bot.text import (
    Analyzer,
    EnglishWords,
    english_words,
    normalise_tokens,
    question_sentences,
    simplify,
    words,
)

SYNONYMS = {
    "alt": ["assistant language teacher", "assistant language teachers"],
    "cir": ["coordinator for international relations"],
    "embassy": ["japanese embassy", "consulate"],
}
VOCABULARY = [
    "what does a cir do",
    "what is an alt",
    "how do i contact the embassy",
    "when is the interview",
    "do i need japanese",
]
REFERENCE = [
    "Contact the Japanese embassy in your country.",
    "The interview is held at the embassy.",
    "A CIR works on international exchange.",
]


@pytest.fixture
def analyzer() -> Analyzer:
    return Analyzer(SYNONYMS, VOCABULARY, REFERENCE)


def terms(analyzer: Analyzer, text: str) -> tuple[str, ...]:
    return analyzer.analyse(text).terms


@pytest.mark.parametrize(
    "text",
    [
        "What does a CIR do?",
        "WHAT DOES A CIR DO",
        "what does a cir do",
        "what... does a CIR do?!?!",
        "🤔 what does a CIR do 🙏🙏",
        "  what   does a\tCIR do  ",
        "What does a Coordinator for International Relations do?",
    ],
)
def test_case_punctuation_emoji_insensitive(analyzer: Analyzer, text: str) -> None:
    assert terms(analyzer, text) == ("what", "cir", "do")


def test_full_width_and_apostrophes_are_folded() -> None:
    assert simplify("\uff23\uff29\uff32") == "cir"
    assert words("What\u2019s a CIR's job?") == ["whats", "a", "cirs", "job"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("assistant language teachers", ("alt",)),
        ("Assistant Language Teacher", ("alt",)),
        ("what do assistant language teachers do", ("what", "alt", "do")),
        ("coordinator for international relations", ("cir",)),
        ("the Japanese embassy", ("embassy",)),
        ("consulate", ("embassy",)),
        ("ALT or CIR", ("alt", "cir")),
    ],
)
def test_synonyms_map_variants_to_one_term(
    analyzer: Analyzer, text: str, expected: tuple[str, ...]
) -> None:
    assert terms(analyzer, text) == expected


@pytest.mark.parametrize(
    ("typo", "fixed"),
    [("intervew", "interview"), ("interveiw", "interview"), ("contakt", "contact")],
)
def test_typo_of_a_knowledge_base_word_is_repaired(
    analyzer: Analyzer, typo: str, fixed: str
) -> None:
    analysis = analyzer.analyse(f"when is the {typo}")
    assert fixed in analysis.terms
    assert typo not in analysis.terms
    assert typo not in analysis.unknown


def test_english_word_close_to_a_knowledge_base_word_is_not_repaired(analyzer: Analyzer) -> None:
    assert "contact" in analyzer.vocabulary
    analysis = analyzer.analyse("can I get a contract")
    assert "contract" in analysis.terms
    assert "contact" not in analysis.terms
    assert analysis.unknown == ("contract",)


def test_short_words_are_not_repaired(analyzer: Analyzer) -> None:
    assert analyzer.repair("alr") is None


def test_known_words_are_not_unknown(analyzer: Analyzer) -> None:
    assert analyzer.analyse("how do I contact the embassy").unknown == ()


def test_do_is_kept_as_main_verb(analyzer: Analyzer) -> None:
    assert "do" in terms(analyzer, "what does a CIR do")
    assert "do" in terms(analyzer, "what does a CIR do all day")


@pytest.mark.parametrize(
    "text", ["does a CIR need Japanese", "do I need Japanese", "did the embassy reply"]
)
def test_do_is_dropped_as_auxiliary(analyzer: Analyzer, text: str) -> None:
    found = terms(analyzer, text)
    assert found
    assert not {"do", "does", "did"} & set(found)


@pytest.mark.parametrize(
    "text", ["応募の締め切りはいつですか\uff1f", "面接", "こんにちは\uff01😊"]
)
def test_japanese_text_yields_no_latin_terms(analyzer: Analyzer, text: str) -> None:
    assert not any(re.search(r"[a-z]", term) for term in terms(analyzer, text))


def test_latin_word_in_japanese_text_is_a_separate_token(analyzer: Analyzer) -> None:
    assert terms(analyzer, "\uff23\uff29\uff32の仕事は\uff1f")[0] == "cir"


@pytest.mark.parametrize("text", ["", "   ", "🤔🙏", "?!...", "\n\n"])
def test_text_without_words_has_no_terms(analyzer: Analyzer, text: str) -> None:
    assert analyzer.analyse(text).terms == ()
    assert analyzer.analyse(text).unknown == ()


def test_question_sentences_splits_context_from_question() -> None:
    text = "Hi! I'm a teacher in Canada. Can I apply for both CIR and ALT?"
    assert question_sentences(text) == ["Can I apply for both CIR and ALT?"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I'm from Ireland - what does an ALT do", ["what does an ALT do"]),
        ("I studied Japanese.\nhow do I apply", ["how do I apply"]),
        (
            "I live in Chicago. Which embassy? And when is the interview?",
            ["Which embassy?", "And when is the interview?"],
        ),
    ],
)
def test_question_sentences(text: str, expected: list[str]) -> None:
    assert question_sentences(text) == expected


@pytest.mark.parametrize("text", ["what does an ALT do?", "", "hello", "I love Japan."])
def test_question_sentences_empty_for_a_single_sentence(text: str) -> None:
    assert question_sentences(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("wat r the steps", ["what", "are", "the", "steps"]),
        (
            "can u tell me how 2 apply pls",
            ["can", "you", "tell", "me", "how", "to", "apply", "please"],
        ),
        ("alt n cir", ["alt", "and", "cir"]),
        ("wht is it b4 i go", ["what", "is", "it", "before", "i", "go"]),
        (
            "were do the interviews take place",
            ["where", "do", "the", "interviews", "take", "place"],
        ),
        ("ppl on jet in its first yr", ["people", "on", "jet", "in", "its", "first", "year"]),
    ],
)
def test_texting_forms_are_read_as_words(text: str, expected: list[str]) -> None:
    assert normalise_tokens(words(text)) == expected


@pytest.mark.parametrize(
    "text",
    ["2 SEAs are on the programme", "4 countries in 1987", "they were there", "we were told"],
)
def test_numbers_and_ordinary_words_are_not_texting_forms(text: str) -> None:
    assert normalise_tokens(words(text)) == words(text)


def test_texting_forms_meet_the_full_forms(analyzer: Analyzer) -> None:
    assert terms(analyzer, "wat does a cir do") == terms(analyzer, "what does a CIR do")
    assert terms(analyzer, "how 2 contact the embassy") == terms(
        analyzer, "how to contact the embassy"
    )


def test_do_before_a_question_word_is_the_main_verb(analyzer: Analyzer) -> None:
    assert "do" in terms(analyzer, "cir job do what")


SORTED_WORDS = b'{\n"a": 10,\n"apple": 5,\n"contract": 7,\n"zoo": 1,\n"z\xc3\xbcrich": 2\n}'


@pytest.mark.parametrize(
    ("word", "known"),
    [
        ("a", True),
        ("apple", True),
        ("contract", True),
        ("zoo", True),
        ("zürich", True),
        ("contact", False),
        ("", False),
        ("zzz", False),
        ("aa", False),
    ],
)
def test_english_words_binary_search(word: str, known: bool) -> None:
    assert (word in EnglishWords(SORTED_WORDS)) is known


@pytest.mark.parametrize(
    ("word", "known"), [("contract", True), ("interview", True), ("interveiw", False)]
)
def test_shipped_english_word_list(word: str, known: bool) -> None:
    assert (word in english_words()) is known
