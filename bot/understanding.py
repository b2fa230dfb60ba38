"""Decide what to do with a message: the pure core of answering.

    understand(text, context, snapshot) -> Understanding

No database, no Telegram, no wording: the caller words the reply and stores the
returned context. The steps, each in its own module:

1. bot.analysis: the language (not English -> NOT_ENGLISH), then the message cut
   into greeting, thanks, farewell, a bare intent ("ok", "help"), side remarks
   and questions;
2. bot.followup: each question read with the conversation's context ("and
   ALTs?", "what do they do", "and then?");
3. bot.matcher: each reading ranked and decided;
4. bot.needs: what the question asks for (an amount, a date...) checked against
   the chosen answer; a need it cannot meet, or a subject the knowledge base
   declares out of scope (a synonym no topic uses, like "salary"), makes the
   reply an honest PARTIAL (or FALLBACK when no topic is about its subject).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cached_property

from bot.analysis import Intent, Message, detect_language, read_message
from bot.answers import Snapshot
from bot.context import Context
from bot.followup import Reading, introduced_subject, plain, readings
from bot.knowledge import Topic
from bot.lazyre import lazy
from bot.lexicon import Lexicon, lexicon
from bot.matcher import AMBIGUITY_MARGIN, MAX_SUGGESTIONS, Match, Outcome
from bot.needs import Ask, Need, asked, unmet
from bot.text import QUESTION_TERMS

# "what's your name", "who made you": about the bot, when nothing else is named.
SECOND_PERSON = frozenset({"you", "your", "yours", "yourself"})
REQUEST = lazy(r"^(?:please\s+)?(?:can|could|would|will)\s+you\s+(?:please\s+)?(?!be\b|help\b)\w+")
# How far under the best a topic may score and still answer because its text
# holds what the question asks for and the best one's does not.
RIVAL_MARGIN = 10.0
Scored = tuple[Topic, float]
MAX_QUESTIONS = 4
# A direct match this sure is not overridden by a step the question names.
STRONG_SCORE = 90.0

__all__ = [
    "Context",
    "Intent",
    "Kind",
    "Need",
    "Part",
    "Understanding",
    "context_for",
    "understand",
]


class Kind(StrEnum):
    ANSWER = "answer"  # answer topics[0] (and the other topics, one per question)
    SUGGEST = "suggest"  # "did you mean": suggestions
    PARTIAL = "partial"  # the knowledge base lacks `missing`; show suggestions[0]
    FALLBACK = "fallback"  # nothing to say but the fallback
    SMALLTALK = "smalltalk"  # greeting, thanks, farewell, about the bot: topics[0]
    INTENT = "intent"  # `intent`: help, ok, yes, no, capabilities
    NOT_ENGLISH = "not_english"  # `language`


@dataclass(frozen=True, slots=True)
class Part:
    """What one question of a message came to."""

    text: str  # the question as read: "where do cir work" for "where do they work"
    kind: Kind
    topic: str | None  # the topic answered (ANSWER, SMALLTALK) or shown (PARTIAL)
    score: float
    match: Match
    suggestions: tuple[str, ...] = ()
    missing: tuple[Need, ...] = ()
    how: str = "direct"  # direct, swap, pronoun, merge, choice, sequence, after, correction, bot


@dataclass(frozen=True, slots=True)
class Understanding:
    """What the bot makes of a message; ``context`` is the one to keep (None: forget)."""

    kind: Kind
    topics: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()
    missing: tuple[Need, ...] = ()
    greeting: bool = False
    score: float = 0.0
    best_guess: str | None = None
    context: Context | None = None
    intent: Intent | None = None
    language: str | None = None
    match: Match | None = None
    parts: tuple[Part, ...] = ()


def understand(text: str, context: Context | None, snapshot: Snapshot) -> Understanding:
    """What to do with ``text``, said after ``context``, with this knowledge base."""
    language = detect_language(text)
    if language is not None:
        return Understanding(Kind.NOT_ENGLISH, language=language, context=context)
    message = read_message(text)
    questions = message.questions
    if not questions and not message.social and message.intent is None:
        questions = message.remarks
    lex = lexicon(snapshot)
    if not questions:
        return _small_talk(message, context, lex)
    focus = context or _remark_focus(message, lex)
    parts: list[Part] = []
    # A message of hundreds of clauses is not a question; the first few decide.
    questions = questions[:MAX_QUESTIONS]
    for index, question in enumerate(questions):
        introduced = introduced_subject(question, lex)
        if introduced is not None and index + 1 < len(questions):
            # "what about CIRs, what do they do?": the clause names who "they" are.
            focus = Context(topic="", question=question, subject=introduced)
            continue
        part = _Question(question, focus, lex).part
        if parts and _refers_back(part, parts[-1]):
            # "Do I need a visa, and does someone sort it out?": "it" is the visa.
            part = replace(
                part,
                kind=parts[-1].kind,
                topic=parts[-1].topic,
                suggestions=parts[-1].suggestions,
                missing=parts[-1].missing,
            )
        parts.append(part)
        if part.kind in (Kind.ANSWER, Kind.PARTIAL):
            focus = _context_after(part, lex) or focus
    return _combine(tuple(parts), message, context, lex)


def context_for(topic_id: str, snapshot: Snapshot, question: str | None = None) -> Context:
    """The context to keep when a topic is answered some other way (a button, a menu)."""
    topic = snapshot.kb.topics.get(topic_id)
    text = question or (topic.title if topic is not None else topic_id)
    return lexicon(snapshot).context(topic_id, text)


# -- one question -------------------------------------------------------------


class _Question:
    """One question of a message, read every way its context allows."""

    def __init__(self, text: str, focus: Context | None, lex: Lexicon) -> None:
        self.text = text
        self.focus = focus
        self.lex = lex
        self.matcher = lex.matcher
        self.rankings: dict[str, list[Scored]] = {}

    @cached_property
    def part(self) -> Part:
        bot = self.lex.social_topics.get("bot")
        if bot is not None and self.to_the_bot():
            match = self.matcher.decide(self.matcher.rank_text(self.text))
            return Part(self.text, Kind.SMALLTALK, bot, match.score, match, how="bot")
        reading, match = self.best_reading()
        if match.outcome is Outcome.SMALLTALK and match.topic is not None:
            return Part(reading.text, Kind.SMALLTALK, match.topic.id, match.score, match)
        return self.checked(reading, match)

    def to_the_bot(self) -> bool:
        """A question about "you" that names nothing the knowledge base is about.

        "can you walk me through the steps" asks something of the bot about the
        programme; "what's your name" asks about the bot.
        """
        text = plain(self.text)
        if not SECOND_PERSON.intersection(text.split()) or REQUEST.match(text):
            return False
        return self.lex.subject(self.matcher.terms(self.text)) is None

    def best_reading(self) -> tuple[Reading, Match]:
        """The first reading that answers; else the best-scored one.

        A step named in the question ("what comes after the interview") gives way to
        a question that is clearly about something else ("what happens step by
        step once I have applied" is the whole process).
        """
        best: tuple[Reading, Match] | None = None
        found = readings(self.text, self.focus, self.lex)
        choice = self.best_choice([r for r in found if r.how == "choice"])
        if choice is not None:
            return choice
        for reading in (r for r in found if r.how != "choice"):
            match = self.decide(reading)
            if reading.how != "direct" and reading.topic is None and self.specific(reading):
                # "how much do CIRs earn?" then "and ALTs?": the pay question about
                # ALTs, never what an ALT is.
                return reading, match
            if reading.how == "after":
                direct = self.decide(found[-1])
                if direct.outcome is Outcome.ANSWER and direct.score >= STRONG_SCORE:
                    return found[-1], direct
            if match.outcome in (Outcome.ANSWER, Outcome.SMALLTALK):
                return reading, match
            if best is None or match.score > best[1].score:
                best = (reading, match)
        assert best is not None  # readings() always ends with the direct one
        return best

    def specific(self, reading: Reading) -> bool:
        """Whether a reading asks for something the checks below may find missing."""
        return bool(
            asked(reading.text) or self.lex.out_of_scope & self.matcher.terms(reading.text)
        )

    def best_choice(self, found: list[Reading]) -> tuple[Reading, Match] | None:
        """Of "which one ..." read with each member, the one the knowledge base answers best."""
        decided = [(reading, self.decide(reading)) for reading in found]
        answered = [pair for pair in decided if pair[1].outcome is Outcome.ANSWER]
        return max(answered, key=lambda pair: pair[1].score, default=None)

    def decide(self, reading: Reading) -> Match:
        if reading.topic is not None:
            topic = self.lex.kb.topics[reading.topic]
            return Match(Outcome.ANSWER, 100.0, topic=topic, best_guess=topic)
        return self.matcher.decide(self.ranking(reading))

    def checked(self, reading: Reading, match: Match) -> Part:
        """The match held against what the question asks for and its subject."""
        asks = asked(reading.text)
        beyond = self.lex.out_of_scope & self.matcher.terms(reading.text)
        text, how = reading.text, reading.how
        if not beyond and match.outcome is Outcome.SUGGEST and not asks:
            ids = tuple(topic.id for topic in match.suggestions)
            return Part(text, Kind.SUGGEST, None, match.score, match, ids, how=how)
        if not beyond:
            fitting = sorted(self.fitting(reading, match, asks), key=lambda p: p[1], reverse=True)
            runner_up = fitting[1][1] if len(fitting) > 1 else 0.0
            if fitting and fitting[0][1] >= max(
                self.matcher.answer_threshold, runner_up + AMBIGUITY_MARGIN
            ):
                topic, score = fitting[0]
                return Part(text, Kind.ANSWER, topic.id, score, match, how=how)
            if fitting:
                ids = tuple(topic.id for topic, _ in fitting)[:MAX_SUGGESTIONS]
                return Part(text, Kind.SUGGEST, None, match.score, match, ids, how=how)
        shown = self.shown_topic(reading, match, beyond)
        if shown is None:
            missing = tuple(dict.fromkeys(ask.need for ask in asks))
            return Part(text, Kind.FALLBACK, None, match.score, match, (), missing, how)
        missing = unmet(asks, self.lex.kb.topics[shown].answer, self.matcher.terms)
        if missing or beyond:
            return Part(text, Kind.PARTIAL, shown, match.score, match, (shown,), missing, how)
        return Part(text, Kind.FALLBACK, None, match.score, match, how=how)

    def fitting(self, reading: Reading, match: Match, asks: tuple[Ask, ...]) -> list[Scored]:
        """The answer, or the "did you mean" choices, whose text can give what is asked.

        Of two topics about as close to a question, the one whose answer holds what
        it asks for ("how many SEAs as of 2019": the one with "2 SEAs") is the answer.
        """
        if match.outcome is Outcome.ANSWER and match.topic is not None:
            ranked = [(match.topic, match.score)]
            # A detail the answer disclaims is about its own subject: no other topic has it.
            if asks and all(ask.need is not Need.DETAIL for ask in asks):
                ranked += [
                    (topic, score)
                    for topic, score in self.ranking(reading)[1:MAX_SUGGESTIONS]
                    if score >= match.score - RIVAL_MARGIN and not topic.is_smalltalk
                ]
            first = [(t, s) for t, s in ranked if not unmet(asks, t.answer, self.matcher.terms)]
            return first[:1]
        if match.outcome is Outcome.SUGGEST:
            scores = dict((t.id, s) for t, s in self.ranking(reading))
            ranked = [(topic, scores.get(topic.id, match.score)) for topic in match.suggestions]
            return [(t, s) for t, s in ranked if not unmet(asks, t.answer, self.matcher.terms)]
        return []

    def ranking(self, reading: Reading) -> list[Scored]:
        if reading.text not in self.rankings:
            self.rankings[reading.text] = self.matcher.rank_text(reading.text)
        return self.rankings[reading.text]

    def shown_topic(self, reading: Reading, match: Match, beyond: frozenset[str]) -> str | None:
        """The topic about the question's subject, ignoring what the knowledge base lacks."""
        if match.outcome is Outcome.ANSWER and match.topic is not None and not beyond:
            return match.topic.id
        # Its subject alone: "how much do ALTs earn" shows what an ALT is, not how to apply.
        known = self.matcher.terms(reading.text) - beyond - QUESTION_TERMS
        known = frozenset(t for t in known if t in self.matcher.weights)
        subject = self.lex.subject(known)
        if subject is None:
            return None
        for terms in (known, frozenset({subject})):
            decided = self.matcher.decide(self.matcher.rank_terms(terms))
            if decided.outcome is Outcome.ANSWER and decided.topic is not None:
                return decided.topic.id
        return None


# -- the whole message ------------------------------------------------------------


def _remark_focus(message: Message, lex: Lexicon) -> Context | None:
    """What "it" means in "a friend said I should be a CIR.. what is that?"."""
    for remark in reversed(message.remarks):
        subject = lex.subject(lex.matcher.terms(remark))
        if subject is not None:
            return Context(topic="", question=remark, subject=subject)
    return None


def _combine(
    parts: tuple[Part, ...], message: Message, context: Context | None, lex: Lexicon
) -> Understanding:
    answered = tuple(dict.fromkeys(p.topic for p in parts if p.kind is Kind.ANSWER and p.topic))
    # A weak clause whose best guess another clause answers is covered by that answer.
    main = next((p for p in parts if not _noise(p, lex) and not _covered(p, answered)), parts[0])
    unanswered = (p for p in parts if p.kind is not Kind.ANSWER)
    base = Understanding(
        main.kind,
        greeting=message.greeting,
        score=main.score,
        best_guess=_guess(main),
        match=main.match,
        parts=parts,
        missing=tuple(dict.fromkeys(need for p in unanswered for need in p.missing)),
    )
    last = next((p for p in reversed(parts) if p.kind in (Kind.ANSWER, Kind.PARTIAL)), main)
    if main.kind is Kind.ANSWER:
        shown = tuple(dict.fromkeys(p.topic for p in parts if p.kind is Kind.PARTIAL and p.topic))
        return replace(base, topics=answered, suggestions=shown, context=_context_after(last, lex))
    if main.kind is Kind.PARTIAL or (main.kind is Kind.FALLBACK and answered):
        shown = tuple(dict.fromkeys((*main.suggestions, *answered)))
        return replace(
            base, kind=Kind.PARTIAL, suggestions=shown, context=_context_after(last, lex)
        )
    if main.kind is Kind.SMALLTALK:
        return replace(base, topics=(main.topic or "",), context=context)
    if main.kind is Kind.SUGGEST:
        return replace(base, suggestions=main.suggestions, context=context)
    return base


def _refers_back(part: Part, previous: Part) -> bool:
    """A pronoun standing for what an earlier clause asked and the bot could not answer."""
    return (
        part.how == "pronoun"
        and previous.kind in (Kind.FALLBACK, Kind.PARTIAL)
        and previous.how != "bot"
    )


def _noise(part: Part, lex: Lexicon) -> bool:
    """A clause that engaged nothing: no topic, no need, no subject ("so yeah")."""
    return (
        part.kind is Kind.FALLBACK
        and not part.missing
        and lex.subject(lex.matcher.terms(part.text)) is None
    )


def _covered(part: Part, answered: tuple[str, ...]) -> bool:
    guess = part.match.best_guess
    return (
        part.kind is Kind.FALLBACK
        and not part.missing
        and guess is not None
        and guess.id in answered
    )


def _guess(part: Part) -> str | None:
    guess = part.match.best_guess
    return part.topic or (guess.id if guess is not None else None)


def _context_after(part: Part, lex: Lexicon) -> Context | None:
    if part.topic is None:
        return None
    if part.how in ("sequence", "after"):
        # "and after that?" is about the step reached, not the one it names.
        return lex.context(part.topic, lex.kb.topics[part.topic].title)
    return lex.context(part.topic, part.text)


def _small_talk(message: Message, context: Context | None, lex: Lexicon) -> Understanding:
    """A message with no question: thanks, farewell, an intent, a greeting, or nothing."""
    greeting = message.greeting
    if message.farewell:
        return Understanding(
            Kind.SMALLTALK, topics=_social_topic("farewell", lex), greeting=greeting
        )
    if message.thanks:
        topics = _social_topic("thanks", lex)
        return Understanding(Kind.SMALLTALK, topics=topics, greeting=greeting, context=context)
    if message.intent is not None:
        return Understanding(
            Kind.INTENT, intent=message.intent, greeting=greeting, context=context
        )
    if greeting:
        topics = _social_topic("greeting", lex)
        return Understanding(Kind.SMALLTALK, topics=topics, greeting=True, context=context)
    return Understanding(Kind.FALLBACK, context=context)


def _social_topic(kind: str, lex: Lexicon) -> tuple[str, ...]:
    topic = lex.social_topics.get(kind)
    return (topic,) if topic else ()
