"""What the knowledge base says about subjects: their kinds, the stage order, what "it" is.

Drawn from the knowledge base itself, never from a list in code: topics whose ids
differ only in a last part naming one term (positions.cir, positions.alt,
positions.sea) make that term a family (cir, alt, sea); the stages give the
order of the selection steps; synonyms no topic uses mark what is out of scope.
"""

from __future__ import annotations

from functools import cached_property
from weakref import WeakKeyDictionary

from bot.answers import Snapshot
from bot.context import MAX_CONTEXT_TEXT, Context
from bot.matcher import Matcher, Outcome
from bot.text import QUESTION_TERMS


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
