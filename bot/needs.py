"""What a question asks for, and whether an answer can give it.

"How much do ALTs earn?" is about ALTs, and the knowledge base knows ALTs; but it
asks for an amount, and no answer about ALTs holds one. Matching by subject alone
answers it confidently with what an ALT is. So a question's *needs* (an amount, a
date, a duration, a rate, a count of something, a list of names, a phone number,
an address, an e-mail, a figure it names) are read from its wording, and each
topic's answer is read once for what it can supply (years, dates, sequence words,
numbers and what they count, bullets...). A need the chosen answer cannot meet
makes the reply an honest partial one. Nothing here is specific to a topic.
The needs and the patterns that find them in a question live in bot/need_patterns.py;
their public names are importable from here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from bot.lazyre import lazy
from bot.need_patterns import (
    COUNT_STOP,
    CURRENT,
    DETAIL_KINDS,
    DISCLAIMER,
    EXACT,
    HOW_MANY,
    MONTH,
    MONTHS,
    NUMBER_IN_TEXT,
    NUMBER_WORDS,
    PEOPLE,
    QUESTION_PATTERNS,
    TIME_UNITS,
    WHEN,
    YEAR,
    YEAR_IN_TEXT,
    Ask,
    Need,
)
from bot.text import plain_words

__all__ = [
    "ANSWER_PATTERNS",
    "COUNTED",
    "COUNT_STOP",
    "CURRENT",
    "DETAIL_KINDS",
    "DISCLAIMER",
    "EXACT",
    "HEADING",
    "HOW_MANY",
    "MONTH",
    "MONTHS",
    "MONTH_NAMES",
    "NUMBER_IN_TEXT",
    "NUMBER_WORDS",
    "PEOPLE",
    "QUESTION_PATTERNS",
    "TIME_UNITS",
    "WHEN",
    "YEAR",
    "YEAR_IN_TEXT",
    "Ask",
    "Facts",
    "Need",
    "Terms",
    "asked",
    "counted_words",
    "facts",
    "unmet",
]


def asked(text: str) -> tuple[Ask, ...]:
    """What the question asks for beyond its subject, in a fixed order."""
    plain = plain_words(text)
    found: list[Ask] = []
    for need, detail, pattern in QUESTION_PATTERNS:
        if pattern.search(plain) and not any(a.need is need for a in found):
            found.append(Ask(need, detail))
    if HOW_MANY.search(plain) and not any(a.need is Need.DURATION for a in found):
        found.append(Ask(Need.COUNT, counted_words(plain)))
    for kind, (pattern, _) in DETAIL_KINDS.items():
        if pattern.search(plain):
            found.append(Ask(Need.DETAIL, kind))
    for year in sorted(set(YEAR_IN_TEXT.findall(plain))):
        found.append(Ask(Need.DATE, year))
    for number in NUMBER_IN_TEXT.findall(plain):
        if not YEAR_IN_TEXT.fullmatch(number):
            found.append(Ask(Need.FIGURE, number))
    return tuple(found)


def counted_words(plain: str) -> str:
    """What "how many" counts: "how many sports advisors were there" -> "sports advisors"."""
    match = re.search(r"\b(?:how many|number of)\s+(?:of\s+)?(.*)", plain)
    if match is None:
        return ""
    kept = []
    for word in match.group(1).split()[:3]:
        if word in COUNT_STOP:
            break
        kept.append(word)
    return " ".join(kept)


# -- what an answer holds ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Facts:
    """What an answer text can supply."""

    years: frozenset[str]
    numbers: frozenset[str]
    counted: tuple[str, ...]  # the words after each number: "848 participants from"
    dated: bool  # a month or a day of the month
    ordered: bool  # sequence words: after, once, before, then, next
    clock: bool
    amount: bool
    duration: bool
    rate: bool
    phone: bool
    address: bool
    email: bool
    listed: bool
    names: bool  # a list of proper names: "Tokyo, Osaka and Kyoto"
    headings: tuple[str, ...]  # the lines introducing a list: "The steps, in order:"
    disclaimed: tuple[str, ...]  # what it says it does not know: " the interview's format"


ANSWER_PATTERNS = {
    "dated": lazy(
        rf"\b(?:{'|'.join(m.capitalize() for m in MONTHS.split())}|May)\b"
        r"|\b\d{1,2}(?:st|nd|rd|th)\b|\b\d{1,2}/\d{1,2}\b"
    ),
    "ordered": lazy(
        r"\b(?:after|once|before|then|next|first|following|until|later|afterwards)\b",
        re.IGNORECASE,
    ),
    "clock": lazy(r"\b\d{1,2}:\d{2}\b|\b\d{1,2}\s?(?:am|pm)\b", re.IGNORECASE),
    "amount": lazy(
        r"[$\u00a3\u20ac\u00a5]\s?\d|\d[\d,.]*\s?(?:yen|dollars?|euros?|pounds?|usd|jpy|gbp)\b",
        re.IGNORECASE,
    ),
    "duration": lazy(
        rf"\b(?:\d+|one|{NUMBER_WORDS.replace(' ', '|')}|a|an)[\s-](?:{TIME_UNITS})\b",
        re.IGNORECASE,
    ),
    "rate": lazy(
        r"%|\bper\s?cent\b|\b(?:per|each|every) (?:year|month|week|day)\b|\bannually\b"
        r"|\b\d+ (?:in|out of) \d+\b",
        re.IGNORECASE,
    ),
    "phone": lazy(r"\+\d[\d\s().-]{7,}\d|\(\d{2,4}\)\s?\d|\b\d{2,4}[-.\s]\d{3,4}[-.\s]\d{3,4}\b"),
    "address": lazy(
        r"\b\d+\s+\w+(?:\s\w+)?\s(?:Street|St|Road|Rd|Avenue|Ave|Lane|Boulevard|Blvd)\b"
        r"|\b(?:postcode|zip code)\b|\u3012"
    ),
    "email": lazy(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    "listed": lazy(r"^\s*(?:\u2022|-|\*|\d+[.)])\s|\w+, \w+,? (?:and|or) \w+", re.MULTILINE),
    "names": lazy(r"\b[A-Z][a-z]+(?:, [A-Z][a-z]+)+,? (?:and|or) [A-Z][a-z]+"),
}
COUNTED = lazy(
    rf"(?<![\w,])(\d[\d,]*|{NUMBER_WORDS.replace(' ', '|')})\s+"
    r"([A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*){0,2})",
    re.IGNORECASE,
)
# A line introducing a list of the thing it names: "The steps, in order:" (but not
# "Where CIRs are placed:", which lists places).
HEADING = lazy(
    r"^(?!\s*(?:where|when|how|why|who|what)\b)([^\n]*):\s*\n\s*(?:\u2022|-|\*|\d+[.)])",
    re.MULTILINE | re.IGNORECASE,
)
MONTH_NAMES = frozenset(m.capitalize() for m in MONTHS.split()) | {"May"}


@lru_cache(maxsize=4096)
def facts(answer: str) -> Facts:
    """Read an answer once for what it can supply (cached by text)."""
    flags = {name: bool(pattern.search(answer)) for name, pattern in ANSWER_PATTERNS.items()}
    counted = tuple(
        f"{match.group(1)} {match.group(2)}"
        for match in COUNTED.finditer(answer)
        if not YEAR_IN_TEXT.fullmatch(match.group(1).replace(",", ""))
        # "August 2, 2019" is a day, not two of something.
        and answer[: match.start()].rstrip().rpartition(" ")[2] not in MONTH_NAMES
    )
    return Facts(
        years=frozenset(YEAR_IN_TEXT.findall(answer)),
        numbers=frozenset(n.replace(",", "") for n in NUMBER_IN_TEXT.findall(answer)),
        counted=counted,
        headings=tuple(HEADING.findall(answer)),
        disclaimed=tuple(d.casefold() for d in DISCLAIMER.findall(answer)),
        **flags,
    )


Terms = Callable[[str], Iterable[str]]


def unmet(asks: Iterable[Ask], answer: str, terms: Terms) -> tuple[Need, ...]:
    """The needs of a question that an answer cannot meet, each once, in order.

    ``terms`` analyses text as the matcher does (synonyms and stems), so that
    "how many nations" meets "57 countries".
    """
    held = facts(answer)
    missing: list[Need] = []
    for ask in asks:
        if not _met(ask, held, terms) and ask.need not in missing:
            missing.append(ask.need)
    return tuple(missing)


def _met(ask: Ask, held: Facts, terms: Terms) -> bool:
    need, detail = ask.need, ask.detail
    if need is Need.DATE:
        return _date_met(detail, held)
    if need is Need.COUNT:
        return _count_met(detail, held, terms)
    if need is Need.FIGURE:
        return detail.replace(",", "") in held.numbers
    if need is Need.LIST:
        return held.names if detail == "names" else held.listed
    if need is Need.DETAIL:
        words = DETAIL_KINDS[detail][1]
        return not any(word in said for said in held.disclaimed for word in words)
    simple = {
        Need.AMOUNT: held.amount,
        Need.TIME: held.clock,
        Need.DURATION: held.duration,
        Need.RATE: held.rate,
        Need.PHONE: held.phone,
        Need.ADDRESS: held.address,
        Need.EMAIL: held.email,
    }
    return simple[need]


def _date_met(detail: str, held: Facts) -> bool:
    if detail == WHEN:
        return bool(held.years) or held.dated or held.ordered
    if detail == YEAR:
        return bool(held.years)
    if detail == EXACT:
        return held.dated
    if detail == CURRENT:
        return False
    return detail in held.years  # a year the question names


def _count_met(counted: str, held: Facts, terms: Terms) -> bool:
    wanted = set(terms(counted)) if counted else set()
    if set(counted.split()) & PEOPLE:
        wanted |= set(terms("participants"))
    if not wanted:
        return bool(held.counted) or held.listed
    if any(wanted & set(terms(phrase)) for phrase in held.counted):
        return True
    # "how many steps are there": a list introduced as the steps answers it.
    return any(wanted & set(terms(heading)) for heading in held.headings)
