"""Turn free text into the terms the matcher compares.

Applicants type casually: mixed case, emoji, typos, abbreviations and long forms
("ALT" / "assistant language teacher"). Both the knowledge base phrasings and
the questions go through the same Analyzer, so that they meet in one vocabulary.
"""

from __future__ import annotations

import gzip
import importlib.util
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import snowballstemmer
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

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
    even ever honestly literally basically totally seriously lol haha
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
        # Non-native word order: "alt job do what", "cir do which things".
        "what",
        "which",
    }
)
DO_TERM = "do"
REPAIR_CACHE_SIZE = 65536

_stemmer = snowballstemmer.stemmer("english")


# Bounded: every distinct word anyone ever types passes through here.
@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return str(_stemmer.stemWord(word))


class EnglishWords:
    """Whether a word is ordinary English: a typo is repaired only when it is not.

    Without this, "contract" would be "repaired" to "contact" and an out-of-scope
    question would get a confident wrong answer. The list is pyspellchecker's
    English frequency file, whose keys are sorted: it is decompressed on first
    use and searched in place, which costs a few milliseconds instead of the
    ~100 ms and ~20 MiB of parsing it into a SpellChecker.
    """

    def __init__(self, data: bytes | None = None) -> None:
        self._data = data
        self._answers: dict[str, bool] = {}

    def _lines(self) -> bytes:
        if self._data is None:
            self._data = _load_word_file()
        return self._data

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        known = self._answers.get(word)
        if known is None:
            known = _sorted_lines_contain(self._lines(), word.encode())
            if len(self._answers) >= REPAIR_CACHE_SIZE:
                self._answers.clear()
            self._answers[word] = known
        return known


def _load_word_file() -> bytes:
    spec = importlib.util.find_spec("spellchecker")
    if spec is None or spec.origin is None:
        raise RuntimeError("pyspellchecker is not installed")
    path = Path(spec.origin).parent / "resources" / "en.json.gz"
    return gzip.decompress(path.read_bytes())


def _sorted_lines_contain(data: bytes, key: bytes) -> bool:
    """Binary search in a JSON object written one sorted ``"word": count,`` per line."""
    low, high = 0, len(data)
    while low < high:
        middle = (low + high) // 2
        start = data.rfind(b"\n", 0, middle) + 1
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        line = data[start:end]
        if not line.startswith(b'"'):
            # The opening or closing brace: everything real lies after / before it.
            if line.startswith(b"{"):
                low = end + 1
            else:
                high = start
            continue
        found = line[1 : line.rfind(b'"')]
        if found == key:
            return True
        if found < key:
            low = end + 1
        else:
            high = start
    return False


@cache
def english_words() -> EnglishWords:
    """The shared English word check (loaded on first use)."""
    return EnglishWords()


def simplify(text: str) -> str:
    """Unicode-normalise, fold case and drop apostrophes ("What's" -> "whats")."""
    return APOSTROPHES.sub("", unicodedata.normalize("NFKC", text).casefold())


def printable(text: str) -> str:
    """One line without control characters (a null byte, say): the text goes into
    Telegram messages, YAML files and logs."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def printable_lines(text: str) -> str:
    """``printable`` line by line: a question or an answer keeps its paragraphs."""
    return "\n".join(printable(line) for line in text.strip().splitlines()).strip()


def as_written(text: str) -> str:
    """Text kept as its author wrote it, spacing and line breaks included, but control
    characters (a null byte, say) become spaces: a reminder, a broadcast."""
    return "".join(c if c.isprintable() or c == "\n" else " " for c in text).strip()


def words(text: str) -> list[str]:
    return TOKEN.findall(simplify(text))


# How applicants text: each short form is read as the words it stands for, in
# questions and phrasings alike ("wat r the steps" -> "what are the steps").
TEXTING_FORMS = """
    u=you ya=you ur=your r=are n=and nd=and w=with pls=please plz=please plx=please
    plss=please pleasee=please wat=what wut=what wht=what whta=what wot=what whatt=what
    wats=what_is wuts=what_is hw=how wen=when whn=when wer=where whr=where wich=which
    b4=before bfore=before abt=about bout=about ppl=people smth=something sth=something
    thx=thanks thnx=thanks thanx=thanks tnx=thanks cuz=because coz=because bc=because
    bcoz=because bcz=because tho=though gonna=going_to wanna=want_to gotta=got_to
    tryna=trying_to lemme=let_me gimme=give_me dunno=do_not_know ive=i_have uni=university
    govt=government gov=government intl=international yr=year yrs=years mo=month
    mos=months wk=week wks=weeks hr=hour hrs=hours mins=minutes jp=japan jpn=japan
    qs=questions ques=question
"""
TEXTING: dict[str, tuple[str, ...]] = {
    short: tuple(long.split("_"))
    for short, long in (pair.split("=") for pair in TEXTING_FORMS.split())
}
# "how 2 apply", "is it ok 4 me": digits read as words only before words that
# cannot be counted, so "2 SEAs" and "4 countries" stay numbers.
DIGIT_WORDS = {"2": "to", "4": "for"}
AFTER_DIGIT_WORD = frozenset(
    "apply be get go do know become join ask work teach find contact me you u the a an "
    "it them this that".split()
)
# "were do the interviews take place": "were" opening a question is "where".
WHERE_MISTYPED = frozenset({"were", "wher", "whre"})
AUXILIARIES = frozenset("do does did is are can will would should could".split())


def normalise_tokens(tokens: list[str]) -> list[str]:
    """Texting forms and short forms to the words they stand for."""
    out: list[str] = []
    for i, token in enumerate(tokens):
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if token in DIGIT_WORDS and following in AFTER_DIGIT_WORD:
            out.append(DIGIT_WORDS[token])
        elif token in WHERE_MISTYPED and not out and following in AUXILIARIES:
            out.append("where")
        else:
            out.extend(TEXTING.get(token, (token,)))
    return out


# Symbols that carry what a question asks ("what % get in", "how many $"): words
# survive tokenising, the symbols do not.
SYMBOL_WORDS = str.maketrans(
    {"%": " percent ", "$": " dollars ", "\u00a3": " pounds ", "\u20ac": " euros ",
     "\u00a5": " yen "}
)  # fmt: skip


def plain_words(text: str) -> str:
    """Lowercase words, symbols and texting forms spelled out: the text rules read."""
    return " ".join(normalise_tokens(words(text.translate(SYMBOL_WORDS))))


# The terms question words become (stemmed: "why" -> "whi"), and "do" as a main verb.
QUESTION_TERMS = frozenset({*(stem(word) for word in QUESTION_WORDS), DO_TERM})


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
        # Per first stem, the longest phrase starting with it: most words start none.
        self.longest_from: dict[str, int] = {}
        for phrase in self.phrases:
            self.longest_from[phrase[0]] = max(self.longest_from.get(phrase[0], 0), len(phrase))
        synonym_words = {w for v in synonyms.values() for text in v for w in words(text)}
        clean = {w for text in reference for w in words(text)} | synonym_words
        self.vocabulary = frozenset(clean)
        self.repairable = tuple(sorted(w for w in clean if len(w) >= 4 and w.isalpha()))
        self.known = frozenset(w for text in vocabulary for w in words(text)) | clean
        self.repairs: dict[str, str | None] = {}
        self.windows: dict[tuple[int, int], tuple[str, ...]] = {}

    def repair(self, word: str) -> str | None:
        """The knowledge-base word a misspelt one stands for, if there is exactly one close."""
        if word in self.repairs:
            return self.repairs[word]
        fixed = None
        if len(word) >= 4 and word.isascii() and word.isalpha():
            candidate = self.closest(word)
            # A candidate with the word's own stem changes no term, so only a real
            # change needs the English check (and the word list it loads).
            if candidate is not None and (
                stem(candidate) == stem(word) or word not in english_words()
            ):
                fixed = candidate
        if len(self.repairs) >= REPAIR_CACHE_SIZE:
            self.repairs.clear()
        self.repairs[word] = fixed
        return fixed

    def closest(self, word: str) -> str | None:
        limit = 1 if len(word) <= 6 else 2
        found = process.extractOne(
            word, self.of_length(len(word), limit), scorer=Levenshtein.distance, score_cutoff=limit
        )
        if found is not None:
            return str(found[0])
        # Transposed letters ("interveiw") cost two edits but read as one slip.
        # fuzz.ratio is at most 2 * shorter / (sum of lengths): 88 needs close lengths.
        spread = max(d for d in range(len(word)) if 200 * len(word) >= 88 * (2 * len(word) + d))
        close = process.extractOne(
            word, self.of_length(len(word), spread), scorer=fuzz.ratio, score_cutoff=88
        )
        return str(close[0]) if close else None

    def of_length(self, length: int, spread: int) -> tuple[str, ...]:
        """The repair targets within ``spread`` letters of a length, in the usual order.

        Words further apart in length cannot be within the edit limit, so leaving
        them out changes no result and saves most of the comparisons.
        """
        key = (length, spread)
        if key not in self.windows:
            self.windows[key] = tuple(w for w in self.repairable if abs(len(w) - length) <= spread)
        return self.windows[key]

    def analyse(self, text: str) -> Analysis:
        names = proper_nouns(text)
        unknown: list[str] = []
        surfaces: list[str] = []
        for token in normalise_tokens(words(text)):
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
            longest = min(self.longest_from.get(stems[i], 0), len(stems) - i)
            for size in range(longest, 0, -1):
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
