"""Turn free text into the terms the matcher compares.

Applicants type casually: mixed case, emoji, typos, abbreviations and long forms
("ALT" / "assistant language teacher"). Both the knowledge base phrasings and
the questions go through the same Analyzer, so that they meet in one vocabulary.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache

import snowballstemmer
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein
from spellchecker import SpellChecker

# Latin words (with digits) or runs of any other script, so that "JETプログラム"
# becomes two tokens rather than one unknown blob.
TOKEN = re.compile(r"[a-z0-9]+|[^\W\da-z_]+")
APOSTROPHES = re.compile("['\u2019\u2018`\u00b4]")

# Filler that carries no topic: ordinary stopwords plus what applicants wrap
# their questions in ("hi, I was wondering, could you tell me..."). Question
# words, "both", "before", "after" and "not" are kept: they decide topics.
STOPWORDS = frozenset(
    """
    a an the and or but if so of to in on at by for from with about as into onto than then
    is am are was were be been being this that these those there here it its it's
    i me my mine myself we us our you your yours he him his she her they them their
    have has had having get gets got getting
    can could would should will shall may might must
    please pls plz just really actually exactly basically like any anything some
    something someone anyone thing things stuff kind kinds sort sorts type types
    know tell told let wonder wondering wondered want wanted wanna need curious question questions
    quick okay um uh also too very much lot lots bit more most such own
    im ive id dont doesnt didnt cant couldnt wont wouldnt isnt arent wasnt whats hows wheres
    whos whens whys thats theres youre theyre
    explain describe info information details detail say says said mean means
    """.split()
)
QUESTION_WORDS = frozenset({"what", "who", "when", "where", "why", "how", "which", "whom"})
DO_FORMS = frozenset({"do", "does", "did", "doing"})
# "do" is the main verb ("what does a CIR do", "what do ALTs do all day") when it
# ends the clause or is followed by one of these; otherwise it is an auxiliary.
MAIN_VERB_FOLLOWERS = frozenset(
    {
        "all",
        "every",
        "each",
        "day",
        "daily",
        "as",
        "at",
        "in",
        "on",
        "there",
        "exactly",
        "during",
        "when",
        "while",
        "for",
        "with",
        "and",
        "everyday",
        "typically",
        "usually",
    }
)
DO_TERM = "do"
REPAIR_CACHE_SIZE = 65536

_stemmer = snowballstemmer.stemmer("english")


# Bounded: every distinct word anyone ever types passes through here.
@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return str(_stemmer.stemWord(word))


@cache
def english_words() -> frozenset[str]:
    """Words of ordinary English: a typo is repaired only when it is not one of them.

    Without this, "contract" would be "repaired" to "contact" and an out-of-scope
    question would get a confident wrong answer.
    """
    return frozenset(SpellChecker().word_frequency.dictionary)


def simplify(text: str) -> str:
    """Unicode-normalise, fold case and drop apostrophes ("What's" -> "whats")."""
    return APOSTROPHES.sub("", unicodedata.normalize("NFKC", text).casefold())


def words(text: str) -> list[str]:
    return TOKEN.findall(simplify(text))


NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+\b")


def proper_nouns(text: str) -> frozenset[str]:
    """Capitalised words that do not start a sentence: places and names, mostly."""
    return frozenset(simplify(w) for w in NAME.findall(text.strip()))


SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\s+[-\u2013\u2014]\s+|\n+")
QUESTION_START = frozenset(
    "what who when where why how which can could do does did is are am will would should "
    "may might was were have has".split()
)


def question_sentences(text: str) -> list[str]:
    """The sentences of a message that ask something, when it has more than one.

    Applicants often open with context ("Hi! I'm a teacher in Canada.") before the
    question; matching the question alone keeps the context from diluting it.
    """
    sentences = [s.strip() for s in SENTENCE_END.split(text) if s and s.strip()]
    if len(sentences) < 2:
        return []
    return [
        s for s in sentences if s.endswith("?") or (words(s)[:1] and words(s)[0] in QUESTION_START)
    ]


@dataclass(frozen=True, slots=True)
class Analysis:
    terms: tuple[str, ...]
    unknown: tuple[str, ...]


class Analyzer:
    """Text to terms: tokens, typo repair, stems, synonyms, stopwords."""

    def __init__(
        self,
        synonyms: Mapping[str, Iterable[str]],
        vocabulary: Iterable[str],
        reference: Iterable[str] = (),
    ) -> None:
        """``vocabulary``: text whose words are known; ``reference``: carefully written text
        (titles, answers, keywords) whose words are the only targets of typo repair, so a
        deliberate misspelling among the phrasings is itself repaired, not a target."""
        self.phrases: dict[tuple[str, ...], str] = {}
        for canonical, variants in synonyms.items():
            for variant in (canonical, *variants):
                stems = tuple(stem(w) for w in words(variant))
                if stems:
                    self.phrases[stems] = canonical
        self.longest = max((len(p) for p in self.phrases), default=1)
        synonym_words = {w for v in synonyms.values() for text in v for w in words(text)}
        clean = {w for text in reference for w in words(text)} | synonym_words
        self.vocabulary = frozenset(clean)
        self.repairable = tuple(sorted(w for w in clean if len(w) >= 4 and w.isalpha()))
        self.known = frozenset(w for text in vocabulary for w in words(text)) | clean
        self.repairs: dict[str, str | None] = {}

    def repair(self, word: str) -> str | None:
        """The knowledge-base word a misspelt one stands for, if there is exactly one close."""
        if word in self.repairs:
            return self.repairs[word]
        fixed = None
        if len(word) >= 4 and word.isascii() and word.isalpha() and word not in english_words():
            limit = 1 if len(word) <= 6 else 2
            found = process.extractOne(
                word,
                self.repairable,
                scorer=Levenshtein.distance,
                score_cutoff=limit,
            )
            if found is not None:
                fixed = found[0]
            else:
                # Transposed letters ("interveiw") cost two edits but read as one slip.
                close = process.extractOne(
                    word, self.repairable, scorer=fuzz.ratio, score_cutoff=88
                )
                fixed = close[0] if close else None
        if len(self.repairs) >= REPAIR_CACHE_SIZE:
            self.repairs.clear()
        self.repairs[word] = fixed
        return fixed

    def analyse(self, text: str) -> Analysis:
        names = proper_nouns(text)
        unknown: list[str] = []
        surfaces: list[str] = []
        for token in words(text):
            if token not in self.vocabulary and token not in STOPWORDS:
                fixed = self.repair(token)
                if fixed is not None:
                    token = fixed
                elif token in names:
                    # "from Ireland", "the consulate in Chicago": context, not the question.
                    continue
                elif token not in self.known:
                    unknown.append(token)
            surfaces.append(token)
        stems = [stem(t) for t in surfaces]
        terms: list[str] = []
        i = 0
        while i < len(stems):
            for size in range(min(self.longest, len(stems) - i), 0, -1):
                canonical = self.phrases.get(tuple(stems[i : i + size]))
                if canonical is not None:
                    terms.append(canonical)
                    i += size
                    break
            else:
                surface = surfaces[i]
                if surface in DO_FORMS:
                    following = surfaces[i + 1] if i + 1 < len(surfaces) else None
                    if following is None or following in MAIN_VERB_FOLLOWERS:
                        terms.append(DO_TERM)
                elif surface not in STOPWORDS:
                    terms.append(stems[i])
                i += 1
        unknown_terms = tuple(
            t for t in dict.fromkeys(unknown) if t not in STOPWORDS and stem(t) in terms
        )
        return Analysis(terms=tuple(terms), unknown=unknown_terms)
