from __future__ import annotations

import pytest

from bot.knowledge import KnowledgeBase
from bot.matcher import Matcher
from bot.needs import Ask, Need, asked, facts, unmet


@pytest.fixture(scope="module")
def matcher(shipped_kb: KnowledgeBase) -> Matcher:
    return Matcher(shipped_kb)


def needs(text: str) -> list[Need]:
    return [ask.need for ask in asked(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("how much do ALTs earn", [Need.AMOUNT]),
        ("what's the CIR salary?", [Need.AMOUNT]),
        ("heyy how much do alts make a month", [Need.AMOUNT]),
        ("does jet pay for my flight", [Need.AMOUNT]),
        ("What month are results announced?", [Need.DATE]),
        ("when's the deadline", [Need.DATE]),
        ("when did JET start", [Need.DATE]),
        ("how long has jet been around", [Need.DATE]),
        ("how long is the interview", [Need.DURATION]),
        ("how many hours a week do CIRs work", [Need.DURATION, Need.RATE]),
        ("how many days off do ALTs get", [Need.DURATION]),
        ("what's the acceptance rate", [Need.RATE]),
        ("how many CIRs are there", [Need.COUNT]),
        ("how big is the programme", [Need.COUNT]),
        ("What's CLAIR's phone number?", [Need.PHONE]),
        ("what is the embassy's address", [Need.ADDRESS]),
        ("what's the email of the embassy", [Need.EMAIL]),
        ("which countries can apply", [Need.LIST]),
        ("what time does the orientation start", [Need.TIME]),
        ("can I apply if I'm 45", [Need.FIGURE]),
        ("how many participants were there in 2024", [Need.COUNT, Need.DATE]),
        ("how many participants are on jet this year", [Need.DATE, Need.COUNT]),
    ],
)
def test_what_a_question_asks_for(text: str, expected: list[Need]) -> None:
    assert needs(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "what is an ALT",
        "Do I have to pick one position when I apply?",  # "when" joining, not asking
        "How much has the programme grown since it began?",
        "Is there any chance of being placed at a private school?",
        "has jet been around since the 80s",
        "Which schools do ALTs get assigned to?",
        "my cousin did something called jet",
    ],
)
def test_plain_questions_ask_for_nothing_more(text: str) -> None:
    assert asked(text) == ()


def test_count_names_what_is_counted() -> None:
    assert asked("how many sports advisors were there") == (Ask(Need.COUNT, "sports advisors"),)
    assert asked("how many are there") == (Ask(Need.COUNT, ""),)


ANSWER = """The programme started in 1987.

It has grown since then:
• 1987: 848 participants from 4 countries
• 2019: 5,761 participants from 57 countries
As of August 2, 2019, 2 SEAs were participating."""


def test_facts_of_an_answer() -> None:
    held = facts(ANSWER)
    assert held.years == {"1987", "2019"}
    assert held.dated  # "August 2"
    assert held.listed
    assert not held.amount
    assert not held.phone
    assert "2 SEAs were participating" in held.counted
    assert not any(phrase.startswith("2, 2019") for phrase in held.counted)
    assert held.headings == ("It has grown since then",)


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("when did it start", ()),
        ("what year did it start", ()),
        ("how many countries take part", ()),
        ("how many nations send people", ()),
        ("how many people took part in 1987", ()),
        ("how many SEAs are there", ()),
        ("how many CIRs are there", (Need.COUNT,)),
        ("how many participants in 2024", (Need.DATE,)),
        ("what month did it start", ()),
        ("how much does it cost", (Need.AMOUNT,)),
        ("how long does it last", (Need.DURATION,)),
        ("what's the phone number", (Need.PHONE,)),
        ("which countries take part", (Need.LIST,)),
    ],
)
def test_unmet_needs(matcher: Matcher, question: str, missing: tuple[Need, ...]) -> None:
    assert unmet(asked(question), ANSWER, matcher.terms) == missing


def test_a_list_introduced_as_the_thing_counted_answers_how_many(matcher: Matcher) -> None:
    answer = "The steps, in order:\n• Review\n• Interview\n• Results"
    assert unmet(asked("how many steps are there"), answer, matcher.terms) == ()
    assert unmet(asked("how many stages are there"), answer, matcher.terms) == ()
    assert unmet(asked("how many CIRs are there"), answer, matcher.terms) == (Need.COUNT,)


@pytest.mark.parametrize(
    ("text", "need"),
    [
        ("call us on +81 3 5213 1729", Need.PHONE),
        ("write to info@example.org", Need.EMAIL),
        ("it costs 3,000 yen", Need.AMOUNT),
        ("the contract lasts one year", Need.DURATION),
        ("about 20% are accepted", Need.RATE),
        ("the session starts at 10:30", Need.TIME),
        ("placements in Tokyo, Osaka and Kyoto", Need.LIST),
    ],
)
def test_answers_that_hold_what_is_asked(matcher: Matcher, text: str, need: Need) -> None:
    ask = Ask(need, "names") if need is Need.LIST else Ask(need)
    assert unmet([ask], text, matcher.terms) == ()
    assert unmet([ask], "Nothing of the kind here.", matcher.terms) == (need,)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("do alternates usually end up getting a place", [Need.RATE]),
        ("do CIRs ever get placed at universities", []),
        ("do ALTs usually get their own desk", []),
    ],
)
def test_likelihood_questions(text: str, expected: list[Need]) -> None:
    assert needs(text) == expected
