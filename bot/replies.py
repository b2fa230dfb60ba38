"""What the bot says, as transport-neutral text (Telegram HTML) and buttons.

Handlers turn a Reply into a Telegram message; the console prints the same Reply.
Every piece of text that comes from a user or the knowledge base is escaped here,
so nothing anyone types is ever interpreted as markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from bot.knowledge import KnowledgeBase, Topic
from bot.matcher import Match, Outcome

MESSAGE_LIMIT = 4096
# Telegram's callback_data holds at most 64 bytes.
CALLBACK_DATA_LIMIT = 64

ANSWER_TOPIC = "t"  # t:<topic id>      answer a topic in a new message
BROWSE = "b"  # b:<section>       show a browse menu in place
BROWSE_TOPIC = "bt"  # bt:<topic id>     show a topic in place, with Back
NONE_OF_THESE = "f"  # f:               none of the "did you mean" choices fit
VOTE = "fb"  # fb:<1|0>:<topic id> was the answer helpful


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    data: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Reply:
    text: str
    buttons: tuple[tuple[Button, ...], ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    label: str
    prefixes: tuple[str, ...]


SECTIONS = (
    Section("programme", "🗾 About JET", ("programme.", "contact.")),
    Section("positions", "🧑‍🏫 Positions", ("positions.",)),
    Section("duties", "📋 Duties", ("duties.",)),
    Section("selection", "🗓 Selection steps", ("selection.",)),
)
ASK_SECTION = "ask"
MAIN_MENU = "main"

HELP_TEXT = (
    "I answer questions about the JET Programme from its official information, and remind "
    "you of your dates in the selection process.\n\n"
    "• Type a question in your own words, e.g. <i>can I apply for both CIR and ALT?</i>\n"
    "• /start opens the menu to browse positions, duties and the selection steps.\n"
    "• /stage shows or sets your stage: /stage interview 2027-02-14 10:30\n"
    "• /remind 2027-02-14 09:00 Bring passport, or /remind in 90 minutes Call the embassy\n"
    "• /reminders lists yours; /cancel 12 cancels one\n"
    "• /timezone Europe/London sets your time zone\n"
    "• /mydata shows what I store about you; /forget deletes it\n\n"
    "If I don't know something, I'll tell you where to ask."
)
ASK_TEXT = (
    "Type your question in your own words and send it, e.g. <i>who reviews my application?</i>"
)
NON_TEXT = "I can only read text messages. Please type your question, or send /start for the menu."
UNKNOWN_COMMAND = "Sorry, I don't know that command. Send /help to see what I can do."
SOMETHING_WENT_WRONG = "Sorry, something went wrong on my side. Please try again in a moment."
DID_YOU_MEAN = "I'm not sure I understood. Did you mean one of these?"


def callback(kind: str, value: str) -> str:
    data = f"{kind}:{value}"
    if len(data.encode()) > CALLBACK_DATA_LIMIT:
        raise ValueError(f"callback data over {CALLBACK_DATA_LIMIT} bytes: {data!r}")
    return data


def parse_callback(data: str) -> tuple[str, str]:
    kind, _, value = data.partition(":")
    return kind, value


def topic_text(topic: Topic) -> str:
    return f"<b>{escape(topic.title)}</b>\n\n{escape(topic.answer)}"


def link_buttons(topic: Topic) -> tuple[tuple[Button, ...], ...]:
    return tuple((Button(link.title, url=link.url),) for link in topic.links)


def related_buttons(kb: KnowledgeBase, topic: Topic) -> tuple[tuple[Button, ...], ...]:
    return tuple(
        (Button(kb.topics[r].title, callback(ANSWER_TOPIC, r)),)
        for r in topic.related
        if r in kb.topics
    )


def vote_buttons(topic: Topic) -> tuple[Button, ...]:
    return (
        Button("👍 Helpful", callback(VOTE, f"1:{topic.id}")),
        Button("👎 Not helpful", callback(VOTE, f"0:{topic.id}")),
    )


def answer_reply(kb: KnowledgeBase, topic: Topic) -> Reply:
    """A topic's answer, with its links, its related topics as follow-ups, and a vote."""
    return Reply(
        topic_text(topic),
        (*link_buttons(topic), *related_buttons(kb, topic), vote_buttons(topic)),
    )


def match_reply(kb: KnowledgeBase, match: Match) -> Reply:
    """The reply to a free-text question, whatever the matcher made of it."""
    if match.outcome in (Outcome.ANSWER, Outcome.SMALLTALK) and match.topic is not None:
        if match.topic.is_smalltalk:
            return Reply(escape(match.topic.answer))
        return answer_reply(kb, match.topic)
    if match.outcome is Outcome.SUGGEST:
        rows = tuple(
            (Button(topic.title, callback(ANSWER_TOPIC, topic.id)),) for topic in match.suggestions
        )
        none = (Button("None of these", callback(NONE_OF_THESE, "")),)
        return Reply(DID_YOU_MEAN, (*rows, none))
    return fallback_reply(kb)


def fallback_reply(kb: KnowledgeBase) -> Reply:
    return Reply(escape(kb.fallback))


def main_menu(kb: KnowledgeBase) -> Reply:
    return Reply(escape(kb.welcome), menu_buttons())


def menu_buttons() -> tuple[tuple[Button, ...], ...]:
    labels = [Button(s.label, callback(BROWSE, s.key)) for s in SECTIONS]
    rows = tuple(tuple(labels[i : i + 2]) for i in range(0, len(labels), 2))
    return (*rows, (Button("❓ Ask a question", callback(BROWSE, ASK_SECTION)),))


def back_button(to: str) -> tuple[Button, ...]:
    return (Button("⬅️ Back", callback(BROWSE, to)),)


def section_of(topic: Topic) -> Section | None:
    return next((s for s in SECTIONS if topic.id.startswith(s.prefixes)), None)


def browse_reply(kb: KnowledgeBase, key: str) -> Reply | None:
    """A browse menu, shown by editing the menu message in place."""
    if key == MAIN_MENU:
        return main_menu(kb)
    if key == ASK_SECTION:
        return Reply(ASK_TEXT, (back_button(MAIN_MENU),))
    section = next((s for s in SECTIONS if s.key == key), None)
    if section is None:
        return None
    topics = [t for t in kb.topics.values() if t.id.startswith(section.prefixes)]
    rows = tuple((Button(t.title, callback(BROWSE_TOPIC, t.id)),) for t in topics)
    return Reply(f"<b>{escape(section.label)}</b>", (*rows, back_button(MAIN_MENU)))


def browse_topic_reply(kb: KnowledgeBase, topic: Topic) -> Reply:
    section = section_of(topic)
    back = back_button(section.key if section else MAIN_MENU)
    return Reply(topic_text(topic), (*link_buttons(topic), back))


def split_text(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split a long message into parts within limit, at a paragraph, line or word boundary.

    Never cuts inside an HTML entity or tag, since Telegram rejects a part whose
    markup does not parse.
    """
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[:limit]
        cut = next(
            (c for c in (window.rfind(sep) for sep in ("\n\n", "\n", " ")) if c >= limit // 2),
            limit,
        )
        for opener, closer in (("&", ";"), ("<", ">")):
            start = window.rfind(opener, 0, cut)
            if start != -1 and window.find(closer, start, cut) == -1:
                cut = min(cut, start)
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest or not parts:
        parts.append(rest)
    return parts
