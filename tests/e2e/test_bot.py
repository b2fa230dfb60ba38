"""The real Application over real HTTP against the test Bot API server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.replies import NON_TEXT, SOMETHING_WENT_WRONG, plain
from handlers.context import BotApp
from tests.e2e.botapi import BotApiServer, Fault
from tests.e2e.conftest import USER, running_bot, small_knowledge


def shown(message: dict[str, Any]) -> str:
    """The text as Telegram displays it once it has parsed the HTML."""
    return plain(message["text"])


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
    return [button for row in rows for button in row]


def callback_data(message: dict[str, Any]) -> list[str]:
    return [b["callback_data"] for b in buttons(message) if "callback_data" in b]


async def test_start_shows_menu_and_registers_commands(
    server: BotApiServer,
    bot: BotApp,
) -> None:
    server.user_message(USER, "/start")
    [menu] = await server.wait_for_messages(USER, 1)
    assert "Welcome" in menu["text"]
    assert callback_data(menu) == [
        "b:programme",
        "b:positions",
        "b:duties",
        "b:selection",
        "sst:",
        "b:ask",
    ]
    commands = server.calls("setMyCommands")[0].params["commands"]
    registered = [c["command"] for c in commands]
    assert registered[0] == "start"
    assert {
        "help", "stage", "remind", "reminders", "timezone", "mydata", "forget", "cancel",
        "settings", "privacy", "calendar",
    } <= set(registered)  # fmt: skip


async def test_question_gets_answer_with_follow_ups(
    server: BotApiServer,
    bot: BotApp,
) -> None:
    server.user_message(USER, "can I apply for both CIR and ALT?")
    [answer] = await server.wait_for_messages(USER, 1)
    assert shown(answer).startswith("Applying for both CIR and ALT")
    assert "not both" in shown(answer)
    follow_ups = [data for data in callback_data(answer) if data.startswith("t:")]
    assert follow_ups
    assert callback_data(answer)[-2:] == ["fb:1:positions.apply-both", "fb:0:positions.apply-both"]

    server.press_button(USER, answer["message_id"], follow_ups[0])
    [_, follow_up] = await server.wait_for_messages(USER, 2)
    topic = bot.bot_data.services.answers.current.kb.topics[follow_ups[0][2:]]
    assert shown(follow_up).startswith(topic.title)
    assert server.calls("answerCallbackQuery")


async def test_did_you_mean_press_answers(server: BotApiServer, tmp_path: Path) -> None:
    knowledge = write_two_similar_topics(tmp_path)
    async with running_bot(server, knowledge):
        server.user_message(USER, "apply position")
        [choice] = await server.wait_for_messages(USER, 1)
        assert "Did you mean" in choice["text"]
        assert sorted(callback_data(choice)) == ["f:", "t:apply.alt", "t:apply.cir"]

        server.press_button(USER, choice["message_id"], "t:apply.cir")
        [_, answer] = await server.wait_for_messages(USER, 2)
        assert shown(answer) == "Applying as a CIR\n\nCIR answer."

        server.press_button(USER, choice["message_id"], "f:")
        [*_, fallback] = await server.wait_for_messages(USER, 3)
        assert shown(fallback) == "I don't know; ask the Embassy of Japan."


async def test_browse_edits_the_menu_in_place_with_back(
    server: BotApiServer,
    bot: BotApp,
) -> None:
    server.user_message(USER, "/start")
    [menu] = await server.wait_for_messages(USER, 1)
    server.press_button(USER, menu["message_id"], "b:positions")
    edit = await server.wait_for_call("editMessageText")
    assert edit.params["message_id"] == menu["message_id"]
    assert "Positions" in edit.params["text"]
    listed = [
        b["callback_data"] for row in edit.params["reply_markup"]["inline_keyboard"] for b in row
    ]
    assert "bt:positions.alt" in listed
    assert listed[-1] == "b:main"

    server.press_button(USER, menu["message_id"], "bt:positions.alt")
    alt = bot.bot_data.services.answers.current.kb.topics["positions.alt"]
    await server.wait_for_call(
        "editMessageText", lambda call: plain(call.params["text"]).startswith(alt.title)
    )
    server.press_button(USER, menu["message_id"], "b:positions")  # Back to the section
    await server.wait_for_call(
        "editMessageText", lambda call: call is not edit and "Positions" in call.params["text"]
    )
    server.press_button(USER, menu["message_id"], "b:main")  # Back to the main menu
    await server.wait_for_call("editMessageText", lambda call: "Welcome" in call.params["text"])
    assert len(server.sent_messages(USER)) == 1, "browsing must not send new messages"


async def test_non_text_gets_a_polite_note(
    server: BotApiServer,
    bot: BotApp,
) -> None:
    server.user_sticker(USER)
    server.user_photo(USER)
    notes = await server.wait_for_messages(USER, 2)
    assert [n["text"] for n in notes] == [NON_TEXT, NON_TEXT]


async def test_user_markup_is_not_interpreted(
    server: BotApiServer,
    bot: BotApp,
) -> None:
    server.user_message(USER, "<b>what</b> is & an <i>ALT")
    [answer] = await server.wait_for_messages(USER, 1)
    call = server.calls("sendMessage")[0]
    assert call.params["parse_mode"] == "HTML"
    assert "<i>" not in answer["text"]
    assert "&lt;i&gt;" not in answer["text"], "the question is not echoed back"


async def test_flood_limit_on_a_reply_waits_and_retries(
    server: BotApiServer,
    bot: BotApp,
) -> None:
    server.inject("sendMessage", Fault.retry_after(1), times=1)
    server.user_message(USER, "what is an ALT")
    [answer] = await server.wait_for_messages(USER, 1, timeout=15)
    assert "ALT" in shown(answer)
    attempts = server.calls("sendMessage")
    assert len(attempts) == 2
    assert attempts[1].time - attempts[0].time >= 1.0


async def test_failure_is_logged_and_user_told_once(
    server: BotApiServer,
    bot: BotApp,
) -> None:
    server.inject("sendMessage", Fault.server_error(500), times=1)
    server.user_message(USER, "what is an ALT")
    [apology] = await server.wait_for_messages(USER, 1)
    assert apology["text"] == SOMETHING_WENT_WRONG
    server.user_message(USER, "/help")
    messages = await server.wait_for_messages(USER, 2)
    assert [m["text"] for m in messages].count(SOMETHING_WENT_WRONG) == 1


async def test_set_my_commands_failure_is_not_fatal(server: BotApiServer) -> None:
    server.inject("setMyCommands", Fault.server_error(500), times=1)
    async with running_bot(server):
        server.user_message(USER, "/start")
        [menu] = await server.wait_for_messages(USER, 1)
    assert "Welcome" in menu["text"]


def write_two_similar_topics(tmp_path: Path) -> Path:
    return small_knowledge(
        tmp_path,
        """
topics:
  - id: apply.alt
    title: Applying as an ALT
    questions: ["apply for the alt position"]
    answer: ALT answer.
  - id: apply.cir
    title: Applying as a CIR
    questions: ["apply for the cir position"]
    answer: CIR answer.
""",
    )


async def test_an_edited_message_is_not_handled_again(
    server: BotApiServer,
    bot: BotApp,
) -> None:
    message_id = server.user_message(USER, "/remind in 2 hours Call the embassy")
    await server.wait_for_messages(USER, 1)
    server.queue_update(
        {
            "edited_message": {
                "message_id": message_id,
                "date": 1_800_000_000,
                "edit_date": 1_800_000_010,
                "chat": {"id": USER, "type": "private", "first_name": "Test"},
                "from": {"id": USER, "is_bot": False, "first_name": "Test"},
                "text": "/remind in 3 hours Call the embassy",
            }
        }
    )
    server.user_message(USER, "/reminders")
    _, listing = await server.wait_for_messages(USER, 2)
    assert shown(listing).count("Call the embassy") == 1
    assert len(server.sent_messages(USER)) == 2
