"""The knowledge base from Telegram, through the handlers: uploads, /kb, tickets to knowledge."""

from __future__ import annotations

import io
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.answers import Answers
from bot.config import BUNDLED_KNOWLEDGE, Settings
from bot.desk_settings import DeskSettings
from bot.kb_files import directory_texts
from bot.replies import NON_TEXT, UNKNOWN_COMMAND, plain
from handlers.context import BotApp
from tests.handlers.conftest import STAFF, Chat, FakeTelegram, started_bot
from tests.handlers.test_tickets import STAFF_CHAT, buttons, open_ticket

OPEN_DAY = """\
topics:
  - id: contact.open-day
    title: The embassy open day
    questions:
      - when is the embassy open day
      - open day date
    answer: The open day is announced on the embassy's website.
"""
QUESTION = "tell me about the embassy open day"


@pytest.fixture
async def app(
    telegram: FakeTelegram, answers: Answers, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[BotApp]:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    settings = Settings(
        knowledge=BUNDLED_KNOWLEDGE,
        database=Path(":memory:"),
        staff_ids=frozenset({STAFF}),
        desk=DeskSettings(STAFF_CHAT, None, "the JET desk"),
    )
    # Its own Answers: applied versions must not leak into other tests.
    async with started_bot(settings, Answers(answers.current), telegram) as application:
        yield application


@pytest.fixture
def staff_group(app: BotApp, telegram: FakeTelegram) -> Chat:
    return Chat(app, telegram, user=STAFF, chat=STAFF_CHAT)


async def ask(chat: Chat, question: str) -> str:
    [reply] = await chat.say(question)
    return plain(reply)


async def test_an_upload_goes_live_after_apply_and_rollback_restores(
    chat: Chat, staff_chat: Chat, telegram: FakeTelegram
) -> None:
    assert not (await ask(chat, QUESTION)).startswith("The embassy open day")
    [preview] = await staff_chat.send_document("open-day.yaml", OPEN_DAY.encode())
    shown = telegram.last()
    text = plain(preview)
    assert "Proposed change (upload open-day.yaml): valid" in text
    assert "Topics added: contact.open-day" in text
    assert not (await ask(chat, QUESTION)).startswith("The embassy open day"), "not yet"
    await staff_chat.press(buttons(shown)["✅ Apply"], shown["message_id"])
    assert "Knowledge base version 1 is live" in plain(
        telegram.messages[shown["message_id"]]["text"]
    )
    assert (await ask(chat, QUESTION)).startswith("The embassy open day")

    [status] = await staff_chat.say("/kb")
    assert plain(status).startswith("Knowledge base: version 1,")
    [rolled] = await staff_chat.say("/kb rollback 0")
    assert "version 2 is live" in plain(rolled)
    assert not (await ask(chat, QUESTION)).startswith("The embassy open day")


async def test_an_upload_with_an_error_is_refused_with_file_and_line(
    chat: Chat, staff_chat: Chat, app: BotApp
) -> None:
    broken = OPEN_DAY.replace("    answer:", "    anwser:")
    [refused] = await staff_chat.send_document("open-day.yaml", broken.encode())
    assert "Nothing was changed." in plain(refused)
    assert "open-day.yaml:7: topic 'contact.open-day': unknown key 'anwser'" in plain(refused)
    services = app.bot_data.services
    assert services is not None
    assert await services.store.latest_kb_number() == 0


async def test_documents_from_others_are_not_read(chat: Chat, telegram: FakeTelegram) -> None:
    assert [plain(t) for t in await chat.send_document("open-day.yaml", OPEN_DAY.encode())] == [
        NON_TEXT
    ]
    assert [n for n, _ in telegram.calls if n == "getFile"] == []


async def test_export_sends_the_files_as_a_zip(staff_chat: Chat, telegram: FakeTelegram) -> None:
    await staff_chat.say("/kb export")
    [document] = telegram.sent("sendDocument")
    assert document["document"]["file_name"] == "knowledge.zip"
    archive = zipfile.ZipFile(io.BytesIO(telegram.files[document["document"]["file_id"]]))
    exported = {
        name.removeprefix("knowledge/"): archive.read(name).decode() for name in archive.namelist()
    }
    assert exported == directory_texts(BUNDLED_KNOWLEDGE)


async def test_kb_is_for_staff_only(chat: Chat) -> None:
    assert [plain(t) for t in await chat.say("/kb")] == [UNKNOWN_COMMAND]


async def test_add_to_knowledge_base_from_an_answered_ticket(
    chat: Chat, staff_group: Chat, telegram: FakeTelegram
) -> None:
    post = await open_ticket(chat, telegram)
    await staff_group.say("It is always in May.", reply_to=post["message_id"])
    ack = telegram.last()
    await staff_group.press(buttons(ack)["📚 Add to knowledge base"], ack["message_id"])
    offer = telegram.last()
    assert "Which topic's answer covers it?" in plain(offer["text"])
    await staff_group.press(
        buttons(offer)["✏️ New topic from the staff answer"], offer["message_id"]
    )
    preview = telegram.last()
    assert "Topics added: office.ticket-1" in plain(preview["text"])
    await staff_group.press(buttons(preview)["✅ Apply"], preview["message_id"])
    assert "version 1 is live" in plain(telegram.messages[preview["message_id"]]["text"])
    [answer] = await chat.say("what is the weather like in hokkaido")
    assert "It is always in May." in plain(answer)


async def test_unanswered_questions_carry_a_button_each(
    chat: Chat, staff_chat: Chat, app: BotApp, telegram: FakeTelegram
) -> None:
    await chat.say("what is the weather like in hokkaido")
    services = app.bot_data.services
    assert services is not None
    await services.recorder.queue.join()
    [listing] = await staff_chat.say("/unanswered")
    assert "1. [1] what is the weather like in hokkaido" in plain(listing)
    message: dict[str, Any] = telegram.last()
    await staff_chat.press(buttons(message)["📚 1"], message["message_id"])
    assert "Which topic's answer covers it?" in plain(telegram.last()["text"])
