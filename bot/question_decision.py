"""One question of a message, read every way its context allows and decided."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from bot.context import Context
from bot.followup import Reading, readings
from bot.knowledge import Topic
from bot.lazyre import lazy
from bot.lexicon import Lexicon
from bot.matcher import AMBIGUITY_MARGIN, MAX_SUGGESTIONS, Match, Outcome
from bot.needs import Ask, Need, asked, unmet
from bot.text import QUESTION_TERMS, plain_words

# "what's your name", "who made you": about the bot, when nothing else is named.
SECOND_PERSON = frozenset({"you", "your", "yours", "yourself"})
REQUEST = lazy(r"^(?:please\s+)?(?:can|could|would|will)\s+you\s+(?:please\s+)?(?!be\b|help\b)\w+")
# How far under the best a topic may score and still answer because its text
# holds what the question asks for and the best one's does not.
RIVAL_MARGIN = 10.0
Scored = tuple[Topic, float]
# A direct match this sure is not overridden by a step the question names.
STRONG_SCORE = 90.0


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
        text = plain_words(self.text)
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
