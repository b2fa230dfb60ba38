"""Asking a person, through the real handlers: the applicant's side and the staff chat's."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.answers import Answers
from bot.config import BUNDLED_KNOWLEDGE, Settings
from bot.desk_settings import DeskSettings
from bot.replies import IN_PRIVATE, UNKNOWN_COMMAND, plain
from handlers.context import BotApp
from tests.handlers.conftest import STAFF, USER, Chat, FakeTelegram, started_bot

STAFF_CHAT = -100777
OUTSIDER = 3003
FALLBACK = "what is the weather like in hokkaido"


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
    async with started_bot(settings, answers, telegram) as application:
        yield application


@pytest.fixture
def staff_group(app: BotApp, telegram: FakeTelegram) -> Chat:
    return Chat(app, telegram, user=STAFF, chat=STAFF_CHAT)


@pytest.fixture
def outsider_in_group(app: BotApp, telegram: FakeTelegram) -> Chat:
    return Chat(app, telegram, user=OUTSIDER, chat=STAFF_CHAT)


def buttons(message: dict[str, Any]) -> dict[str, str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
    return {b["text"]: b.get("callback_data", "") for row in rows for b in row}


def sent_to(telegram: FakeTelegram, chat_id: int) -> list[dict[str, Any]]:
    return [m for m in telegram.messages.values() if m["chat"]["id"] == chat_id]


async def pushed(telegram: FakeTelegram, chat_id: int, count: int) -> list[dict[str, Any]]:
    """The first ``count`` messages in a chat, once the push sender has delivered them."""
    for _ in range(250):
        messages = sorted(sent_to(telegram, chat_id), key=lambda m: m["message_id"])
        if len(messages) >= count:
            return messages[:count]
        await asyncio.sleep(0.02)
    raise AssertionError(f"{count} message(s) to {chat_id} expected; got {len(messages)}")


async def open_ticket(chat: Chat, telegram: FakeTelegram) -> dict[str, Any]:
    """Ask what the bot cannot answer, press Ask a person, then Send: the staff chat's post."""
    before = len(sent_to(telegram, STAFF_CHAT))
    await chat.say(FALLBACK)
    await chat.press(buttons(telegram.last())["🙋 Ask a person"])
    confirmation = telegram.last()
    assert FALLBACK in plain(confirmation["text"])
    await chat.press(buttons(confirmation)["📨 Send"], confirmation["message_id"])
    assert plain(telegram.messages[confirmation["message_id"]]["text"]).startswith(
        "📨 Question #1 passed on to the JET desk."
    )
    *_, post = await pushed(telegram, STAFF_CHAT, before + 1)
    return post


async def test_from_a_fallback_to_the_staff_chat_and_back(
    chat: Chat, staff_group: Chat, telegram: FakeTelegram
) -> None:
    post = await open_ticket(chat, telegram)
    text = plain(post["text"])
    assert text.startswith("🎫 Ticket #1\nFrom: an applicant (name not shared)")
    assert FALLBACK in text
    assert "Test" not in text, "no name unless the applicant shares it"
    assert buttons(post) == {"✖️ Close": "dc:1"}

    [ack] = await staff_group.say("Mild summers, snowy winters.", reply_to=post["message_id"])
    assert plain(ack).startswith("✅ Ticket #1: your answer is on its way")
    # The fallback, the confirmation (then edited into "passed on"), the answer.
    [_, _, answer] = await pushed(telegram, USER, 3)
    shown = plain(answer["text"])
    assert shown.startswith("💬 Answer from the JET desk · question #1\n\nMild summers")
    assert str(STAFF) not in shown

    [added] = await chat.say("And in Okinawa?", reply_to=answer["message_id"])
    assert "Added to your question #1" in plain(added)
    [_, _, addition] = await pushed(telegram, STAFF_CHAT, 3)  # the post, the ack, this
    assert plain(addition["text"]).startswith(
        "🎫 Ticket #1 · the applicant adds:\n\nAnd in Okinawa?"
    )
    await staff_group.say("Warm all year.", reply_to=addition["message_id"])
    await pushed(telegram, USER, 5)


async def test_a_shared_name_reaches_staff(chat: Chat, telegram: FakeTelegram) -> None:
    await chat.say(FALLBACK)
    await chat.press(buttons(telegram.last())["🙋 Ask a person"])
    await chat.press(buttons(telegram.last())["📨 Send with my name"])
    [post] = await pushed(telegram, STAFF_CHAT, 1)
    assert "From: Test\n" in plain(post["text"])


async def test_others_in_the_staff_chat_can_neither_answer_nor_close(
    chat: Chat,
    outsider_in_group: Chat,
    telegram: FakeTelegram,
    app: BotApp,
    caplog: pytest.LogCaptureFixture,
) -> None:
    post = await open_ticket(chat, telegram)
    with caplog.at_level(logging.INFO):
        assert await outsider_in_group.say("Nonsense.", reply_to=post["message_id"]) == []
        assert await outsider_in_group.say("/close 1") == []
        assert await outsider_in_group.say("/tickets") == []
        await outsider_in_group.press("dc:1", post["message_id"])
    assert "Nonsense" not in caplog.text, "what they typed is not logged"
    assert f"non-staff user {OUTSIDER}" in caplog.text
    services = app.bot_data.services
    assert services is not None
    ticket = await services.store.get_ticket(1)
    assert ticket is not None
    assert ticket.status.value == "open"
    assert len(sent_to(telegram, USER)) == 2, "the applicant got nothing more"


async def test_staff_list_and_close_tickets(
    chat: Chat, staff_group: Chat, staff_chat: Chat, telegram: FakeTelegram
) -> None:
    assert [plain(t) for t in await staff_group.say("/tickets")] == ["No open tickets."]
    post = await open_ticket(chat, telegram)
    [listing] = await staff_chat.say("/tickets")  # in a private chat too
    assert "#1 · 0 min · open: " + FALLBACK in plain(listing)
    assert [plain(t) for t in await staff_group.say("/close")] == [
        "⚠️ Which ticket? e.g. /close 12 (numbers are in /tickets)."
    ]
    await staff_group.press("dc:1", post["message_id"])
    assert plain(telegram.last()["text"]) == "Ticket #1 closed."
    [late] = await staff_group.say("Too late.", reply_to=post["message_id"])
    assert "is closed; the applicant was not sent this" in plain(late)
    [refused] = await chat.say(
        "One more thing", reply_to=max(m["message_id"] for m in sent_to(telegram, USER))
    )
    assert "is closed, so I can't add to it" in plain(refused)


async def test_human_asks_what_to_pass_on(chat: Chat, telegram: FakeTelegram) -> None:
    [how] = await chat.say("/human")
    assert "Send /human followed by your question" in plain(how)
    [confirm] = await chat.say("/human Can I apply from inside Japan?")
    assert "Can I apply from inside Japan?" in plain(confirm)
    await chat.press(buttons(telegram.last())["Cancel"])
    assert plain(telegram.last()["text"]) == "OK, I haven't passed anything on."


async def test_human_in_a_group_points_to_a_private_chat(staff_group: Chat) -> None:
    assert [plain(t) for t in await staff_group.say("/human hello")] == [IN_PRIVATE]


async def test_chatid_for_staff_only(
    staff_group: Chat, outsider_in_group: Chat, chat: Chat
) -> None:
    [reply] = await staff_group.say("/chatid")
    assert (
        plain(reply)
        == f"This chat's id is {STAFF_CHAT}. It is the staff chat: tickets arrive here."
    )
    assert await outsider_in_group.say("/chatid") == []
    assert [plain(t) for t in await chat.say("/chatid")] == [UNKNOWN_COMMAND]


async def test_forget_removes_tickets(chat: Chat, telegram: FakeTelegram, app: BotApp) -> None:
    await open_ticket(chat, telegram)
    [mydata] = await chat.say("/mydata")
    assert "Questions you passed on to the office, with their answers: #1 (open)" in plain(mydata)
    await chat.say("/forget")
    await chat.press("fg:yes")
    services = app.bot_data.services
    assert services is not None
    assert await services.store.get_ticket(1) is None
    assert await services.store.fetch("SELECT id FROM ticket_messages") == []


async def test_deep_links_are_counted(chat: Chat, staff_chat: Chat, app: BotApp) -> None:
    [welcome] = await chat.say("/start poster2027")
    assert "Welcome" in plain(welcome) or welcome
    await chat.say("/start not!valid")
    services = app.bot_data.services
    assert services is not None
    await services.recorder.queue.join()
    assert await services.store.start_sources() == [("poster2027", 1)]
    [stats] = await staff_chat.say("/stats")
    assert "Came through /start links: poster2027 1" in plain(stats)
    assert "Tickets: 0 opened, 0 answered" in plain(stats)
