"""/mydata, /forget, /settings, /privacy and /calendar."""

from __future__ import annotations

from datetime import UTC, datetime

from icalendar import Calendar

from handlers.context import BotApp
from tests.handlers.conftest import USER, Chat, FakeTelegram
from tests.handlers.test_tracking import add_reminders


async def test_mydata_lists_what_is_stored(chat: Chat) -> None:
    await chat.say("/remind in 2 hours Call the embassy")
    [data] = await chat.say("/mydata")
    assert f"Telegram user id: {USER}" in data
    assert "Call the embassy" in data


async def test_forget_deletes_after_confirmation_only(app: BotApp, chat: Chat) -> None:
    services = app.bot_data.services
    assert services is not None
    await chat.say("/remind in 2 hours Call the embassy")
    [question] = await chat.say("/forget")
    assert "Sure?" in question
    await chat.press("fg:no")
    assert len(await services.store.user_reminders(USER)) == 1
    await chat.say("/forget")
    await chat.press("fg:yes")
    assert await services.store.user_reminders(USER) == []
    assert "deleted everything" in chat.telegram.last()["text"]


async def test_the_conversation_memory_is_shown_and_forgotten(app: BotApp, chat: Chat) -> None:
    services = app.bot_data.services
    assert services is not None
    await chat.say("what does a CIR do")
    await services.recorder.queue.join()
    [data] = await chat.say("/mydata")
    assert "Our conversation" in data
    assert "what does a cir do" in data.casefold()
    await chat.say("/forget")
    await chat.press("fg:yes")
    assert await services.store.load_context(str(USER)) is None


async def test_mydata_is_one_message_with_pages(
    app: BotApp, chat: Chat, telegram: FakeTelegram
) -> None:
    await add_reminders(app, 12)
    [data] = await chat.say("/mydata")
    assert "Open reminders (12)" in data
    assert "showing 1 to 10 of 12" in data
    page = telegram.last()["message_id"]
    assert await chat.press("mpg:1", page) == []
    assert "Reminder 12" in telegram.messages[page]["text"]
    assert "Telegram user id" in telegram.messages[page]["text"]


async def test_settings_switch_default_reminders(chat: Chat, telegram: FakeTelegram) -> None:
    await chat.say("/timezone London")
    await chat.say("/stage interview 14 Feb 10:30")
    [settings] = await chat.say("/settings")
    assert "Europe/London (UTC+00:00, now 12:00)" in settings
    assert "Default reminders for your stage: on" in settings
    message = telegram.last()["message_id"]
    assert await chat.press("sdr:off", message) == []
    assert "Default reminders for your stage: off" in telegram.messages[message]["text"]
    [listing] = await chat.say("/reminders")
    assert "no reminders" in listing
    await chat.press("sdr:on", message)
    [listing] = await chat.say("/reminders")
    assert listing.count("#") == 3
    [prompt] = await chat.press("scz:", message)
    assert "Your time zone is Europe/London" in prompt


async def test_privacy_names_the_operator_and_the_retention(chat: Chat) -> None:
    [text] = await chat.say("/privacy")
    assert "run by the team that runs this bot" in text
    assert "deleted after 180 days" in text
    assert "/forget" in text


async def test_calendar_sends_an_ics_file(chat: Chat, telegram: FakeTelegram) -> None:
    [nothing] = await chat.say("/calendar")
    assert "nothing to put in a calendar" in nothing
    await chat.say("/timezone London")
    await chat.say("/stage interview 14 Feb 10:30")
    await chat.say("/remind 1 Feb 9:00 Book the train")
    await chat.say("/calendar")
    [sent] = telegram.sent("sendDocument")
    assert "calendar file" in sent["caption"]
    [(name, content)] = telegram.documents
    assert name.endswith(".ics")
    calendar = Calendar.from_ical(content)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert events[f"stage-interview-{USER}@jetbot"].decoded("DTSTART") == datetime(
        2027, 2, 14, 10, 30, tzinfo=UTC
    )
    assert events[f"reminder-4-{USER}@jetbot"].decoded("DTSTART") == datetime(
        2027, 2, 1, 9, 0, tzinfo=UTC
    )
