"""Answers, "did you mean" choices, the fallback, and the browse menus."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from bot.knowledge import KnowledgeBase, Topic
from bot.matcher import Match, Outcome
from bot.replies import Button, Reply, button
from bot.replies.buttons import AnswerTopic, Browse, BrowseTopic, NoneOfThese, OpenStage, Vote

DID_YOU_MEAN = "I'm not sure I understood. Did you mean one of these?"
ASK_TEXT = (
    "Type your question in your own words and send it, e.g. <i>who reviews my application?</i>"
)
GONE = "Sorry, that answer is no longer available. Try asking again."
MENU_GONE = "That menu is no longer available."
THANKS_FOR_VOTING = "Thanks for the feedback!"


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


def topic_text(topic: Topic) -> str:
    return f"<b>{escape(topic.title)}</b>\n\n{escape(topic.answer)}"


def link_buttons(topic: Topic) -> tuple[tuple[Button, ...], ...]:
    return tuple((Button(link.title, url=link.url),) for link in topic.links)


def related_buttons(kb: KnowledgeBase, topic: Topic) -> tuple[tuple[Button, ...], ...]:
    return tuple(
        (button(kb.topics[r].title, AnswerTopic(r)),) for r in topic.related if r in kb.topics
    )


def vote_buttons(topic: Topic) -> tuple[Button, ...]:
    return (
        button("👍 Helpful", Vote(True, topic.id)),
        button("👎 Not helpful", Vote(False, topic.id)),
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
        return did_you_mean(match.suggestions)
    return fallback_reply(kb)


def did_you_mean(topics: tuple[Topic, ...]) -> Reply:
    rows = tuple((button(topic.title, AnswerTopic(topic.id)),) for topic in topics)
    return Reply(DID_YOU_MEAN, (*rows, (button("None of these", NoneOfThese()),)))


def fallback_reply(kb: KnowledgeBase) -> Reply:
    return Reply(escape(kb.fallback))


# What the knowledge base's welcome does not say: the tracking half of the bot.
TRACKING_INTRO = (
    "I can also keep track of where you are in the selection process: tell me your "
    "<b>stage</b> and its date (/stage), and I'll send <b>reminders</b> before it, and any "
    "you set yourself (/remind tomorrow 9am Call the embassy). Dates are read in your "
    "<b>time zone</b>: set it with /timezone London (or Tokyo, UTC+9…). All commands are "
    "in the Menu button next to the text field."
)


def main_menu(kb: KnowledgeBase) -> Reply:
    """/start: the welcome, what tracking offers, and the menu buttons it speaks of."""
    return Reply(f"{escape(kb.welcome.rstrip())}\n\n{TRACKING_INTRO}", menu_buttons())


def menu_buttons() -> tuple[tuple[Button, ...], ...]:
    labels = [button(s.label, Browse(s.key)) for s in SECTIONS]
    rows = tuple(tuple(labels[i : i + 2]) for i in range(0, len(labels), 2))
    return (
        *rows,
        (
            button("📅 Set my stage", OpenStage()),
            button("❓ Ask a question", Browse(ASK_SECTION)),
        ),
    )


def back_button(to: str) -> tuple[Button, ...]:
    return (button("⬅️ Back", Browse(to)),)


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
    rows = tuple((button(t.title, BrowseTopic(t.id)),) for t in topics)
    return Reply(f"<b>{escape(section.label)}</b>", (*rows, back_button(MAIN_MENU)))


def browse_topic_reply(kb: KnowledgeBase, topic: Topic) -> Reply:
    section = section_of(topic)
    back = back_button(section.key if section else MAIN_MENU)
    return Reply(topic_text(topic), (*link_buttons(topic), back))


def without_votes(buttons: tuple[tuple[Button, ...], ...]) -> tuple[tuple[Button, ...], ...]:
    """The same keyboard once a vote is in: the vote buttons go."""
    rows = (tuple(b for b in row if Vote.decode(b.data) is None) for row in buttons)
    return tuple(row for row in rows if row)
