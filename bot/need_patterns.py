"""What questions ask for: the kinds of need and the patterns that find them in a question."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.lazyre import LazyPattern, lazy


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
            r"\b(?:salary|salaries|pay|pays|paid|payment|payments|wage|wages|earn|earns|earned|"
            r"earning|earnings|income|cost|costs|costly|fee|fees|price|prices|pricing|money|yen|"
            r"dollars?|euros?|pounds?|allowances?|stipend|compensation|budget|tax|taxes|taxed|afford|"
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
            r"\brate of\b|\bratio\b|\bpercent(?:age)?\b",
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
