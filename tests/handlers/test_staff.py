"""Staff commands refuse everyone else; broadcasts preview, then confirm once."""

from __future__ import annotations

import logging

import pytest

from bot.replies import UNKNOWN_COMMAND, plain
from handlers.context import BotApp
from tests.handlers.conftest import USER, Chat, FakeTelegram


@pytest.mark.parametrize("command", ["/reload", "/stats", "/unanswered", "/broadcast all Hi"])
async def test_non_staff_get_the_unknown_command_reply(
    chat: Chat, command: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        [reply] = await chat.say(command)
    assert plain(reply) == UNKNOWN_COMMAND
    assert f"non-staff user {USER}" in caplog.text
    assert "Hi" not in caplog.text, "what was typed is not logged"


async def test_a_broadcast_is_previewed_and_confirmed_once(
    app: BotApp, chat: Chat, staff_chat: Chat, telegram: FakeTelegram
) -> None:
    await chat.say("/start")
    await staff_chat.say("/help")
    assert app.bot_data.services is not None
    await app.bot_data.services.recorder.queue.join()  # both are recorded
    [preview] = await staff_chat.say("/broadcast all Good luck!")
    assert "2 recipient(s)" in preview  # the applicant and the staff member
    message = telegram.last()["message_id"]
    await staff_chat.press("bc:yes:1", message)
    assert "is going out to 2 recipient(s)" in telegram.messages[message]["text"]
    await staff_chat.press("bc:yes:1", message)
    assert "already confirmed or cancelled" in telegram.messages[message]["text"]


async def test_a_forged_confirm_from_non_staff_does_nothing(
    app: BotApp, chat: Chat, staff_chat: Chat, telegram: FakeTelegram
) -> None:
    await staff_chat.say("/broadcast all Good luck!")
    await chat.press("bc:yes:1")
    services = app.bot_data.services
    assert services is not None
    [row] = await services.store.fetch("SELECT status FROM broadcasts")
    assert row[0] == "draft"


@pytest.mark.parametrize(
    ("command", "problem"),
    [
        ("/broadcast", "write /broadcast"),
        ("/broadcast all", "write /broadcast"),
        ("/broadcast nowhere Hello", "is not a stage"),
        ("/broadcast all " + "x" * 5000, "keep it under"),
    ],
)
async def test_bad_broadcasts_explain(staff_chat: Chat, command: str, problem: str) -> None:
    [reply] = await staff_chat.say(command)
    assert reply.startswith("⚠️")
    assert problem in plain(reply)


@pytest.mark.parametrize(
    "command",
    ["/broadcast\nall Good luck!\nSee you", "/broadcast all\nGood luck!\nSee you"],
)
async def test_a_line_break_may_follow_the_command_or_the_target(
    app: BotApp, staff_chat: Chat, command: str
) -> None:
    [preview] = await staff_chat.say(command)
    assert "recipient(s)" in preview
    services = app.bot_data.services
    assert services is not None
    [row] = await services.store.fetch("SELECT text, stage FROM broadcasts")
    assert (row[0], row[1]) == ("Good luck!\nSee you", None)
