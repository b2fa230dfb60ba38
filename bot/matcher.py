"""Match an applicant's question to a knowledge-base topic.

Scoring, per topic, is the best of its phrasings, where a phrasing's score blends
- how much of the question's weighted terms the phrasing explains (a question
  with words the knowledge base has never seen, like "salary", scores low: the
  commonest way to be confidently wrong is to answer "what is the salary of an
  ALT" with what an ALT is),
- how much of the phrasing the question covers, and
- a rapidfuzz token score on the analysed text, for near-identical wordings.
Terms are weighted by how few topics use them, so "jet" counts for little.
The index is built once per knowledge base. match() touches only phrasings that
share a term with the question and whose weight is close enough to the
question's to reach the best few (see ``Matcher.candidates``).
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from itertools import accumulate
from operator import itemgetter

from rapidfuzz import fuzz

from bot.knowledge import KnowledgeBase, Topic, iter_phrasings
from bot.text import Analyzer, question_sentences

ANSWER_THRESHOLD = 45.0
SUGGEST_THRESHOLD = 40.0
MAX_SUGGESTIONS = 3
# Near-equal runner-up topics are offered rather than guessed between.
AMBIGUITY_MARGIN = 3.0
FUZZY_CANDIDATES = 12
FUZZY_TEXT_LIMIT = 300

QUERY_EXPONENT = 1.0
PHRASING_EXPONENT = 1.0
FUZZY_WEIGHT = 0.15
TOPIC_COVERAGE = 0.5
UNKNOWN_FACTOR = 1.0
# The lexical score the candidate search first hopes FUZZY_CANDIDATES phrasings
# reach (see candidates()). Phrasings scoring under MIN_BOUND are never read: they
# would move a topic's score by under a point, and finding them could mean
# reading every posting of "jet" for a question in another language.
FIRST_BOUND = 0.4
BOUND_STEP = 0.5
MIN_BOUND = 0.02
# Up to this many scores, sorting them all is faster than a heap in Python.
SORT_LIMIT = 256
# Texts whose analysis is kept: the messages of the last few minutes, not a corpus.
TERMS_CACHE = 4096


class Outcome(StrEnum):
    ANSWER = "answer"
    SUGGEST = "suggest"
    SMALLTALK = "smalltalk"
    FALLBACK = "fallback"


@dataclass(frozen=True, slots=True)
class Match:
    """What the bot makes of a question."""

    outcome: Outcome
    score: float
    topic: Topic | None = None
    suggestions: tuple[Topic, ...] = ()
    best_guess: Topic | None = None


@dataclass(frozen=True, slots=True)
class _Phrasing:
    topic: int
    terms: frozenset[str]
    weight: float
    text: str


def inverse_topic_frequency(topic_terms: list[frozenset[str]]) -> dict[str, float]:
    """A term's weight: high when few topics use it ("sport"), low when many do ("jet")."""
    frequency: dict[str, int] = defaultdict(int)
    for terms in topic_terms:
        for term in terms:
            frequency[term] += 1
    count = max(len(topic_terms), 1)
    return {term: math.log(1 + count / n) for term, n in frequency.items()}


def largest(items: Iterable[tuple[int, float]], count: int) -> list[tuple[int, float]]:
    """The ``count`` highest-scored items: a C sort for the usual few dozen, a heap beyond."""
    pairs = list(items)
    if len(pairs) <= SORT_LIMIT:
        pairs.sort(key=itemgetter(1), reverse=True)
        return pairs[:count]
    return heapq.nlargest(count, pairs, key=itemgetter(1))


class Matcher:
    def __init__(
        self,
        kb: KnowledgeBase,
        *,
        answer_threshold: float = ANSWER_THRESHOLD,
        suggest_threshold: float = SUGGEST_THRESHOLD,
    ) -> None:
        self.kb = kb
        self.answer_threshold = answer_threshold
        self.suggest_threshold = suggest_threshold
        self.topics: list[Topic] = list(kb.topics.values())
        pairs = list(iter_phrasings(kb))
        # Titles, answers and keywords are written with care; phrasings may hold
        # deliberate misspellings, which must not become typo-repair targets.
        reference = [t.title for t in self.topics] + [t.answer for t in self.topics]
        reference += [k for t in self.topics for k in t.keywords]
        self.analyzer = Analyzer(kb.synonyms, [text for _, text in pairs], reference)

        position = {topic.id: i for i, topic in enumerate(self.topics)}
        analysed = [
            (position[t.id], frozenset(self.analyzer.analyse(text).terms)) for t, text in pairs
        ]
        topic_terms: list[set[str]] = [set() for _ in self.topics]
        for index, terms in analysed:
            topic_terms[index].update(terms)
        for topic in self.topics:
            for keyword in topic.keywords:
                topic_terms[position[topic.id]].update(self.analyzer.analyse(keyword).terms)
        self.topic_terms = [frozenset(terms) for terms in topic_terms]
        self.weights = inverse_topic_frequency(self.topic_terms)
        self.unknown_weight = UNKNOWN_FACTOR * math.log(1 + max(len(self.topics), 1))

        # Numbered by weight, lightest first, so that every postings list is in
        # weight order too and a range of weights is a slice of it.
        phrasings = sorted(
            (
                _Phrasing(
                    index, terms, sum(self.weights[t] for t in terms), " ".join(sorted(terms))
                )
                for index, terms in analysed
                if terms
            ),
            key=lambda phrasing: phrasing.weight,
        )
        self.phrasings: list[_Phrasing] = phrasings
        self.phrasing_weights = [phrasing.weight for phrasing in phrasings]
        postings: dict[str, list[int]] = defaultdict(list)
        for number, phrasing in enumerate(phrasings):
            for term in phrasing.terms:
                postings[term].append(number)
        self.postings = dict(postings)
        # One message's text reaches the analyser several times (its readings, the
        # ranking, the checks); the analysis depends on the snapshot alone.
        self.terms: Callable[[str], frozenset[str]] = lru_cache(maxsize=TERMS_CACHE)(
            self.analysed_terms
        )

    def term_weight(self, term: str) -> float:
        return self.weights.get(term, self.unknown_weight)

    def analysed_terms(self, text: str) -> frozenset[str]:
        """The analysed terms of a text, as the index compares them (``terms`` caches it)."""
        return frozenset(self.analyzer.analyse(text).terms)

    def rank(self, text: str) -> list[tuple[Topic, float]]:
        """Every topic sharing a term with the question, best first, with its score.

        A message with context around its question is also ranked sentence by
        sentence, and each topic keeps its best score.
        """
        best: dict[str, tuple[Topic, float]] = {}
        for part in (text, *question_sentences(text)):
            for topic, score in self.rank_text(part):
                if score > best.get(topic.id, (topic, -1.0))[1]:
                    best[topic.id] = (topic, score)
        return sorted(best.values(), key=lambda pair: pair[1], reverse=True)

    def rank_text(self, text: str) -> list[tuple[Topic, float]]:
        return self.rank_terms(self.terms(text))

    def rank_terms(self, terms: Iterable[str]) -> list[tuple[Topic, float]]:
        """The topics of the best-matching phrasings for these terms, best first."""
        terms = frozenset(terms)
        if not terms:
            return []
        query_weight = sum(self.term_weight(t) for t in terms)
        lexical = self.candidates(terms, query_weight)
        if not lexical:
            return []
        query_text = " ".join(sorted(terms))[:FUZZY_TEXT_LIMIT]
        top = largest(lexical.items(), FUZZY_CANDIDATES)
        # A phrasing this far under its topic's best cannot overtake it on fuzz.
        leads: dict[int, float] = {}
        for number, lexical_score in top:
            topic = self.phrasings[number].topic
            leads[topic] = max(leads.get(topic, 0.0), lexical_score)
        reach = FUZZY_WEIGHT / (1 - FUZZY_WEIGHT)
        best: dict[int, float] = {}
        for number, lexical_score in top:
            phrasing = self.phrasings[number]
            if lexical_score + reach < leads[phrasing.topic]:
                continue
            # Both texts are sorted terms already: this is token_sort_ratio.
            fuzzy = fuzz.ratio(query_text, phrasing.text) / 100
            score = (1 - FUZZY_WEIGHT) * lexical_score + FUZZY_WEIGHT * fuzzy
            if score > best.get(phrasing.topic, -1.0):
                best[phrasing.topic] = score
        weights = {t: self.term_weight(t) for t in terms}
        ranked = []
        for index, phrasing_score in best.items():
            covered = sum(map(weights.__getitem__, terms & self.topic_terms[index]))
            topic_score = (covered / query_weight) ** QUERY_EXPONENT
            score = 100 * ((1 - TOPIC_COVERAGE) * phrasing_score + TOPIC_COVERAGE * topic_score)
            ranked.append((self.topics[index], round(score, 1)))
        ranked.sort(key=lambda pair: pair[1], reverse=True)
        return ranked

    def candidates(self, terms: frozenset[str], query_weight: float) -> dict[int, float]:
        """Lexical scores of enough phrasings to hold the FUZZY_CANDIDATES best ones.

        A phrasing of weight P sharing terms of weight w with the question scores
        (w / Q) * (w / P) <= min(w, P)^2 / (Q * P), Q the question's weight. So,
        for a bound b, only phrasings with P between b * Q and w^2 / (b * Q) can
        reach it; and a phrasing found through a light term alone (none of the
        question's heavier terms) has a small w, hence a narrow window. The
        search lowers b until FUZZY_CANDIDATES phrasings reach it, reading each
        term's postings only inside its window: common terms ("jet", "what")
        cost a slice, not their whole postings, and the result is the same as
        scoring every phrasing (of those scoring at least MIN_BOUND).
        """
        known = sorted(((self.weights[t], t) for t in terms if t in self.weights), reverse=True)
        if not known:
            return {}
        query_weights = {term: weight for weight, term in known}
        # rest[i]: the most weight a phrasing holding none of known[:i] can share.
        rest = list(accumulate(weight for weight, _ in reversed(known)))[::-1]
        lexical: dict[int, float] = {}
        scanned = [(0, 0)] * len(known)
        bound = FIRST_BOUND
        while True:
            floor = bound * query_weight
            low = bisect_left(self.phrasing_weights, floor)
            for i, (_, term) in enumerate(known):
                if floor > rest[i]:
                    break
                high = bisect_right(self.phrasing_weights, rest[i] ** 2 / floor)
                self.read_postings(
                    term, low, high, scanned[i], (query_weights, query_weight), lexical
                )
                scanned[i] = (low, high)
            if bound <= MIN_BOUND or sum(map(bound.__le__, lexical.values())) >= FUZZY_CANDIDATES:
                return lexical
            # Step down, but never below a floor already proven: the FUZZY_CANDIDATES-th
            # best score found so far, which the true one cannot be under.
            floor_score = (
                largest(((n, s) for n, s in lexical.items()), FUZZY_CANDIDATES)[-1][1]
                if len(lexical) >= FUZZY_CANDIDATES
                else 0.0
            )
            bound = max(floor_score, bound * BOUND_STEP, MIN_BOUND)

    def read_postings(
        self,
        term: str,
        low: int,
        high: int,
        done: tuple[int, int],
        query: tuple[dict[str, float], float],
        lexical: dict[int, float],
    ) -> None:
        """Score the phrasings numbered low..high-1 holding ``term`` not read before.

        ``query``: the weights of the question's known terms, and its whole weight.
        """
        query_weights, query_weight = query
        query_terms = query_weights.keys()
        weight_of = query_weights.__getitem__
        phrasings = self.phrasings
        postings = self.postings.get(term, [])
        ranges = ((low, high),) if done == (0, 0) else ((low, done[0]), (done[1], high))
        for start, stop in ranges:
            if start >= stop:
                continue
            for number in postings[bisect_left(postings, start) : bisect_left(postings, stop)]:
                if number in lexical:
                    continue
                phrasing = phrasings[number]
                shared = sum(map(weight_of, query_terms & phrasing.terms))
                lexical[number] = (shared / query_weight) ** QUERY_EXPONENT * (
                    shared / phrasing.weight
                ) ** PHRASING_EXPONENT

    def match(self, text: str) -> Match:
        """Answer, offer choices, or fall back, for one question."""
        return self.decide(self.rank(text))

    def decide(self, ranked: list[tuple[Topic, float]]) -> Match:
        """Turn a ranking into an answer, "did you mean" choices, or the fallback."""
        if not ranked:
            return Match(Outcome.FALLBACK, 0.0)
        top, score = ranked[0]
        rival, rival_score = ranked[1] if len(ranked) > 1 else (None, 0.0)
        clear = score - rival_score >= AMBIGUITY_MARGIN or (
            rival is not None and rival.is_smalltalk
        )
        if score >= self.answer_threshold and (clear or top.is_smalltalk):
            outcome = Outcome.SMALLTALK if top.is_smalltalk else Outcome.ANSWER
            return Match(outcome, score, topic=top, best_guess=top)
        choices = tuple(
            topic for topic, s in ranked if s >= self.suggest_threshold and not topic.is_smalltalk
        )[:MAX_SUGGESTIONS]
        if choices and score >= self.suggest_threshold:
            return Match(Outcome.SUGGEST, score, suggestions=choices, best_guess=top)
        return Match(Outcome.FALLBACK, score, best_guess=top)
