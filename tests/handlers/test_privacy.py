"""/mydata and /forget."""

from __future__ import annotations

from handlers.context import BotApp
from tests.handlers.conftest import USER, Chat


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
