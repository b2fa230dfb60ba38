"""Read a message before matching: its language, its social words, its questions.

Applicants greet first, say who they are, thank, and ask two things at once:
"Hi! I'm a teacher from Canada. What is a CIR, and where do they work? Thanks".
Matching that whole text dilutes the question with words no topic uses, so the
message is cut into clauses and each clause is given one role: a greeting, a
thank-you, a farewell, a bare intent ("ok", "help"), a self-introduction or side
remark, or a question. Only the questions are matched. No knowledge base here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from bot.lazyre import LazyPattern, lazy
from bot.text import normalise_tokens


class Intent(StrEnum):
    """What a message asks of the bot itself rather than of the knowledge base."""

    HELP = "help"
    OK = "ok"
    YES = "yes"
    NO = "no"
    CAPABILITIES = "capabilities"


@dataclass(frozen=True, slots=True)
class Message:
    """The parts of a message, in the order written."""

    questions: tuple[str, ...] = ()
    remarks: tuple[str, ...] = ()
    greeting: bool = False
    thanks: bool = False
    farewell: bool = False
    intent: Intent | None = None

    @property
    def social(self) -> bool:
        return self.greeting or self.thanks or self.farewell


# -- language -----------------------------------------------------------------

SCRIPTS = (
    ("ja", "\u3040", "\u30ff"),  # hiragana, katakana
    ("zh", "\u4e00", "\u9fff"),  # CJK ideographs: Japanese unless Chinese-only words show
    ("ko", "\uac00", "\ud7af"),
    ("ko", "\u1100", "\u11ff"),
    ("ru", "\u0400", "\u04ff"),
    ("ar", "\u0600", "\u06ff"),
    ("he", "\u0590", "\u05ff"),
    ("th", "\u0e00", "\u0e7f"),
    ("hi", "\u0900", "\u097f"),
    ("el", "\u0370", "\u03ff"),
)
# Characters frequent in Chinese and (nearly) absent from Japanese text.
CHINESE_ONLY = frozenset("的吗么们这个您吧呢没说为")
# Function words of other languages that are not English words too.
FUNCTION_WORDS = {
    "es": frozenset(
        "que qué el los las es una para por como cómo dónde donde cuándo cuando cuál puedo "
        "tengo hace hacer del pero muy gracias hola quiero también sí mi tu su con sin "
        "soy estoy trabajo programa japón necesito".split()
    ),
    "fr": frozenset(
        "le les des est une pour qui quoi comment où quand je vous nous et avec sans dans "
        "sur ce cette qu merci bonjour salut pas du au aux mon ma mes suis peux faire "
        "travail japon".split()
    ),
    "de": frozenset(
        "der das und ist ich wie wo wann warum für mit nicht ein eine kann mich mir danke "
        "hallo programm sie wir auf bei zu bewerbe bewerben arbeit japan möchte".split()
    ),
    "pt": frozenset(
        "os é um uma para como onde quando posso obrigado obrigada olá não sim dos das com "
        "em que trabalho programa eu você japão".split()
    ),
    "it": frozenset(
        "il lo gli è che come dove quando perché posso grazie ciao sono per con una del "
        "della lavoro programma giappone".split()
    ),
    "id": frozenset(
        "apa bagaimana saya yang dan di untuk dengan bisa tidak ini itu kapan dimana "
        "terima kasih".split()
    ),
}
ENGLISH_WORDS = frozenset(
    "the a an is are was what how who where when why which do does can could i you my "
    "to of and in for with on it this that be have will would should there please hi "
    "hello thanks".split()
)
LETTERS = lazy(r"[^\W\d_]+")


def detect_language(text: str) -> str | None:
    """The language of a message that is not English (ISO 639-1), or None.

    By script first; a Latin text is another language only when its words are
    mostly another language's function words, so non-native English stays English.
    """
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return None
    by_script: dict[str, int] = {}
    for ch in letters:
        for language, first, last in SCRIPTS:
            if first <= ch <= last:
                by_script[language] = by_script.get(language, 0) + 1
                break
    if sum(by_script.values()) * 2 >= len(letters):
        if "ja" in by_script:
            return "ja"
        language = max(by_script, key=by_script.__getitem__)
        if language == "zh" and not CHINESE_ONLY.intersection(text):
            return "ja"
        return language
    return _latin_language(text)


def _latin_language(text: str) -> str | None:
    tokens = [t.casefold() for t in LETTERS.findall(text)]
    english = sum(t in ENGLISH_WORDS for t in tokens)
    counts = {lang: sum(t in words for t in tokens) for lang, words in FUNCTION_WORDS.items()}
    if "¿" in text or "¡" in text:
        counts["es"] += 2
    language = max(counts, key=counts.__getitem__)
    if counts[language] >= 2 and counts[language] > english:
        return language
    return None


# -- clauses ------------------------------------------------------------------

QUESTION_WORDS = r"what|who|whom|whose|where|when|why|how|which"
AUXILIARIES = r"can|could|do|does|did|is|are|am|was|will|would|should|may|might|have|has"
FILLER = r"(?:(?:like|so|and|but|also|or|then|ok|okay|plus|oh|also,)\s+)*"
# Clause breaks: sentence ends, line breaks, dashes between words, and emoji.
SENTENCE_BREAK = lazy(r"(?<=[.!?\u2026])\s+|[\r\n]+|\s+[-\u2013\u2014~|]+\s+|\.{2,}|;")
COMMA_QUESTION = lazy(rf",\s*(?={FILLER}(?:{QUESTION_WORDS}|{AUXILIARIES})\b)|:\s+", re.IGNORECASE)
AND_QUESTION = lazy(
    rf"\s+(?:and|also|plus|&)\s+(?=(?:{QUESTION_WORDS})\b"
    rf"|(?:{AUXILIARIES})\s+(?:they|them|it|i|you|u|we|there|someone|anyone|cirs?|alts?|seas?)\b)",
    re.IGNORECASE,
)
QUESTION_LEAD = lazy(rf"^(?:{FILLER})(?:{QUESTION_WORDS}|{AUXILIARIES})\b", re.IGNORECASE)

GREETING = lazy(
    r"^(?:(?:hi+|hello+|helo+|hey+|heya|hiya|hallo|howdy|yo|greetings|sup|hai|"
    r"good\s+(?:morning|afternoon|evening|day)|morning|evening|dear\s+(?:sir|madam|team|all|admin)"
    r"(?:\s+or\s+madam)?|konnichiwa)"
    r"(?:\s+(?:there|bot|all|everyone|guys|team|friend|mate|again|hey|from\s+[A-Z][\w']+))*"
    r")(?:[\s,!.:;?]+|$)",
    re.IGNORECASE,
)
THANKS = lazy(
    r"^(?:(?:ok(?:ay)?|cool|great|perfect|awesome|brilliant|wow|ah|oh)[\s,!]+)?"
    r"(?:thanks?|thank\s+(?:you|u)|thx|thnx|thanx|ty|tysm|cheers|many\s+thanks|"
    r"much\s+appreciated|appreciate\s+it|arigato+u?|that\s+(?:really\s+)?(?:helped|helps)|"
    r"(?:that\s+was|very|so|really)\s+(?:very\s+)?helpful|"
    r"(?:you'?re|you\s+are|ur|this\s+is|that'?s|that\s+was)\s+(?:really\s+|so\s+|very\s+|such\s+)?"
    r"(?:useful|helpful|great|amazing|awesome|brilliant|the\s+best|a\s+(?:great|big)\s+help)|"
    r"(?:good|great|nice)\s+bot)\b"
    r"(?:\s+(?:so|very|a|for|in|mate|kindly|lot|much|again|advance|the|that|this|your|info|"
    r"information|help|answer|answers|reply|bot|x+|all|everything))*[\s!.,x]*$",
    re.IGNORECASE,
)
FAREWELL = lazy(
    r"^(?:(?:ok(?:ay)?|alright|thanks?|thx|ty|cheers|cool)[\s,!]+)?(?:bye(?:\s+bye)?|goodbye|good\s*night|"
    r"see\s+(?:you|ya|u)(?:\s+(?:later|soon|around))?|cya|take\s+care|farewell|ttyl|"
    r"talk\s+(?:to\s+you\s+)?later|catch\s+you\s+later|gotta\s+go|that'?s\s+all(?:\s+for\s+now)?|"
    r"have\s+a\s+(?:nice|good|great|lovely)\s+(?:day|evening|night|one)|sayonara|ciao|later)"
    r"(?:\s+(?:for\s+now|then|mate|all))*[\s!.,]*$",
    re.IGNORECASE,
)
INTENTS = (
    (
        Intent.CAPABILITIES,
        r"what\s+(?:can|do)\s+(?:you|u)\s+(?:do|know(?:\s+about)?|help(?:\s+me)?\s+with|answer)"
        r"|what\s+can\s+i\s+ask(?:\s+you)?|how\s+(?:can|do)\s+(?:you|u)\s+help(?:\s+me)?"
        r"|what\s+(?:are\s+you|is\s+this\s+bot)\s+for|what\s+(?:questions|topics)\s+"
        r"(?:can|do)\s+(?:you|u)\s+(?:answer|cover|know)",
    ),
    (
        Intent.HELP,
        r"(?:please\s+|pls\s+)?(?:help|help\s+me|help\s+please|help\s+pls|i\s+need\s+(?:some\s+)?"
        r"help|need\s+help|sos|(?:can|could)\s+(?:you|u|someone)\s+(?:please\s+)?help(?:\s+me)?"
        r"|i\s+need\s+(?:some\s+)?assistance|assist\s+me)",
    ),
    (Intent.YES, r"yes|yeah|yep|yup|yea|ya|yes\s+please|correct|exactly|that'?s\s+right"),
    (Intent.NO, r"no|nope|nah|no\s+thanks?|no\s+thank\s+you|not\s+really|no\s+no"),
    (
        Intent.OK,
        r"(?:(?:ok|okay|k|kk|okey|oki|alright|all\s+right|got\s+it|i\s+see|understood|sure|fine|"
        r"cool|great|nice|noted|lol|haha+|wow|awesome|perfect|right|ah|oh|hmm+|ahh+|"
        r"interesting|good|makes\s+sense|fair\s+enough)[\s,!.]*)+",
    ),
)
INTENT_PATTERNS = tuple(
    (intent, lazy(rf"^(?:{pattern})(?:\s+(?:please|pls|plz|thanks|thx))?[\s!.?,]*$", re.I))
    for intent, pattern in INTENTS
)
# Clauses about the writer, not questions: "I'm a teacher from Canada".
REMARK = lazy(
    r"^(?:(?:so|and|well|ok|okay|but|also|oh|anyway)[\s,]+)*(?:i\s*'?\s*m|i\s+am|im|i\s*'?\s*ve|i\s+have|i\s+was|i\s+had|i\s+will|i\s+(?:just\s+)?"
    r"(?:graduated|studied|study|live|work|teach|coach|grew|read|heard|finished|got|sent|"
    r"applied|love|like|play|did)|my\s+\w+|sorry|quick\s+(?:q|question|one)|just\s+"
    r"(?:curious|wondering|want|wanted|sent|got|checking)|had\s+my|bit\s+nervous|so\s+confused|"
    r"former|first\s+time|tryna|trying\s+to|lol|haha|x+$|ty$)\b"
    r"|^[^?]*\bhere$",
    re.IGNORECASE,
)
FIRST_PERSON = lazy(
    r"^(?:(?:so|and|well|but|also|oh|anyway)[\s,]+)*(?:i|i'?m|i'?ve|i'?d|i'?ll|my|me)\b",
    re.IGNORECASE,
)
# A clause that only sets up the next: "If I'm rejected, can I reapply?" (a remark).
SUBORDINATE = lazy(
    r"^(?:if|when|once|after|before|since|because|although|though|unless|as\s+soon\s+as|"
    r"in\s+case|now\s+that|assuming)\b",
    re.IGNORECASE,
)
# Interjections trailing a question: "what even is it lol", "how do I apply pls".
TRAILING_FILLER = lazy(
    r"(?:[\s,]+(?:lol|lmao|haha+|hehe|x+|xd|pls|plz|please|thx|thanks|ty|tbh|btw|rn|ok|okay|"
    r"eh|huh|right|thank\s+you))+[\s!?.]*$",
    re.IGNORECASE,
)
# Clauses that carry nothing at all: "Please,", "so", "anyway".
FILLER_ONLY = lazy(
    r"^(?:please|pls|plz|so|well|um+|uh+|hmm+|also|and|but|btw|anyway|like|x+|ps|"
    r"quick\s+q(?:uestion)?|question|one\s+more\s+thing)[\s,.!?:]*$",
    re.IGNORECASE,
)
# Question words inside a remark start its question: "I'm Canadian who do I contact".
EMBEDDED_QUESTION = lazy(
    rf"(?<!\bto\s)(?<!\bof\s)\b(?:{QUESTION_WORDS}|(?:can|could|do|does|is|are)\s+(?:i|you|u|they|cirs?|alts?))\b",
    re.IGNORECASE,
)
# Polite wrappers around a question: "can you tell me", "I'd like to know".
LEAD_IN = lazy(
    r"^(?:(?:please|pls|plz|kindly)\s+)?(?:(?:can|could|would)\s+(?:you|u)\s+(?:please\s+)?"
    r"(?:tell|explain(?:\s+to)?|let)\s+(?:me\s+)?(?:know\s+)?|tell\s+me\s+|i\s+(?:want|wanted|would\s+"
    r"like|'?d\s+like)\s+(?:to\s+)?know\s+|i\s+was\s+wondering\s+|i\s+wonder\s+|do\s+you\s+know\s+"
    r"|just\s+(?:curious|wondering)[,\s]+|advise\s+)",
    re.IGNORECASE,
)


def clean(text: str) -> str:
    """Unicode-normalised, with emoji and other symbols as clause breaks."""
    text = unicodedata.normalize("NFKC", text)
    out = []
    for ch in text:
        category = unicodedata.category(ch)
        if category == "So" or ch in "\ufe0f\u200d" or category == "Cs":
            out.append("\n")
        else:
            out.append(ch)
    return "".join(out)


def clauses(text: str) -> list[str]:
    """Sentences, then questions joined by commas or "and" within one."""
    found: list[str] = []
    for sentence in SENTENCE_BREAK.split(clean(text)):
        for part in COMMA_QUESTION.split(sentence):
            found.extend(AND_QUESTION.split(part))
    return [c.strip(" \t,;:-") for c in found if c and c.strip(" \t,;:-.!?")]


def read_message(text: str) -> Message:
    """Split a message into its social words, side remarks and questions."""
    greeting = thanks = farewell = False
    intent: Intent | None = None
    questions: list[str] = []
    remarks: list[str] = []
    for clause in clauses(text):
        rest = clause
        while match := GREETING.match(rest):
            if not match.group(0).strip():
                break
            greeting = True
            rest = rest[match.end() :]
        if not rest.strip(" \t,.!?") or FILLER_ONLY.match(rest):
            continue
        kind = social_kind(rest)
        if kind is FAREWELL:
            farewell = True
        elif kind is THANKS:
            thanks = True
        elif kind is GREETING:
            greeting = True
        elif (found := clause_intent(rest)) is not None:
            intent = intent or found
        elif (
            REMARK.match(rest)
            or (SUBORDINATE.match(rest) and not rest.endswith("?"))
            or exclaimed(rest)
            or about_the_writer(rest)
        ):
            # "I'm a teacher from Canada", "If I'm rejected,": context for the question.
            question = embedded_question(rest)
            remarks.append(rest if question is None else rest[: len(rest) - len(question)])
            if question is not None:
                questions.append(question)
        else:
            questions.append(TRAILING_FILLER.sub("", strip_lead_in(rest)) or rest)
    return Message(
        questions=tuple(q for q in questions if q.strip(" ,.!?")),
        remarks=tuple(r.strip() for r in remarks if r.strip(" ,.!?")),
        greeting=greeting,
        thanks=thanks,
        farewell=farewell,
        intent=intent,
    )


def social_kind(clause: str) -> LazyPattern | None:
    """FAREWELL, THANKS or GREETING when every comma-separated piece is small talk.

    "thank you so much, that really helped" is thanks; "ok, bye" a farewell.
    """
    pieces = [p for p in re.split(r"[,;!]+", clause) if p.strip(" .?")]
    kinds = []
    for piece in pieces:
        piece = piece.strip()
        kind = next((k for k in (FAREWELL, THANKS) if k.match(piece)), None)
        if kind is None and GREETING.fullmatch(piece + " ") is not None:
            kind = GREETING
        if kind is None and clause_intent(piece) is not Intent.OK:
            return None
        kinds.append(kind)
    for kind in (FAREWELL, THANKS, GREETING):
        if kind in kinds:
            return kind
    return None


def about_the_writer(clause: str) -> bool:
    """A first-person statement: "I speak some Japanese so I'm tempted by CIR"."""
    return bool(FIRST_PERSON.match(clause)) and not clause.rstrip().endswith("?")


def exclaimed(clause: str) -> bool:
    """An exclamation that asks nothing: "got accepted!!", "so excited!"."""
    return clause.rstrip().endswith("!") and not is_question_like(clause)


def clause_intent(clause: str) -> Intent | None:
    for intent, pattern in INTENT_PATTERNS:
        if pattern.match(clause):
            return intent
    return None


def embedded_question(remark: str) -> str | None:
    """The question a remark runs into, if any ("I'm Canadian who do I contact")."""
    match = EMBEDDED_QUESTION.search(remark, 1)
    return remark[match.start() :] if match else None


def strip_lead_in(clause: str) -> str:
    return LEAD_IN.sub("", clause, count=1) or clause


def is_question_like(clause: str) -> bool:
    """A clause worded as a question: a question word or auxiliary first, or a "?"."""
    words = normalise_tokens(clause.casefold().split()[:3])
    return clause.rstrip().endswith("?") or bool(words and QUESTION_LEAD.match(" ".join(words)))
