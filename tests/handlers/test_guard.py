"""The flood guard runs before everything else; activity records each private user."""

from __future__ import annotations

from bot.flood_guard import LIMIT, TAP_LIMIT
from bot.replies import FLOODING, TAPPING, plain
from handlers.context import BotApp
from tests.handlers.conftest import USER, Chat, FakeTelegram


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


async def test_browsing_at_a_tap_a_second_for_two_minutes_never_floods(
    app: BotApp, chat: Chat, telegram: FakeTelegram
) -> None:
    services = app.bot_data.services
    assert services is not None
    now = [1000.0]
    services.flood_guard.clock = services.tap_guard.clock = lambda: now[0]
    await chat.say("/start")
    menu = telegram.last()["message_id"]
    for tap in range(120):
        section = ("b:positions", "b:main", "bt:positions.alt", "b:duties")[tap % 4]
        assert await chat.press(section, menu) == []
        now[0] += 1.0
    # The taps did not count as messages: a question right after is answered.
    [answer] = await chat.say("what is an ALT")
    assert plain(answer) != FLOODING
    assert TAPPING not in chat.toasts()


async def test_hammering_buttons_gets_a_toast_never_a_message(
    app: BotApp, chat: Chat, telegram: FakeTelegram
) -> None:
    services = app.bot_data.services
    assert services is not None
    services.tap_guard.clock = lambda: 1000.0  # every tap in the same instant
    await chat.say("/start")
    menu = telegram.last()["message_id"]
    for _ in range(TAP_LIMIT + 5):
        assert await chat.press("b:positions", menu) == []
    assert chat.toasts()[-1] == TAPPING
