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

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any
from weakref import WeakKeyDictionary

from bot.answers import Snapshot
from bot.lazyre import lazy
from bot.matcher import Matcher, Outcome
from bot.text import DO_FORMS, QUESTION_TERMS, QUESTION_WORDS, STOPWORDS, normalise_tokens, words

CONTEXT_FIELDS = ("topic", "question", "subject", "position", "stage")
MAX_CONTEXT_TEXT = 300


@dataclass(frozen=True, slots=True)
class Context:
    """What the last answer was about, kept per chat between messages.

    ``question`` is the question as understood ("where do cir work" for "where
    do they work"); ``subject`` the analysed term it was about ("cir", "jet",
    "interview"); ``position`` that term when it names a position family member;
    ``stage`` the selection stage whose topic was answered.
    """

    topic: str
    question: str
    subject: str | None = None
    position: str | None = None
    stage: str | None = None

    def to_dict(self) -> dict[str, str]:
        """A small JSON-ready dict: only the fields that are set."""
        values = {name: getattr(self, name) for name in CONTEXT_FIELDS}
        return {name: value for name, value in values.items() if value is not None}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Context | None:
        """The Context a dict holds, or None for anything malformed (stored data ages)."""
        if not isinstance(data, Mapping):
            return None
        values = {name: data.get(name) for name in CONTEXT_FIELDS}
        if not all(value is None or isinstance(value, str) for value in values.values()):
            return None
        topic, question = values["topic"], values["question"]
        if not topic or not question:
            return None
        return cls(
            topic=topic,
            question=question[:MAX_CONTEXT_TEXT],
            subject=values["subject"] or None,
            position=values["position"] or None,
            stage=values["stage"] or None,
        )


# -- what the knowledge base says about subjects ---------------------------------


class Lexicon:
    """Subjects, their families and the stage order, as the knowledge base has them."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.kb = snapshot.kb
        self.matcher: Matcher = snapshot.matcher

    @cached_property
    def families(self) -> dict[str, frozenset[str]]:
        """Per id prefix, the terms telling its sibling topics apart (positions: cir, alt)."""
        found: dict[str, set[str]] = {}
        for index, topic in enumerate(self.matcher.topics):
            prefix, _, last = topic.id.rpartition(".")
            named = self.matcher.terms(last.replace("-", " "))
            if prefix and len(named) == 1 and named <= self.matcher.topic_terms[index]:
                found.setdefault(prefix, set()).update(named)
        return {prefix: frozenset(terms) for prefix, terms in found.items() if len(terms) >= 2}

    @cached_property
    def family_of(self) -> dict[str, frozenset[str]]:
        """For a term, every term of its kind (itself included)."""
        kinds: dict[str, set[str]] = {}
        for terms in self.families.values():
            for term in terms:
                kinds.setdefault(term, set()).update(terms)
        return {term: frozenset(kind) for term, kind in kinds.items()}

    @cached_property
    def positions(self) -> frozenset[str]:
        """The family the positions topics name, if the knowledge base has one."""
        return next(
            (terms for prefix, terms in self.families.items() if prefix.startswith("position")),
            frozenset(),
        )

    @cached_property
    def title_terms(self) -> frozenset[str]:
        """Terms of topic titles: the things topics are about."""
        found: set[str] = set()
        for topic in self.matcher.topics:
            if not topic.is_smalltalk:
                found |= self.matcher.terms(topic.title)
        return frozenset(found - QUESTION_TERMS)

    @cached_property
    def out_of_scope(self) -> frozenset[str]:
        """Words the knowledge base knows only to say it cannot answer: synonyms no topic uses.

        ("money: [salary, pay, ...]", "visa: [...]"): README, "a word no topic uses
        marks a phrase as out of scope".
        """
        return frozenset(word for word in self.kb.synonyms if word not in self.matcher.weights)

    @cached_property
    def social_topics(self) -> dict[str, str]:
        """The small-talk topic for a greeting, thanks, a farewell and questions to the bot."""
        probes = {
            "greeting": "hello",
            "thanks": "thank you",
            "farewell": "goodbye",
            "bot": "who are you",
        }
        found = {}
        for kind, probe in probes.items():
            match = self.matcher.match(probe)
            if match.outcome is Outcome.SMALLTALK and match.topic is not None:
                found[kind] = match.topic.id
        return found

    @cached_property
    def default_subject(self) -> str | None:
        """What "it" is with nothing said before: the title term most topics are about (JET)."""
        counts = {t: n for t, n in self.title_counts.items() if t in self.title_terms}
        return max(counts, key=counts.__getitem__) if counts else None

    @cached_property
    def stage_terms(self) -> dict[str, str]:
        """The terms naming each selection stage ("interview", "place"), to its stage id."""
        found: dict[str, str] = {}
        for stage in self.kb.stages:
            named = self.matcher.terms(f"{stage.id.replace('-', ' ')} {stage.title}")
            subject = self.topic_subject(stage.topic)
            for term in sorted(named | ({subject} if subject else set())):
                found.setdefault(term, stage.id)
        return found

    @cached_property
    def entities(self) -> frozenset[str]:
        """Things, not aspects: the families with a term under several id prefixes
        (cir: positions.cir and duties.cir), so sea with them; not purpose or history."""
        seen: dict[str, int] = {}
        for terms in self.families.values():
            for term in terms:
                seen[term] = seen.get(term, 0) + 1
        shared = {term for term, count in seen.items() if count > 1}
        return frozenset(t for terms in self.families.values() if terms & shared for t in terms)

    @cached_property
    def title_counts(self) -> dict[str, int]:
        """In how many topic titles each term appears: "jet" names the programme in many."""
        counts: dict[str, int] = {}
        for topic in self.matcher.topics:
            if not topic.is_smalltalk:
                for term in self.matcher.terms(topic.title):
                    counts[term] = counts.get(term, 0) + 1
        return counts

    def subject(self, terms: frozenset[str] | list[str]) -> str | None:
        """The main thing a question names: an entity (CIR), else what most titles name.

        "what's the aim of the programme" is about the programme (JET), which many
        titles name, not about its aim: "how big has it got?" asks about JET.
        """
        named = [t for t in terms if t in self.family_of or t in self.title_terms]
        if not named:
            return None
        return max(
            named,
            key=lambda t: (
                t in self.entities,
                self.title_counts.get(t, 0),
                self.matcher.term_weight(t),
            ),
        )

    def topic_subject(self, topic_id: str) -> str | None:
        """What a topic is about, for a question it answered without naming it."""
        topic = self.kb.topics.get(topic_id)
        if topic is None:
            return None
        last = self.matcher.terms(topic_id.rpartition(".")[2].replace("-", " "))
        if len(last) == 1 and next(iter(last)) in self.family_of:
            return next(iter(last))
        return self.subject(self.matcher.terms(topic.title))

    def stage_of(self, topic_id: str) -> str | None:
        return next((stage.id for stage in self.kb.stages if stage.topic == topic_id), None)

    def next_stage_topic(self, stage_id: str, step: int) -> str | None:
        ids = [stage.id for stage in self.kb.stages]
        if stage_id not in ids:
            return None
        position = ids.index(stage_id) + step
        if not 0 <= position < len(ids):
            return None
        return self.kb.stages[position].topic

    def context(self, topic_id: str, question: str) -> Context:
        """The Context to keep after answering ``topic_id`` for ``question``."""
        subject = self.subject(self.matcher.terms(question)) or self.topic_subject(topic_id)
        return Context(
            topic=topic_id,
            question=question[:MAX_CONTEXT_TEXT],
            subject=subject,
            position=subject if subject in self.positions else None,
            stage=self.stage_of(topic_id),
        )


_lexicons: WeakKeyDictionary[Matcher, Lexicon] = WeakKeyDictionary()


def lexicon(snapshot: Snapshot) -> Lexicon:
    """The Lexicon of a snapshot, built once (it lives as long as its matcher)."""
    found = _lexicons.get(snapshot.matcher)
    if found is None or found.kb is not snapshot.kb:
        found = _lexicons[snapshot.matcher] = Lexicon(snapshot)
    return found


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


def plain(text: str) -> str:
    return " ".join(normalise_tokens(words(text)))


def readings(text: str, context: Context | None, lex: Lexicon) -> list[Reading]:
    """The ways to read ``text`` after ``context``, most specific first; the last is direct."""
    lowered = plain(text)
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
    elif own is None and not context.topic:
        # The writer's own words around it say what it is about: "my careers centre
        # mentioned JET, who do I talk to?" (before reading "they" as one word of it).
        found.insert(0, Reading(f"{plain(context.question)} {stripped}", "merge"))
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
    stripped = ABOUT.sub("", LEAD.sub("", plain(text), count=1), count=1).strip()
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
