"""/remind, /cancel, /reminders, /timezone, /stage and the reminder buttons."""

from __future__ import annotations

import pytest

from bot.replies import SOMETHING_WENT_WRONG, plain
from handlers.context import BotApp
from tests.handlers.conftest import USER, Chat, FakeTelegram


async def test_remind_confirms_and_lists(chat: Chat) -> None:
    await chat.say("/timezone UTC")
    [confirmation] = await chat.say("/remind 2027-02-14 09:00 Bring passport")
    assert "Reminder #1 set for Sun 14 Feb 2027, 09:00 (UTC, UTC+00:00)" in confirmation
    [listing] = await chat.say("/reminders")
    assert "Bring passport" in listing


@pytest.mark.parametrize("argument", ["①", "²", "#②", "1" * 40, "-3", "12abc", "1 2", "٣"])
async def test_cancel_with_a_bad_number_explains(chat: Chat, argument: str) -> None:
    [reply] = await chat.say(f"/cancel {argument}".strip())
    assert "Which one?" in plain(reply)
    assert reply != SOMETHING_WENT_WRONG


async def test_cancel_by_number(chat: Chat) -> None:
    await chat.say("/remind in 2 hours Call the embassy")
    [done] = await chat.say("/cancel 1")
    assert done == "Cancelled reminder #1: Call the embassy"
    [again] = await chat.say("/cancel #1")
    assert "no open reminder #1" in plain(again)


@pytest.mark.parametrize(
    "data", ["rc:" + "9" * 60, "rc:①", "rs:" + "9" * 60, "rs:²", "rd:x", "st:" + "x" * 70]
)
async def test_forged_reminder_buttons_are_refused_quietly(
    chat: Chat, telegram: FakeTelegram, data: str
) -> None:
    await chat.say("/remind in 2 hours Call the embassy")
    sent = await chat.press(data)
    assert SOMETHING_WENT_WRONG not in sent
    assert telegram.sent("answerCallbackQuery"), "the press is answered"


async def test_snooze_and_done_edit_the_reminder(chat: Chat, telegram: FakeTelegram) -> None:
    await chat.say("/remind in 2 hours Call the embassy")
    reminder = telegram.last()
    await chat.press("rs:1", reminder["message_id"])
    assert "Snoozed until" in telegram.messages[reminder["message_id"]]["text"]
    await chat.press("rd:1", reminder["message_id"])
    assert "✅ Done" in telegram.messages[reminder["message_id"]]["text"]
    assert chat.toasts()[-2:] == ["Snoozed for an hour.", "Done ✅"]


async def test_bad_timezone_explains_and_changes_nothing(chat: Chat) -> None:
    [reply] = await chat.say("/timezone Mars/Olympus")
    assert reply.startswith("⚠️")
    [shown] = await chat.say("/timezone")
    assert "You haven't set a time zone; I use UTC (UTC+00:00" in shown


async def test_stage_by_button_then_listing(chat: Chat, telegram: FakeTelegram) -> None:
    [menu] = await chat.say("/stage")
    assert "haven't told me your stage" in menu
    [change] = await chat.press("st:interview")
    assert "Your stage is now <b>" in change
    assert chat.toasts()[-1] is not None


async def test_unknown_stage_button_alerts(chat: Chat, telegram: FakeTelegram) -> None:
    await chat.say("/stage")
    assert await chat.press("st:nonsense") == []
    [alert] = telegram.sent("answerCallbackQuery")
    assert alert["show_alert"] is True
    assert "is not a stage" in alert["text"]


async def add_reminders(app: BotApp, count: int, text: str = "") -> None:
    """Reminders set without messages: the flood guard would stop so many /remind."""
    services = app.bot_data.services
    assert services is not None
    user = (await services.tracker.seen(USER, USER)).user
    for n in range(1, count + 1):
        await services.tracker.remind(user, f"in {n} hours Reminder {n} {text}")


async def test_a_long_listing_is_one_message_with_pages(
    app: BotApp, chat: Chat, telegram: FakeTelegram
) -> None:
    await add_reminders(app, 23, "x" * 900)
    before = len(telegram.sent())
    [page] = await chat.say("/reminders")
    assert len(telegram.sent()) == before + 1
    assert "1 to 10 of 23" in page
    assert "#1 ·" in page
    assert "#11 ·" not in page
    rows = telegram.last()["reply_markup"]["inline_keyboard"]
    assert rows[-1] == [{"text": "Next ▶️", "callback_data": "rpg:1"}]
    listing = telegram.last()["message_id"]
    assert await chat.press("rpg:2", listing) == []  # edited in place, no new message
    shown = telegram.messages[listing]["text"]
    assert "21 to 23 of 23" in shown
    assert "#23 ·" in shown
    # Cancelling on page 3 keeps page 3 in view.
    cancel = next(
        b["callback_data"]
        for row in telegram.messages[listing]["reply_markup"]["inline_keyboard"]
        for b in row
        if b["text"] == "Cancel #22"
    )
    assert await chat.press(cancel, listing) == []
    assert chat.toasts()[-1] == "Cancelled #22"
    assert "21 to 22 of 22" in telegram.messages[listing]["text"]


async def test_numbers_stay_across_zone_changes(chat: Chat) -> None:
    await chat.say("/timezone Tokyo")
    [stage] = await chat.say("/stage interview 2027-2-14 9:30")
    assert "#1 " in stage
    assert "#3 " in stage
    for zone in ("London", "New York", "Sydney", "UTC+9"):
        await chat.say(f"/timezone {zone}")
    [listing] = await chat.say("/reminders")
    assert [line.split(" ·")[0] for line in listing.splitlines() if line.startswith("#")] == [
        "#1",
        "#2",
        "#3",
    ]
    [done] = await chat.say("/cancel 2")
    assert done.startswith("Cancelled reminder #2")
    [data] = await chat.say("/mydata")
    assert "Open reminders (2)" in data
    assert "Past reminders, sent or cancelled: 1" in data
