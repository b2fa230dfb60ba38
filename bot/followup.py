"""Read a follow-up message with what the conversation was about.

After "what does a CIR do?", applicants write "and ALTs?", "where are they
placed?", "and after that?" or "no, I meant the ALT one". None of these names
its whole question. Each is read generically against the previous question:

- a subject alone ("and ALTs?", "what about SEAs", "the CIR one") takes the place
  of the previous question's subject of the same kind: "what does a ALTs do";
- a pronoun with no subject of its own before it ("what do they do", "who runs
  it") stands for the previous subject: "what do cir do";
- a sequence ("and then?", "what's next") after a selection step is the next
  step, in the order of the knowledge base's stages.

The kinds of subject come from the knowledge base itself: topics whose ids
differ only in a last part that names one term (positions.cir, positions.alt,
positions.sea) make that term a family (cir, alt, sea).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.context import Context
from bot.lazyre import lazy
from bot.lexicon import Lexicon
from bot.text import (
    DO_FORMS,
    QUESTION_TERMS,
    QUESTION_WORDS,
    STOPWORDS,
    normalise_tokens,
    plain_words,
    words,
)

# -- readings of a follow-up -------------------------------------------------------

LEAD = lazy(
    r"^(?:(?:and|so|ok|okay|oh|then|also|but|well|right|cool|great|alright|wow|hmm+|ah+|nice)"
    r"\b[\s,!.]*)+",
)
ABOUT = lazy(
    r"^(?:(?:what|how)\s+about|what\s+of|same\s+(?:for|with)|(?:and\s+)?(?:for|with|regarding|re)"
    r"|tell\s+me\s+(?:more\s+)?about|more\s+(?:on|about))\b\s*"
)
CORRECTION = lazy(
    r"^(?:no+|nope|nah|not\s+that(?:\s+one)?|wrong(?:\s+one)?|sorry|that'?s\s+not\s+(?:it|what\s+"
    r"i\s+(?:asked|meant|wanted)))\b[\s,.!]*(?:i\s+(?:meant|mean|was\s+asking|asked|wanted)"
    r"(?:\s+(?:about|for|to\s+know))?\b\s*)?|^i\s+(?:meant|mean|was\s+asking)(?:\s+(?:about|for))?"
    r"\b\s*"
)
SEQUENCE = lazy(
    r"\b(?:after\s+(?:that|this|it|which)|and\s+then|then\s+what|what\s*(?:s|is)?\s+next"
    r"|what\s+comes?\s+(?:next|after)|what\s+happens\s+(?:next|after|then)|next\s+(?:step|stage)"
    r"|afterwards|and\s+next|what\s+now|then\s*\??$)"
)
BEFORE = lazy(r"\b(?:before\s+(?:that|this|it)|what\s+comes\s+before|previous\s+step)\b")
# "what happens after the interview", "what's next once I've applied": a stage named.
AFTER_STAGE = lazy(
    r"\b(?:what\s*(?:s|is)?\s+(?:happens|comes|next|now)|next\s+step|then\s+what|what\s+do\s+i\s+do)"
    r"\b.*?\b(after|once|following|before)\s+((?:\w+\s+){0,2}\w+)"
    r"|\b(after|once|following|before)\s+((?:\w+\s+){0,2}\w+).*\b(?:what\s*(?:s|is)?\s+next"
    r"|what\s+happens|then\s+what|what\s+comes)\b"
)
# Questions with nothing but a question word: "how many are there", "and how long?".
ELLIPTIC_TERMS = QUESTION_TERMS | frozenset("mani much long big larg often els".split())
PRONOUNS = frozenset(
    "they them their theirs it its he she him her his one ones this that these those".split()
)
SINGULAR = frozenset({"it", "its"})
# "which one involves translating?" after CIR and ALT: a choice between a family's members.
CHOICE = lazy(
    r"\bwhich\s+(?:one|of\s+(?:the\s+)?(?:two|three|them|these|those|both)|position|role|job)\b"
)
# Words that make a clause a question rather than a subject named: "where's the interview".
ASKING = frozenset(
    "what who where when why how which whats wheres whos hows whens whys is are do does did "
    "can could will would should".split()
)
# Words that may stand with a subject in "the CIR one", "the ALT position".
SUBJECT_COMPANIONS = frozenset({"one", "ones", "position", "side", "person", "people", "version"})


@dataclass(frozen=True, slots=True)
class Reading:
    """One way to read a question: the text to match, or a topic reached directly."""

    text: str
    how: str  # "direct", "swap", "pronoun", "sequence", "correction"
    topic: str | None = None


def readings(text: str, context: Context | None, lex: Lexicon) -> list[Reading]:
    """The ways to read ``text`` after ``context``, most specific first; the last is direct."""
    lowered = plain_words(text)
    corrected = CORRECTION.sub("", lowered, count=1) if context else lowered
    is_correction = corrected != lowered
    stripped = ABOUT.sub("", LEAD.sub("", corrected, count=1), count=1).strip() or corrected
    direct = Reading(stripped if (is_correction or stripped) else lowered, "direct")
    terms = lex.matcher.terms(stripped)
    own = lex.subject(terms)
    found: list[Reading] = []
    named = named_stage_step(stripped, lex)
    if named is not None:
        found.append(Reading(stripped, "after", named))
    if context is None:
        it = substitute_pronoun(stripped, None, lex)
        return [*found, *([Reading(it, "pronoun")] if it else []), direct]
    step = sequence_step(lowered)
    if step and own is None and context.stage:
        topic = lex.next_stage_topic(context.stage, step)
        if topic is not None:
            found.append(Reading(stripped, "sequence", topic))
    found.extend(choices(stripped, context, lex))
    if own is not None and only_subject(terms, own, lex):
        swapped = swap_subject(context, own, lex)
        if swapped is not None:
            found.append(Reading(swapped, "correction" if is_correction else "swap"))
    substituted = substitute_pronoun(stripped, context, lex)
    if substituted is not None:
        found.append(Reading(substituted, "pronoun"))
    subject = context.subject or lex.topic_subject(context.topic)
    if own is None and subject and not (terms - ELLIPTIC_TERMS):
        found.append(Reading(f"{stripped} {subject}", "merge"))
    if not context.topic and (own is None or substituted is not None):
        # The writer's own words around it say what it is about: "my careers centre
        # mentioned JET, who do I talk to?", "I have no teaching qualification -
        # would that be a problem?" (before reading "that" as one word of them).
        found.insert(0, Reading(f"{plain_words(context.question)} {stripped}", "merge"))
    return [*found, direct]


def choices(text: str, context: Context, lex: Lexicon) -> list[Reading]:
    """One reading per member of the family the context was about, for "which one"."""
    match = CHOICE.search(text)
    if match is None:
        return []
    named = lex.matcher.terms(context.question) | {context.subject or ""}
    kind = next((lex.family_of[t] for t in sorted(named) if t in lex.family_of), frozenset())
    topic = lex.kb.topics.get(context.topic)
    if not kind and topic is not None:
        # "can I apply for both?" named no position; its answer names CIR and ALT.
        mentioned = lex.matcher.terms(topic.answer)
        kind = next(
            (terms for terms in lex.families.values() if len(terms & mentioned) >= 2),
            frozenset(),
        )
        kind &= mentioned
    return [
        Reading(f"{text[: match.start()]}{member}{text[match.end() :]}", "choice")
        for member in sorted(kind)
    ]


def introduced_subject(text: str, lex: Lexicon) -> str | None:
    """The subject a clause only introduces: "what about CIRs", "and the ALTs"."""
    stripped = ABOUT.sub("", LEAD.sub("", plain_words(text), count=1), count=1).strip()
    if ASKING.intersection(stripped.split()):
        return None
    terms = lex.matcher.terms(stripped)
    own = lex.subject(terms)
    return own if own is not None and only_subject(terms, own, lex) else None


def named_stage_step(text: str, lex: Lexicon) -> str | None:
    """The topic of the stage after (or before) the one a question names, if it asks so."""
    match = AFTER_STAGE.search(text)
    if match is None:
        return None
    word = match.group(1) or match.group(3)
    named = match.group(2) or match.group(4)
    stage = next(
        (
            lex.stage_terms[t]
            for t in named.split()
            for t in lex.matcher.terms(t)
            if t in lex.stage_terms
        ),
        None,
    )
    if stage is None:
        return None
    return lex.next_stage_topic(stage, -1 if word == "before" else 1)


def sequence_step(text: str) -> int:
    if BEFORE.search(text):
        return -1
    return 1 if SEQUENCE.search(text) else 0


def only_subject(terms: frozenset[str], own: str, lex: Lexicon) -> bool:
    """Whether a message names a subject and nothing else: "ALTs?", "the CIR one"."""
    others = terms - {own} - SUBJECT_COMPANIONS
    return own in lex.family_of and not (others - lex.family_of.get(own, frozenset()))


def swap_subject(context: Context, new: str, lex: Lexicon) -> str | None:
    """The previous question about ``new`` instead of its subject of the same kind."""
    kind = lex.family_of.get(new, frozenset())
    old_terms = lex.matcher.terms(context.question)
    old = next((t for t in (context.subject, *sorted(old_terms)) if t in kind and t != new), None)
    if old is None or old not in old_terms:
        return None
    return replace_term(context.question, old, new, lex)


def replace_term(question: str, old: str, new: str, lex: Lexicon) -> str | None:
    """``question`` with the words that analyse to ``old`` replaced by ``new``."""
    tokens = normalise_tokens(words(question))
    skip = STOPWORDS | DO_FORMS | QUESTION_WORDS
    for size in range(min(5, len(tokens)), 0, -1):
        for start in range(len(tokens) - size + 1):
            span = tokens[start : start + size]
            if span[0] in skip or span[-1] in skip:
                continue
            if lex.matcher.terms(" ".join(span)) == {old}:
                return " ".join([*tokens[:start], new, *tokens[start + size :]])
    return None


def substitute_pronoun(text: str, context: Context | None, lex: Lexicon) -> str | None:
    """``text`` with its first pronoun read as the previous subject, if it has none before.

    With no context, only "it" is read, as what the knowledge base is about ("when
    did it start?"): "they" could be anyone.
    """
    if context is None:
        subject, pronouns = lex.default_subject, SINGULAR
    else:
        subject, pronouns = context.subject or lex.topic_subject(context.topic), PRONOUNS
    if subject is None:
        return None
    tokens = text.split()
    for index, token in enumerate(tokens):
        if token in pronouns:
            return " ".join([*tokens[:index], subject, *tokens[index + 1 :]])
        if lex.subject(lex.matcher.terms(token)) is not None:
            return None  # its own subject comes first: "and the ALTs, what do they do"
    return None
