"""/start, /help, browsing in place, and what the bot cannot read."""

from __future__ import annotations

from bot.replies import NON_TEXT, UNKNOWN_COMMAND, plain
from tests.handlers.conftest import Chat, FakeTelegram


async def test_start_shows_the_menu(chat: Chat, telegram: FakeTelegram) -> None:
    [welcome] = await chat.say("/start")
    assert "Welcome" in welcome
    rows = telegram.last()["reply_markup"]["inline_keyboard"]
    assert [b["callback_data"] for row in rows for b in row][-1] == "b:ask"


async def test_browsing_edits_the_menu_in_place(chat: Chat, telegram: FakeTelegram) -> None:
    await chat.say("/start")
    menu = telegram.last()["message_id"]
    assert await chat.press("b:positions", menu) == []
    assert "Positions" in telegram.messages[menu]["text"]
    assert await chat.press("bt:positions.alt", menu) == []
    assert "What an ALT is" in telegram.messages[menu]["text"]
    # The same press twice asks Telegram for an edit that changes nothing: no error.
    assert await chat.press("bt:positions.alt", menu) == []


async def test_a_stale_menu_falls_back_to_the_main_menu(
    chat: Chat, telegram: FakeTelegram
) -> None:
    await chat.say("/start")
    menu = telegram.last()["message_id"]
    await chat.press("b:positions", menu)
    await chat.press("b:no-such-section", menu)
    assert chat.toasts()[-1] == "That menu is no longer available."
    assert "Welcome" in telegram.messages[menu]["text"]


async def test_help_shows_staff_commands_to_staff_only(chat: Chat, staff_chat: Chat) -> None:
    [public] = await chat.say("/help")
    [staff] = await staff_chat.say("/help")
    assert "/broadcast" not in public
    assert "/broadcast" in staff


async def test_unknown_commands_and_stickers(chat: Chat) -> None:
    assert [plain(text) for text in await chat.say("/nonsense")] == [UNKNOWN_COMMAND]
    sticker = {"file_id": "x", "file_unique_id": "y", "width": 1, "height": 1, "type": "regular",
               "is_animated": False, "is_video": False}  # fmt: skip
    before = len(chat.telegram.sent())
    await chat.process(
        {
            "update_id": 999,
            "message": {"message_id": 5, "date": 0, "chat": chat.chat, "from": chat.user,
                        "sticker": sticker},
        }
    )  # fmt: skip
    assert [p["text"] for p in chat.telegram.sent()[before:]] == [NON_TEXT]
