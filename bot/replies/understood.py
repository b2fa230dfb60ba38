"""The reply to a free-text message, from what the bot understood of it."""

from __future__ import annotations

from html import escape

from bot.analysis import Intent
from bot.knowledge import KnowledgeBase, Topic
from bot.needs import Need
from bot.replies import HELP_TEXT, Reply
from bot.replies.questions import (
    answer_reply,
    did_you_mean,
    fallback_reply,
    link_buttons,
    menu_buttons,
    topic_text,
    vote_buttons,
)
from bot.understanding import Kind, Understanding

GREETING = "Hi! "
NEEDS = {
    Need.AMOUNT: "an amount",
    Need.DATE: "a date",
    Need.TIME: "a time",
    Need.DURATION: "how long it takes",
    Need.RATE: "a rate",
    Need.COUNT: "a number",
    Need.LIST: "a list",
    Need.PHONE: "a phone number",
    Need.ADDRESS: "an address",
    Need.EMAIL: "an email address",
    Need.FIGURE: "that figure",
    Need.DETAIL: "that detail",
}
ASK_THE_EMBASSY = (
    "For that, please ask the Embassy (or Consulate) of Japan in your country of citizenship."
)
INTENTS = {
    Intent.OK: "👍 Anything else about the JET Programme? Just ask.",
    Intent.YES: "Go ahead: what would you like to know about the JET Programme?",
    Intent.NO: "No problem. If another question comes up, just ask.",
}
ENGLISH_ONLY = "Sorry, I can only read English for now. Please write your question in English."
# The same, in the languages the bot can recognise and say it in.
ENGLISH_ONLY_IN = {
    "ja": (
        "申し訳ありませんが、今のところ英語の質問にしかお答えできません。英語で質問してください。"
    ),
    "zh": "抱歉\uff0c我目前只能读懂英文。请用英文提问。",  # \uff0c: the Chinese comma
    "ko": "죄송하지만 지금은 영어로 된 질문만 이해할 수 있습니다. 영어로 질문해 주세요.",
    "es": "Lo siento, por ahora solo entiendo inglés. Por favor, escribe tu pregunta en inglés.",
    "fr": (
        "Désolé, pour l'instant je ne lis que l'anglais. Merci d'écrire votre question en anglais."
    ),
    "de": (
        "Entschuldigung, ich verstehe vorerst nur Englisch. "
        "Bitte stellen Sie Ihre Frage auf Englisch."
    ),
}


def understood_reply(kb: KnowledgeBase, understood: Understanding) -> Reply:
    """Words and buttons for whatever the bot made of a message."""
    kind = understood.kind
    if kind is Kind.ANSWER:
        return answers_reply(kb, understood)
    if kind is Kind.SUGGEST:
        return did_you_mean(tuple(kb.topics[t] for t in understood.suggestions if t in kb.topics))
    if kind is Kind.PARTIAL and understood.suggestions and understood.suggestions[0] in kb.topics:
        return partial_reply(kb, kb.topics[understood.suggestions[0]], understood.missing)
    if kind is Kind.SMALLTALK and understood.topics and understood.topics[0] in kb.topics:
        return Reply(escape(kb.topics[understood.topics[0]].answer))
    if kind is Kind.INTENT and understood.intent is not None:
        return intent_reply(understood.intent)
    if kind is Kind.NOT_ENGLISH:
        return not_english_reply(understood.language)
    return fallback_reply(kb)


def answers_reply(kb: KnowledgeBase, understood: Understanding) -> Reply:
    """One answer per question asked; what could not be answered is said plainly."""
    topics = [kb.topics[t] for t in dict.fromkeys(understood.topics) if t in kb.topics]
    if not topics:
        return fallback_reply(kb)
    first = answer_reply(kb, topics[0])
    text = (GREETING if understood.greeting else "") + first.text
    for other in topics[1:]:
        text += "\n\n" + topic_text(other)
    if understood.missing:
        text += "\n\n" + not_stated(understood.missing)
    if len(topics) == 1:
        return Reply(text, first.buttons)
    links = tuple(row for topic in topics for row in link_buttons(topic))
    return Reply(text, (*links, vote_buttons(topics[0])))


def not_stated(missing: tuple[Need, ...]) -> str:
    asked = [NEEDS[need] for need in dict.fromkeys(missing) if need in NEEDS]
    what = " or ".join(asked) if asked else "that"
    return (
        f"<i>The official information does not give {escape(what)}. {escape(ASK_THE_EMBASSY)}</i>"
    )


def partial_reply(kb: KnowledgeBase, topic: Topic, missing: tuple[Need, ...]) -> Reply:
    """What the official information says about the subject, and what it does not."""
    asked = [NEEDS[need] for need in dict.fromkeys(missing) if need in NEEDS]
    if asked:
        lead = f"The official information does not give {' or '.join(asked)} for that."
    else:
        lead = "The official information does not cover that."
    text = (
        f"{escape(lead)} Here is what it does say:\n\n{topic_text(topic)}\n\n"
        f"{escape(ASK_THE_EMBASSY)}"
    )
    return Reply(text, answer_reply(kb, topic).buttons)


def intent_reply(intent: Intent) -> Reply:
    if intent in (Intent.HELP, Intent.CAPABILITIES):
        return Reply(HELP_TEXT, menu_buttons())
    return Reply(escape(INTENTS[intent]))


def not_english_reply(language: str | None) -> Reply:
    translated = ENGLISH_ONLY_IN.get(language or "")
    text = ENGLISH_ONLY if translated is None else f"{ENGLISH_ONLY}\n\n{translated}"
    return Reply(escape(text))
