"""The flood guard runs before everything else; activity records each private user."""

from __future__ import annotations

from bot.flood_guard import LIMIT
from bot.replies import FLOODING, plain
from handlers.context import BotApp
from tests.handlers.conftest import USER, Chat


async def test_a_flood_gets_one_note_then_silence(chat: Chat) -> None:
    for _ in range(LIMIT):
        await chat.say("hi")
    assert [plain(text) for text in await chat.say("hi")] == [FLOODING]
    assert await chat.say("what is an ALT") == []


async def test_staff_are_never_flood_limited(staff_chat: Chat) -> None:
    for _ in range(LIMIT + 5):
        assert await staff_chat.say("hi")


async def test_every_private_update_records_the_user(app: BotApp, chat: Chat) -> None:
    services = app.bot_data.services
    assert services is not None
    assert await services.store.get_user(USER) is None
    await chat.say("hi")
    await services.recorder.queue.join()  # recorded in the background, not before answering
    user = await services.store.get_user(USER)
    assert user is not None
    assert user.chat_id == USER
