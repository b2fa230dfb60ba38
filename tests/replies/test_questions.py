from __future__ import annotations

import re

import pytest

from bot.knowledge import KnowledgeBase, load_knowledge
from bot.matcher import Match, Outcome
from bot.replies import MESSAGE_LIMIT, Button, split_text, visible_length
from bot.replies.buttons import BrowseTopic
from bot.replies.questions import (
    DID_YOU_MEAN,
    SECTIONS,
    Section,
    answer_reply,
    browse_reply,
    browse_topic_reply,
    match_reply,
)
from tests.conftest import WriteKb, minimal_kb_files

MARKUP_TOPIC = """\
    topics:
      - id: markup.topic
        title: Tags <i>here</i>
        questions: [a question about markup]
        answer: "<b>x</b> & y"
      - id: smalltalk.markup
        title: Markup small talk
        questions: [small talk markup]
        answer: "Hi <there> & welcome"
    """


@pytest.fixture
def kb(write_kb: WriteKb) -> KnowledgeBase:
    return load_knowledge(write_kb({**minimal_kb_files(), "markup.yaml": MARKUP_TOPIC}))


def flat(reply_buttons: tuple[tuple[Button, ...], ...]) -> list[Button]:
    return [button for row in reply_buttons for button in row]


# -- split_text -------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "short", "x" * MESSAGE_LIMIT, "a b\n\nc"])
def test_split_text_short_text_is_one_part(text: str) -> None:
    assert split_text(text) == [text]


@pytest.mark.parametrize("limit", [20, 50, 100, 4096])
@pytest.mark.parametrize(
    "text",
    [
        "word " * 3000,
        "a line of text\n" * 1000,
        "a paragraph of text that goes on.\n\n" * 500,
        "x" * 10000,
        "&amp;" * 3000,
        "Q &amp; A &lt;b&gt; " * 700,
        "naïve café 日本語 🎌 " * 800,
    ],
    ids=["words", "lines", "paragraphs", "no-spaces", "entities", "mixed", "unicode"],
)
def test_split_text_parts_fit_the_limit(text: str, limit: int) -> None:
    parts = split_text(text, limit)
    assert all(0 < visible_length(part) <= limit for part in parts)
    assert re.sub(r"\s+", "", "".join(parts)) == re.sub(r"\s+", "", text)


def test_split_text_counts_what_telegram_shows() -> None:
    """Escaped characters count once: a listing full of them is not cut needlessly."""
    assert len(split_text("&amp;" * 3000)) == 1
    assert len(split_text("🎌" * 2500)) == 2, "an emoji is two UTF-16 units"


def test_split_text_at_paragraphs() -> None:
    paragraphs = ["a" * 30, "b" * 30, "c" * 30]
    assert split_text("\n\n".join(paragraphs), 70) == ["a" * 30 + "\n\n" + "b" * 30, "c" * 30]


def test_split_text_at_lines() -> None:
    lines = ["a" * 30, "b" * 30, "c" * 30]
    assert split_text("\n".join(lines), 70) == ["a" * 30 + "\n" + "b" * 30, "c" * 30]


def test_split_text_at_words() -> None:
    text = " ".join(["word"] * 30)
    parts = split_text(text, 42)
    assert all(re.fullmatch(r"word( word)*", part) for part in parts)
    assert " ".join(parts) == text


def test_split_text_prefers_a_paragraph_break() -> None:
    """A paragraph break in the second half of the window beats a later line break."""
    text = "a" * 40 + "\n\n" + "b" * 10 + "\n" + "c" * 10 + "\n" + "d" * 60
    assert split_text(text, 80)[0] == "a" * 40


@pytest.mark.parametrize("limit", [20, 23, 31, 57, 100])
@pytest.mark.parametrize("prefix", ["", "x", "xyz", "x" * 19])
def test_split_text_never_cuts_an_entity(limit: int, prefix: str) -> None:
    text = prefix + "&amp;&lt;&#39;&quot;" * 200
    for part in split_text(text, limit):
        assert "&" not in re.sub(r"&(#\d+|\w+);", "", part), part
    assert "".join(split_text(text, limit)) == text


def test_split_text_backs_off_to_the_start_of_an_entity() -> None:
    text = "x" * 10 + " " + "y" * 85 + "&amp;" + "z" * 10
    assert split_text(text, 97) == ["x" * 10 + " " + "y" * 85, "&amp;" + "z" * 10]


def test_split_text_never_cuts_inside_a_tag() -> None:
    text = "x" * 60 + ' <a href="http://www.jetprogramme.org">the official site</a> end'
    for part in split_text(text, 80):
        assert part.count("<") == part.count(">"), part


# -- replies -------------------------------------------------------------------


def test_match_reply_escapes_markup_in_answers(kb: KnowledgeBase) -> None:
    topic = kb.topics["markup.topic"]
    reply = match_reply(kb, Match(Outcome.ANSWER, 90.0, topic=topic, best_guess=topic))
    assert reply.text == "<b>Tags &lt;i&gt;here&lt;/i&gt;</b>\n\n&lt;b&gt;x&lt;/b&gt; &amp; y"


def test_match_reply_escapes_smalltalk(kb: KnowledgeBase) -> None:
    topic = kb.topics["smalltalk.markup"]
    reply = match_reply(kb, Match(Outcome.SMALLTALK, 90.0, topic=topic, best_guess=topic))
    assert reply.text == "Hi &lt;there&gt; &amp; welcome"
    assert reply.buttons == ()


def test_match_reply_suggest(kb: KnowledgeBase) -> None:
    choices = (kb.topics["roles.alt"], kb.topics["roles.cir"])
    reply = match_reply(kb, Match(Outcome.SUGGEST, 42.0, suggestions=choices))
    assert reply.text == DID_YOU_MEAN
    assert reply.buttons[:2] == (
        (Button("What an ALT is", "t:roles.alt"),),
        (Button("What a CIR is", "t:roles.cir"),),
    )
    assert all(not button.data.startswith("t:") for button in flat(reply.buttons[2:]))


def test_match_reply_fallback(write_kb: WriteKb) -> None:
    files = minimal_kb_files()
    files["messages.yaml"] = files["messages.yaml"].replace("Sorry,", "Sorry <b>&</b>")
    kb = load_knowledge(write_kb(files))
    reply = match_reply(kb, Match(Outcome.FALLBACK, 12.0))
    assert reply.text == "Sorry &lt;b&gt;&amp;&lt;/b&gt; I don&#x27;t know that one."
    assert reply.buttons == ()


def test_answer_reply_has_link_and_related_buttons(kb: KnowledgeBase) -> None:
    reply = answer_reply(kb, kb.topics["roles.alt"])
    assert reply.text.startswith("<b>What an ALT is</b>\n\n")
    assert reply.buttons == (
        (Button("Official site", url="https://example.org/alt"),),
        (Button("What a CIR is", "t:roles.cir"),),
        (Button("How to apply", "t:steps.apply"),),
        (Button("👍 Helpful", "fb:1:roles.alt"), Button("👎 Not helpful", "fb:0:roles.alt")),
    )


def test_every_shipped_topic_has_a_reply(shipped_kb: KnowledgeBase) -> None:
    for topic in shipped_kb.topics.values():
        reply = answer_reply(shipped_kb, topic)
        buttons = flat(reply.buttons)
        related = [b for b in buttons if b.data is not None and b.data.startswith("t:")]
        assert [b.data for b in related] == [f"t:{r}" for r in topic.related]
        assert [b.url for b in buttons if b.url is not None] == [lk.url for lk in topic.links]
        browse_topic_reply(shipped_kb, topic)


@pytest.mark.parametrize("section", SECTIONS, ids=[s.key for s in SECTIONS])
def test_browse_reply_lists_the_sections_topics(
    shipped_kb: KnowledgeBase, section: Section
) -> None:
    reply = browse_reply(shipped_kb, section.key)
    assert reply is not None
    *rows, back = reply.buttons
    assert back == (Button("⬅️ Back", "b:main"),)
    listed = [BrowseTopic.decode(row[0].data) for row in rows]
    expected = [t for t in shipped_kb.topics if t.startswith(section.prefixes)]
    assert [shown.topic if shown else None for shown in listed] == expected
    assert expected


def test_browse_sections_cover_every_topic_but_smalltalk(shipped_kb: KnowledgeBase) -> None:
    listed = set()
    for section in SECTIONS:
        reply = browse_reply(shipped_kb, section.key)
        listed |= {row[0].data.removeprefix("bt:") for row in reply.buttons[:-1]}
    assert listed == {t.id for t in shipped_kb.topics.values() if not t.is_smalltalk}


def test_browse_reply_main_and_ask(shipped_kb: KnowledgeBase) -> None:
    main = browse_reply(shipped_kb, "main")
    data = [b.data for b in flat(main.buttons)]
    assert data == [f"b:{s.key}" for s in SECTIONS] + ["sst:", "b:ask"]
    # The greeting speaks of stages, reminders and time zones, and of the Menu button.
    for word in ("stage", "reminders", "time zone", "Menu button"):
        assert word in main.text
    ask = browse_reply(shipped_kb, "ask")
    assert ask.buttons == ((Button("⬅️ Back", "b:main"),),)


@pytest.mark.parametrize("key", ["nope", "", "smalltalk", "Programme"])
def test_browse_reply_unknown_section(shipped_kb: KnowledgeBase, key: str) -> None:
    assert browse_reply(shipped_kb, key) is None


def test_browse_topic_reply_goes_back_to_its_section(shipped_kb: KnowledgeBase) -> None:
    reply = browse_topic_reply(shipped_kb, shipped_kb.topics["duties.alt"])
    assert reply.buttons[-1] == (Button("⬅️ Back", "b:duties"),)
    reply = browse_topic_reply(shipped_kb, shipped_kb.topics["contact.more-info"])
    assert reply.buttons[-1] == (Button("⬅️ Back", "b:programme"),)
