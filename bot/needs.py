"""What a question asks for, and whether an answer can give it.

"How much do ALTs earn?" is about ALTs, and the knowledge base knows ALTs; but it
asks for an amount, and no answer about ALTs holds one. Matching by subject alone
answers it confidently with what an ALT is. So a question's *needs* (an amount, a
date, a duration, a rate, a count of something, a list of names, a phone number,
an address, an e-mail, a figure it names) are read from its wording, and each
topic's answer is read once for what it can supply (years, dates, sequence words,
numbers and what they count, bullets...). A need the chosen answer cannot meet
makes the reply an honest partial one. Nothing here is specific to a topic.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from bot.lazyre import LazyPattern, lazy
from bot.text import normalise_tokens, words


class Need(StrEnum):
    AMOUNT = "amount"
    DATE = "date"
    TIME = "time"
    DURATION = "duration"
    RATE = "rate"
    COUNT = "count"
    LIST = "list"
    PHONE = "phone"
    ADDRESS = "address"
    EMAIL = "email"
    FIGURE = "figure"
    DETAIL = "detail"  # what happens inside something, or how to do it, that the answer disclaims


# How strict a DATE need is: a plain "when" is met by a year or by "after the
# interviews"; "what month" only by a month or a day.
WHEN, YEAR, EXACT, CURRENT = "when", "year", "exact", "current"


@dataclass(frozen=True, slots=True)
class Ask:
    """One thing a question asks for; ``detail`` qualifies it (see asked())."""

    need: Need
    detail: str = ""


MONTHS = (
    "january february march april june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
MONTH = rf"(?:{'|'.join(MONTHS.split())}|(?:in|on|by|early|late|mid|until|before|after) may)"
# Not "one": mostly a pronoun ("one of these", "one Contracting Organisation to another").
NUMBER_WORDS = "two three four five six seven eight nine ten eleven twelve dozen hundred"
TIME_UNITS = r"years?|months?|weeks?|days?|hours?|minutes?|nights?"
# Words that end the thing counted: "how many sports advisors | were there".
COUNT_STOP = frozenset(
    "are is were was do does did have has had will would can could get got go went take "
    "took in on at of there from per a each every to for with by that who which now "
    "currently right today this these those usually total overall roughly about back then "
    "originally initially first altogether so ever left still".split()
)
# What applicants count people as; the answer calls them participants.
PEOPLE = frozenset("people person persons participants participant jets jet members ppl".split())


def _any(*patterns: str) -> LazyPattern:
    return lazy("|".join(f"(?:{p})" for p in patterns))


QUESTION_PATTERNS: tuple[tuple[Need, str, LazyPattern], ...] = (
    (
        Need.AMOUNT,
        "",
        _any(
            r"[$\u00a3\u20ac\u00a5]",
            r"\b(?:salary|salaries|pay|pays|paid|payment|payments|wage|wages|earn|earns|earned|"
            r"earning|earnings|income|cost|costs|costly|fee|fees|price|prices|pricing|money|yen|"
            r"dollars?|euros?|allowances?|stipend|compensation|budget|tax|taxes|taxed|afford|"
            r"expensive|cheap|reimburs\w*|bonus|bonuses|pension|savings?|financial|funding|"
            r"funded|sponsor\w*)\b",
            r"\bhow much (?:\w+ ){1,3}(?:make|makes|get|gets|receive|charge|spend|save|cover|"
            r"covers)\b",
        ),
    ),
    (
        Need.DATE,
        EXACT,
        _any(
            r"\b(?:what|which) (?:date|day|month|dates|days|months)\b",
            r"\bdeadlines?\b|\bdue date\b|\bclosing date\b|\bby when\b|\bwhen exactly\b",
            r"\bexact (?:date|day|time)\b|\bwhat time of (?:the )?year\b|\bhow soon\b",
            rf"\b{MONTH}\b",
        ),
    ),
    (Need.DATE, YEAR, lazy(r"\b(?:what|which) year\b")),
    # A year relative to today: no fixed text can know which it is.
    (
        Need.DATE,
        CURRENT,
        lazy(r"\b(?:this|next|coming|upcoming|current) (?:year|cycle|intake|round|season)\b"),
    ),
    (
        Need.DATE,
        WHEN,
        lazy(
            # "when" asking, not joining: "when did it start", not "when I apply".
            r"(?:^|\b(?:and|so|but|ok|then|exactly|just|since|til|until)\s+)when\b|\bwhen\s*$"
            r"|\bwhen (?:do|does|did|is|are|was|were|will|would|can|could|should|s|exactly)\b"
            r"|\bhow long (?:has|have|ago)\b|\bhow old is\b"
        ),
    ),
    (
        Need.TIME,
        "",
        lazy(
            r"\b(?:what|which|at what) time\b(?! of (?:the )?year)|\btimetable\b|\bschedules?\b"
            r"|\bo ?clock\b"
        ),
    ),
    (
        Need.DURATION,
        "",
        _any(
            r"\bhow long\b(?! (?:has|have|ago)\b)",
            rf"\bhow many (?:{TIME_UNITS})\b",
            r"\bduration\b|\blength of\b|\bhours?\b|\bovertime\b|\bdays? off\b|\bvacations?\b"
            r"|\bholidays?\b|\btime off\b|\bannual leave\b|\bpaid leave\b|\bweekends?\b",
        ),
    ),
    (
        Need.RATE,
        "",
        _any(
            r"\b(?:acceptance|success|pass|selection|rejection|admission) rates?\b",
            r"\brate of\b|\bratio\b|\bpercent(?:age)?\b|%",
            r"\bwhat are (?:the|my) (?:odds|chances)\b|\bodds of\b",
            r"\bchances? of (?:getting (?:in|accepted|selected|chosen|a place)|being (?:accepted|"
            r"selected|chosen|successful)|success|acceptance|selection)\b",
            r"\bhow likely\b|\bhow competitive\b|\bhow often\b|\bannually\b|\byearly\b",
            # "do alternates usually end up getting a place": how likely an outcome is.
            r"\b(?:usually|normally|typically|often|generally|mostly) (?:end up|get (?:in|a place|"
            r"accepted|selected|chosen|upgraded)|make it|succeed|manage)\b",
            r"\bhow many\b.*\b(?:each|every|per|a) (?:year|month|week|day|cycle|round)\b",
        ),
    ),
    (
        Need.PHONE,
        "",
        lazy(
            r"\b(?:phone|telephone|tel|hotline|fax|whatsapp|mobile number|contact number)\b"
            r"|\bcall (?:them|clair|the embassy|the consulate|you|someone|somebody)\b"
        ),
    ),
    (Need.EMAIL, "", lazy(r"\be ?mails?\b")),
    (
        Need.ADDRESS,
        "",
        lazy(
            r"(?<!mail )\baddress(?:es)?\b|\bpost ?code\b|\bzip ?code\b|\bpostal code\b"
            r"|\b(?:where is|wheres|location of) (?:the )?(?:japanese )?(?:embassy|consulate|"
            r"clair|office)\b(?! (?:interview|hold))"
        ),
    ),
    (
        Need.LIST,
        "names",
        lazy(
            r"\b(?:which|what|list(?: of)?|name)(?: \w+)? (?:countries|nations|nationalities|"
            r"cities|prefectures|states|universities|sports|languages|subjects)\b"
        ),
    ),
    (
        Need.LIST,
        "",
        lazy(
            r"\blist (?:all|every|the)\b|\bname (?:all|every)\b|\bwhat are all the\b|\bfull list\b"
        ),
    ),
)
# What the knowledge base itself says it does not know: "The official information
# doesn't describe the interview's format or content." A question about that detail
# is not met by the answer, however well its subject matches.
DISCLAIMER = lazy(
    r"(?:doesn'?t|does not|do not|don'?t) (?:say|describe|explain|give|mention|cover|state|list)"
    r"([^.;]*)",
    re.IGNORECASE,
)
DETAIL_KINDS = {
    # what happens at/in something: its content, format, criteria
    "content": (
        lazy(
            r"\bwhat (?:happens|goes on|do they do) (?:at|during|in|on)\b|\bformat\b"
            r"|\bwhat \w+ (?:is|are) (?:the )?\w+ like\b|\bwhat (?:is|are|will) (?:the |my )?\w+ "
            r"(?:be )?like\b|\bwhat (?:kind of |sort of |type of )?questions\b"
            r"|\bwhat (?:do|will|would) they ask\b"
            r"|\bwhat to expect\b|\bexpect (?:at|in|during)\b|\binvolves?\b|\blooks? for\b"
            r"|\blooking for\b|\bcriteria\b|\bhow (?:do|will|would) they (?:assess|judge|evaluate|"
            r"score|grade|decide|choose|pick)\b|\bwhat should i (?:bring|prepare|say|expect)\b"
        ),
        ("content", "format", "looks for", "involves", "what "),
    ),
    # how to do something: apply, join, sign up
    "method": (
        lazy(
            r"\bhow (?:do|can|would|should|to|does one|do you) (?:i |we |people |one |you )?"
            r"(?:apply|sign up|register|get in|join|become|be selected|get selected)\b"
        ),
        ("recruited", "apply", "application", "way to"),
    ),
}
HOW_MANY = lazy(r"\bhow many\b|\bnumber of\b|\bhow (?:big|large)\b|\bwhat size\b")
YEAR_IN_TEXT = lazy(r"\b(?:1[89]\d\d|20\d\d)\b")
NUMBER_IN_TEXT = lazy(r"(?<![\w.,])\d+(?:[.,]\d+)*(?![\w.,]*\d)(?![a-z])")


def question_text(text: str) -> str:
    """Lowercase words with texting forms spelled out, for the patterns above."""
    return " ".join(normalise_tokens(words(text.replace("%", " percent "))))


def asked(text: str) -> tuple[Ask, ...]:
    """What the question asks for beyond its subject, in a fixed order."""
    plain = question_text(text)
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
