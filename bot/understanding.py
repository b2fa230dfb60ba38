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

Each question is decided in bot/question_decision.py, where Kind and Part live;
its public names are importable from here. This module reads the message and puts
its parts together.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.analysis import Intent, Message, detect_language, read_message
from bot.answers import Snapshot
from bot.context import Context
from bot.followup import introduced_subject
from bot.lexicon import Lexicon, lexicon
from bot.needs import Need
from bot.question_decision import Kind, Part, _Question

MAX_QUESTIONS = 4

__all__ = [
    "MAX_QUESTIONS",
    "Context",
    "Intent",
    "Kind",
    "Need",
    "Part",
    "Understanding",
    "context_for",
    "understand",
]


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
