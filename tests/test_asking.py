"""A message becomes a reply: memory per chat, honest partial answers, every transport."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bot.answers import Answers
from bot.asking import Asker
from bot.config import BUNDLED_KNOWLEDGE
from bot.context import MEMORY
from bot.recorder import Recorder
from bot.replies import plain
from bot.store import SqlStore, StoreUnavailable
from tests.conftest import Clock


@pytest.fixture(scope="module")
def answers() -> Answers:
    return Answers.load(BUNDLED_KNOWLEDGE)


@pytest.fixture
def asker(answers: Answers, store: SqlStore, clock: Clock) -> Asker:
    return Asker(answers, store, clock)


async def test_a_follow_up_is_read_with_what_was_said_in_that_chat(asker: Asker) -> None:
    assert (await asker.ask("what does a CIR do", "1")).topic == "duties.cir"
    assert (await asker.ask("and ALTs?", "1")).topic == "duties.alt"
    assert (await asker.ask("and ALTs?", "2")).topic != "duties.alt", "another chat knows nothing"


async def test_the_memory_ends_after_a_silence(asker: Asker, clock: Clock) -> None:
    await asker.ask("what does a CIR do", "1")
    clock.now += MEMORY + timedelta(seconds=1)
    assert (await asker.ask("and ALTs?", "1")).topic != "duties.alt"


async def test_a_picked_topic_becomes_the_context(asker: Asker) -> None:
    reply = await asker.answer_topic("positions.cir", "1")
    assert reply is not None
    assert (await asker.ask("what do they do?", "1")).topic == "duties.cir"
    assert await asker.answer_topic("no.such.topic", "1") is None


async def test_without_a_chat_nothing_is_remembered(asker: Asker, store: SqlStore) -> None:
    await asker.ask("what does a CIR do")
    assert await store.fetch("SELECT * FROM conversations") == []


async def test_a_sick_store_costs_the_memory_not_the_answer(
    asker: Asker, store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def refuse(chat: str) -> None:
        raise StoreUnavailable("locked")

    monkeypatch.setattr(store, "load_context", refuse)
    assert (await asker.ask("what is an ALT", None)).topic == "positions.alt"
    assert (await asker.ask("what is an ALT", "1")).topic == "positions.alt"


async def test_pay_gets_an_honest_partial_answer(asker: Asker) -> None:
    asked = await asker.ask("how much does a CIR earn?", "1")
    result = asked.as_json()
    assert (result["outcome"], result["topic"]) == ("partial", None)
    assert result["suggestions"] == ["positions.cir"]
    assert "does not give an amount" in plain(asked.reply.text)
    assert "Embassy" in plain(asked.reply.text)


async def test_two_questions_get_both_answers(asker: Asker) -> None:
    asked = await asker.ask("what is a CIR and what does an ALT do?")
    result = asked.as_json()
    assert result["topic"] == "positions.cir"
    assert result["topics"] == ["positions.cir", "duties.alt"]
    text = plain(asked.reply.text)
    assert "What a CIR is" in text
    assert "What an ALT does" in text


async def test_a_greeting_leads_the_answer(asker: Asker) -> None:
    asked = await asker.ask("hi, what is a CIR?")
    assert asked.topic == "positions.cir"
    assert plain(asked.reply.text).startswith("Hi! What a CIR is")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("help", "I answer questions"),
        ("I need help", "I answer questions"),
        ("ok", "Anything else"),
    ],
)
async def test_help_and_ok_get_sensible_replies(asker: Asker, text: str, expected: str) -> None:
    asked = await asker.ask(text)
    assert asked.as_json()["outcome"] == "intent"
    assert expected in plain(asked.reply.text)


async def test_help_offers_the_menu(asker: Asker) -> None:
    asked = await asker.ask("help")
    data = [b.data for row in asked.reply.buttons for b in row]
    assert "b:positions" in data


async def test_japanese_is_answered_in_english_and_japanese(asker: Asker) -> None:
    asked = await asker.ask("JETプログラムとは何ですか")
    assert asked.as_json()["outcome"] == "not_english"
    assert "only read English" in asked.reply.text
    assert "英語" in asked.reply.text


async def test_questions_are_recorded_in_the_background(
    answers: Answers, store: SqlStore, clock: Clock
) -> None:
    recorder = Recorder()
    recorder.start()
    asker = Asker(answers, store, clock, recorder)
    await asker.ask("how much does a CIR earn?", "9")
    await asker.ask("what is an ALT", "9")
    await recorder.stop()
    rows = await store.fetch("SELECT outcome, topic, text FROM questions ORDER BY id")
    assert [tuple(row) for row in rows] == [
        ("partial", "positions.cir", "how much does a CIR earn?"),
        ("answer", "positions.alt", None),
    ]
    [(context,)] = await store.fetch("SELECT context FROM conversations WHERE chat = '9'")
    assert json.loads(context)["topic"] == "positions.alt"


async def test_a_quick_follow_up_does_not_wait_for_the_write(
    answers: Answers, store: SqlStore, clock: Clock
) -> None:
    recorder = Recorder()  # never started: nothing reaches the store
    asker = Asker(answers, store, clock, recorder)
    await asker.ask("what does a CIR do", "1")
    assert await store.load_context("1") is None
    assert (await asker.ask("and ALTs?", "1")).topic == "duties.alt"
    asker.forget("1")
    assert (await asker.ask("and ALTs?", "1")).topic != "duties.alt"


async def test_another_instance_answering_later_wins(
    answers: Answers, store: SqlStore, clock: Clock
) -> None:
    here, there = Asker(answers, store, clock), Asker(answers, store, clock)
    await here.ask("what does a CIR do", "1")
    clock.now += timedelta(seconds=5)
    await there.ask("what is an ALT", "1")
    clock.now += timedelta(seconds=5)
    assert (await here.ask("what do they do?", "1")).topic == "duties.alt"
